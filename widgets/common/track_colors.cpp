#include "widgets/common/track_colors.h"

#include <cmath>

namespace autoqvis::widgets {

namespace {

TrackRgb hsvToRgb(double h, double s, double v) {
  const double c = v * s;
  const double hp = h * 6.0;
  const double x = c * (1.0 - std::fabs(std::fmod(hp, 2.0) - 1.0));
  double r = 0, g = 0, b = 0;
  switch (static_cast<int>(hp) % 6) {
    case 0:
      r = c, g = x;
      break;
    case 1:
      r = x, g = c;
      break;
    case 2:
      g = c, b = x;
      break;
    case 3:
      g = x, b = c;
      break;
    case 4:
      r = x, b = c;
      break;
    default:
      r = c, b = x;
      break;
  }
  const double m = v - c;
  auto byte = [m](double channel) { return static_cast<uint8_t>(std::lround((channel + m) * 255.0)); };
  return {byte(r), byte(g), byte(b)};
}

}  // namespace

TrackRgb trackColor(int64_t key) {
  constexpr double kGoldenRatioConjugate = 0.6180339887498949;
  // Unsigned arithmetic keeps negative or huge keys well defined.
  const uint64_t k = static_cast<uint64_t>(key);
  const double hue = std::fmod(0.02 + static_cast<double>(k % 1000003) * kGoldenRatioConjugate, 1.0);
  // Alternate saturation and value a little so that the rare close hues still differ.
  const double saturation = (k % 3 == 0) ? 0.60 : 0.78;
  const double value = (k % 2 == 0) ? 0.92 : 1.0;
  return hsvToRgb(hue, saturation, value);
}

}  // namespace autoqvis::widgets
