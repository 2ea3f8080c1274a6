// Object shapes of the toy world as radial functions r(angle): ellipses, polygons, stars, rounded rectangles
// and blobs. One representation rasterises all of them and lets a video interpolate a shape as it deforms.
#pragma once

#include <array>
#include <opencv2/core.hpp>

#include "core/toyworld/toy_textures.h"
#include "core/util/rng.h"

namespace autoqvis {

enum class ShapeKind { Ellipse, Polygon, Star, RoundedRect, Blob };

struct ShapeSpec {
  static constexpr int kHarmonics = 5;
  ShapeKind kind = ShapeKind::Ellipse;
  double aspect = 1;    ///< ellipse, rounded rect: y extent relative to x extent
  int vertices = 5;     ///< polygon corners or star points
  double inner = 0.5;   ///< star: inner radius relative to the outer one
  double exponent = 4;  ///< rounded rect: superellipse exponent (2 = ellipse, larger = boxier)
  /// Radial wobble r *= 1 + sum a_k cos(k (angle - phase_k)), k = 2..kHarmonics+1; large for blobs.
  std::array<double, kHarmonics> amplitude{};
  std::array<double, kHarmonics> phase{};
};

/// Where a shape sits in an image: centre, radius (pixels for unit shape radius) and rotation (radians).
struct ShapePose {
  cv::Point2d center;
  double radius = 10;
  double angle = 0;
};

ShapeSpec sampleShape(Rng& rng, ToyDomain domain);
/// A deformed version of `shape` (same kind and vertex count, drifted proportions and wobble), `amount` in
/// [0, 1].
ShapeSpec perturbShape(Rng& rng, const ShapeSpec& shape, double amount);
/// Shape parameters blended from a (t = 0) to b (t = 1); both must have the same kind and vertex count.
ShapeSpec lerpShape(const ShapeSpec& a, const ShapeSpec& b, double t);

/// Unit-scale radius of the shape's boundary in direction `angle` (shape frame).
double shapeRadius(const ShapeSpec& shape, double angle);
/// The largest radius over all directions (sampled), for bounding boxes.
double maxShapeRadius(const ShapeSpec& shape);

/// Pixel rectangle that contains the posed shape; may extend beyond any image.
cv::Rect shapeBounds(const ShapeSpec& shape, const ShapePose& pose);
/// Rasterises the posed shape over `roi` (image pixel coordinates, may extend beyond the image): CV_8U 0/1 of
/// roi's size, 1 where the pixel centre lies inside the shape.
cv::Mat rasterizeShape(const ShapeSpec& shape, const ShapePose& pose, const cv::Rect& roi);

}  // namespace autoqvis
