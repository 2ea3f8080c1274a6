// Toy still images: a textured background with one to a few textured objects, their true visible masks, and
// pseudo-masks derived from those with MaskCut-like mistakes.
#include <algorithm>
#include <cmath>

#include "core/toyworld/toy_world.h"

namespace autoqvis {
namespace {

constexpr uint64_t kStillStream = 1ull << 40;  // stream ids of the stills; videos use other ranges

// Extent of a posed shape from its centre towards image direction `direction`.
double extentTowards(const ToyLayer& layer, double direction) {
  return layer.pose.radius * shapeRadius(layer.shape, direction - layer.pose.angle);
}

// Places `layer` just touching `other` (the gap between them is a few pixels or a slight overlap), so a
// segmenter could plausibly take the pair for one object.
void placeTouching(Rng& rng, const ToyLayer& other, ToyLayer* layer) {
  const double direction = rng.uniform(0, 2 * M_PI);
  const double distance =
      (extentTowards(other, direction) + extentTowards(*layer, direction + M_PI)) * rng.uniform(0.88, 1.06);
  layer->pose.center = other.pose.center + cv::Point2d(std::cos(direction), std::sin(direction)) * distance;
}

// Rejection sampling for a centre that keeps objects mostly apart and mostly inside the image.
void placeFree(Rng& rng, cv::Size size, const std::vector<ToyLayer>& placed, ToyLayer* layer) {
  const double r = layer->pose.radius;
  for (int attempt = 0; attempt < 30; ++attempt) {
    layer->pose.center = {rng.uniform(0.6 * r, size.width - 0.6 * r),
                          rng.uniform(0.6 * r, size.height - 0.6 * r)};
    bool apart = true;
    for (const ToyLayer& other : placed) {
      const double reach = maxShapeRadius(other.shape) * other.pose.radius + maxShapeRadius(layer->shape) * r;
      apart = apart && cv::norm(other.pose.center - layer->pose.center) > 0.85 * reach;
    }
    if (apart) return;
  }
}

ToyLayer sampleObject(Rng& rng, cv::Size size, int count, const TextureSpec& background) {
  ToyLayer layer;
  const double base = std::min(size.width, size.height);
  layer.shape = sampleShape(rng, ToyDomain::Still);
  layer.pose.radius = base * (count == 1 ? rng.uniform(0.2, 0.36) : rng.uniform(0.13, 0.27));
  layer.pose.angle = rng.uniform(0, 2 * M_PI);
  // Contrast varies from camouflaged to striking: some objects must be hard to separate from the background.
  layer.texture = sampleObjectTexture(rng, ToyDomain::Still, background, rng.uniform(0.25, 1.0));
  layer.shading = rng.uniform(0.0, 0.3);
  layer.light_angle = rng.uniform(0, 2 * M_PI);
  return layer;
}

std::vector<ToyLayer> sampleObjects(Rng& rng, const ToyWorldOptions& options, cv::Size size,
                                    const TextureSpec& background) {
  const int count =
      static_cast<int>(rng.uniformInt(options.min_objects_per_image, options.max_objects_per_image));
  const bool touching = count >= 2 && rng.bernoulli(options.touching_pair_prob);
  std::vector<ToyLayer> layers;
  for (int k = 0; k < count; ++k) {
    ToyLayer layer = sampleObject(rng, size, count, background);
    if (k == 1 && touching)
      placeTouching(rng, layers[0], &layer);
    else
      placeFree(rng, size, layers, &layer);
    layers.push_back(layer);
  }
  return layers;
}

// Objects hidden by others or pushed out of the image would have no mask; they are dropped, the rest
// renumbered.
std::vector<ToyLayer> keepVisible(const std::vector<ToyLayer>& layers, const ToyFrame& frame, int min_px) {
  std::vector<ToyLayer> kept;
  for (const ToyLayer& layer : layers) {
    if (cv::countNonZero(maskOfId(frame.ids, layer.id)) < min_px) continue;
    kept.push_back(layer);
    kept.back().id = static_cast<int>(kept.size());
  }
  return kept;
}

}  // namespace

ToyStill generateToyStill(const ToyWorldOptions& options, int index, ToyRenderMode mode) {
  checkToyWorldOptions(options);
  Rng rng = Rng::forStream(static_cast<uint64_t>(options.seed), kStillStream + static_cast<uint64_t>(index));
  const cv::Size size(options.image_width, options.image_height);
  ToyBackground background;
  background.texture = sampleTexture(rng, ToyDomain::Still);
  background.offset = {rng.uniform(-500, 500), rng.uniform(-500, 500)};
  std::vector<ToyLayer> layers = sampleObjects(rng, options, size, background.texture);
  for (size_t k = 0; k < layers.size(); ++k) layers[k].id = static_cast<int>(k + 1);
  ToyPostEffects effects;
  effects.blur_sigma = rng.uniform(0.0, 0.6);
  effects.noise_sigma = rng.uniform(0.0, 2.5);
  Rng noise_rng(rng.next());  // a child stream, so the render mode never shifts the draws that follow

  ToyFrame frame = renderToyFrame(size, background, layers, mode);
  const std::vector<ToyLayer> kept = keepVisible(layers, frame, options.min_visible_px);
  if (kept.size() != layers.size()) frame = renderToyFrame(size, background, kept, mode);

  ToyStill still;
  still.index = index;
  still.ids = frame.ids;
  for (const ToyLayer& layer : kept) still.true_masks.push_back(maskOfId(frame.ids, layer.id));
  ToyPseudoMaskResult pseudo = makePseudoMasks(rng, still.true_masks, options);
  still.pseudo_masks = std::move(pseudo.masks);
  still.missed = std::move(pseudo.missed);
  still.image =
      finishToyImage(frame.image, mode == ToyRenderMode::FlatIds ? ToyPostEffects{} : effects, noise_rng);
  return still;
}

}  // namespace autoqvis
