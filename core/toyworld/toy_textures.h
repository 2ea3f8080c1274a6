// Procedural textures of the toy world: a small family of patterns (noise, stripes, checkers, dots, rings,
// cells, gradients) evaluated at any texture coordinate, so backgrounds can pan and objects can carry theirs.
#pragma once

#include <cstdint>
#include <opencv2/core.hpp>

#include "core/util/rng.h"

namespace autoqvis {

/// Which population an item is drawn from. Stills and videos deliberately differ (palettes, texture and shape
/// mix) so that training on stills and adapting to videos faces a real domain gap.
enum class ToyDomain { Still, Video };

enum class TextureKind { Noise, Stripes, Checker, Dots, Rings, Cells, Gradient };

struct TextureSpec {
  TextureKind kind = TextureKind::Noise;
  cv::Vec3f color_a{0.5f, 0.5f, 0.5f};  ///< RGB in [0, 1]
  cv::Vec3f color_b{0.5f, 0.5f, 0.5f};  ///< second colour of the pattern
  double period = 16;                   ///< pixels per pattern cycle (noise: feature size)
  double angle = 0;                     ///< orientation of the pattern, radians
  double warp = 0;                      ///< domain warp by low-frequency noise, in pixels
  double grain = 0.03;                  ///< fine noise amplitude, in colour units
  double duty = 0.5;                    ///< stripes/checker/dots: fraction of colour a
  uint32_t seed = 0;                    ///< seed of the texture's lattice noise
};

/// Draws a texture from the domain's palette and family mix.
TextureSpec sampleTexture(Rng& rng, ToyDomain domain);
/// Draws an object texture whose colour contrast to `background` is `contrast` in [0, 1] (0: same colours,
/// 1: unrelated colours). The pattern family and scale are drawn independently of the background's.
TextureSpec sampleObjectTexture(Rng& rng, ToyDomain domain, const TextureSpec& background, double contrast);

/// The texture's RGB colour at texture coordinate (u, v), in [0, 1] (before lighting).
cv::Vec3f evalTexture(const TextureSpec& texture, double u, double v);

/// Smooth lattice value noise in [0, 1] at (x, y) with unit feature size; deterministic per seed.
double valueNoise(double x, double y, uint32_t seed);

}  // namespace autoqvis
