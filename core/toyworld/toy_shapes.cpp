#include "core/toyworld/toy_shapes.h"

#include <algorithm>
#include <cmath>

namespace autoqvis {
namespace {

ShapeKind sampleKind(Rng& rng, ToyDomain domain) {
  // Order: Ellipse, Polygon, Star, RoundedRect, Blob. Videos favour organic blobs, stills geometric shapes.
  static const double kStill[] = {0.25, 0.20, 0.15, 0.20, 0.20};
  static const double kVideo[] = {0.22, 0.10, 0.08, 0.10, 0.50};
  const double* weights = domain == ToyDomain::Still ? kStill : kVideo;
  double x = rng.uniform();
  for (int i = 0; i < 5; ++i) {
    if (x < weights[i]) return static_cast<ShapeKind>(i);
    x -= weights[i];
  }
  return ShapeKind::Blob;
}

double baseRadius(const ShapeSpec& s, double angle) {
  switch (s.kind) {
    case ShapeKind::Ellipse:
    case ShapeKind::RoundedRect: {
      const double p = s.kind == ShapeKind::Ellipse ? 2.0 : s.exponent;
      const double c = std::abs(std::cos(angle)), d = std::abs(std::sin(angle)) / s.aspect;
      return std::pow(std::pow(c, p) + std::pow(d, p), -1.0 / p);
    }
    case ShapeKind::Polygon: {
      const double sector = 2 * M_PI / s.vertices;
      const double a = std::fmod(std::fmod(angle, sector) + sector, sector) - sector / 2;
      return std::cos(sector / 2) / std::cos(a);
    }
    case ShapeKind::Star: {
      const double sector = 2 * M_PI / s.vertices;
      const double a = std::fmod(std::fmod(angle, sector) + sector, sector) / sector;  // 0..1 in a point
      const double tri = std::abs(2 * a - 1);                                          // 1 at tips, 0 between
      return s.inner + (1 - s.inner) * tri;
    }
    case ShapeKind::Blob:
      return 1.0;
  }
  return 1.0;
}

}  // namespace

ShapeSpec sampleShape(Rng& rng, ToyDomain domain) {
  ShapeSpec s;
  s.kind = sampleKind(rng, domain);
  s.aspect = rng.uniform(0.55, 1.0);
  s.vertices = static_cast<int>(s.kind == ShapeKind::Star ? rng.uniformInt(4, 8) : rng.uniformInt(3, 8));
  s.inner = rng.uniform(0.4, 0.7);
  s.exponent = rng.uniform(3, 8);
  // Blobs get strong low-order wobble; every other shape a slight irregularity so no two are alike.
  const double strength = s.kind == ShapeKind::Blob ? rng.uniform(0.12, 0.28) : rng.uniform(0.0, 0.05);
  for (int k = 0; k < ShapeSpec::kHarmonics; ++k) {
    s.amplitude[k] = strength * rng.uniform(0.2, 1.0) / (1 + 0.6 * k);
    s.phase[k] = rng.uniform(0, 2 * M_PI);
  }
  return s;
}

ShapeSpec perturbShape(Rng& rng, const ShapeSpec& shape, double amount) {
  ShapeSpec s = shape;
  s.aspect = std::clamp(shape.aspect * std::exp(rng.normal(0, 0.25 * amount)), 0.4, 1.0);
  s.inner = std::clamp(shape.inner + rng.normal(0, 0.1 * amount), 0.3, 0.8);
  s.exponent = std::clamp(shape.exponent + rng.normal(0, 1.5 * amount), 2.5, 10.0);
  for (int k = 0; k < ShapeSpec::kHarmonics; ++k) {
    s.amplitude[k] = std::clamp(shape.amplitude[k] + rng.normal(0, 0.06 * amount) / (1 + k), 0.0, 0.3);
    s.phase[k] = shape.phase[k] + rng.normal(0, 1.2 * amount);
  }
  return s;
}

ShapeSpec lerpShape(const ShapeSpec& a, const ShapeSpec& b, double t) {
  auto mix = [t](double x, double y) { return x + (y - x) * t; };
  ShapeSpec s = a;
  s.aspect = mix(a.aspect, b.aspect);
  s.inner = mix(a.inner, b.inner);
  s.exponent = mix(a.exponent, b.exponent);
  for (int k = 0; k < ShapeSpec::kHarmonics; ++k) {
    s.amplitude[k] = mix(a.amplitude[k], b.amplitude[k]);
    s.phase[k] = mix(a.phase[k], b.phase[k]);
  }
  return s;
}

double shapeRadius(const ShapeSpec& shape, double angle) {
  double wobble = 1;
  for (int k = 0; k < ShapeSpec::kHarmonics; ++k) {
    wobble += shape.amplitude[k] * std::cos((k + 2) * (angle - shape.phase[k]));
  }
  return baseRadius(shape, angle) * std::max(wobble, 0.2);
}

double maxShapeRadius(const ShapeSpec& shape) {
  double best = 0;
  for (int i = 0; i < 256; ++i) best = std::max(best, shapeRadius(shape, 2 * M_PI * i / 256));
  return best * 1.02;  // the sampled maximum may miss a sharp tip by a little
}

cv::Rect shapeBounds(const ShapeSpec& shape, const ShapePose& pose) {
  const double r = maxShapeRadius(shape) * pose.radius + 1;
  const int x0 = static_cast<int>(std::floor(pose.center.x - r));
  const int y0 = static_cast<int>(std::floor(pose.center.y - r));
  const int x1 = static_cast<int>(std::ceil(pose.center.x + r));
  const int y1 = static_cast<int>(std::ceil(pose.center.y + r));
  return {x0, y0, x1 - x0, y1 - y0};
}

cv::Mat rasterizeShape(const ShapeSpec& shape, const ShapePose& pose, const cv::Rect& roi) {
  cv::Mat mask(roi.size(), CV_8U, cv::Scalar(0));
  const double ca = std::cos(pose.angle), sa = std::sin(pose.angle);
  for (int y = 0; y < roi.height; ++y) {
    uint8_t* row = mask.ptr<uint8_t>(y);
    for (int x = 0; x < roi.width; ++x) {
      const double dx = roi.x + x + 0.5 - pose.center.x, dy = roi.y + y + 0.5 - pose.center.y;
      // Into the shape frame: undo the rotation, then the scale.
      const double lx = (dx * ca + dy * sa) / pose.radius, ly = (-dx * sa + dy * ca) / pose.radius;
      const double rho = std::hypot(lx, ly);
      if (rho <= 1e-9 || rho <= shapeRadius(shape, std::atan2(ly, lx))) row[x] = 1;
    }
  }
  return mask;
}

}  // namespace autoqvis
