#include "core/toyworld/toy_textures.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace autoqvis {
namespace {

// Integer hashing keeps the noise identical on every platform and independent of evaluation order.
uint32_t hash2d(int32_t x, int32_t y, uint32_t seed) {
  uint32_t h =
      seed * 0x9E3779B1u ^ static_cast<uint32_t>(x) * 0x85EBCA77u ^ static_cast<uint32_t>(y) * 0xC2B2AE3Du;
  h ^= h >> 15;
  h *= 0x2C1B3C6Du;
  h ^= h >> 12;
  h *= 0x297A2D39u;
  h ^= h >> 15;
  return h;
}

double hashUnit(int32_t x, int32_t y, uint32_t seed) { return hash2d(x, y, seed) * (1.0 / 4294967295.0); }

double smoothstep(double t) { return t * t * (3 - 2 * t); }
double clamp01(double t) { return std::min(1.0, std::max(0.0, t)); }

double fbm(double x, double y, uint32_t seed, int octaves) {
  double sum = 0, norm = 0, amp = 1;
  for (int o = 0; o < octaves; ++o) {
    sum += amp * valueNoise(x, y, seed + 101u * o);
    norm += amp;
    amp *= 0.5;
    x *= 2.03;
    y *= 2.03;
  }
  return sum / norm;
}

// Worley cells: returns the gap between the nearest and second-nearest feature point (0 on cell borders)
// and the nearest cell's own random value.
void worley(double x, double y, uint32_t seed, double* border, double* cell_value) {
  const int cx = static_cast<int>(std::floor(x));
  const int cy = static_cast<int>(std::floor(y));
  double d1 = 1e9, d2 = 1e9;
  double value = 0;
  for (int j = -1; j <= 1; ++j) {
    for (int i = -1; i <= 1; ++i) {
      const double px = cx + i + hashUnit(cx + i, cy + j, seed);
      const double py = cy + j + hashUnit(cx + i, cy + j, seed + 7u);
      const double d = std::hypot(x - px, y - py);
      if (d < d1) {
        d2 = d1;
        d1 = d;
        value = hashUnit(cx + i, cy + j, seed + 13u);
      } else if (d < d2) {
        d2 = d;
      }
    }
  }
  *border = d2 - d1;
  *cell_value = value;
}

// The pattern's blend weight between colour a (0) and colour b (1) at rotated coordinates (x, y).
double patternWeight(const TextureSpec& t, double x, double y) {
  const double p = t.period;
  switch (t.kind) {
    case TextureKind::Noise:
      return clamp01((fbm(x / p, y / p, t.seed, 3) - 0.5) * 2.4 + 0.5);
    case TextureKind::Stripes: {
      const double s = 0.5 + 0.5 * std::sin(2 * M_PI * x / p);
      return clamp01((s - (1 - t.duty)) / 0.2 + 0.5);
    }
    case TextureKind::Checker:
      return clamp01(std::sin(2 * M_PI * x / p) * std::sin(2 * M_PI * y / p) * 4 + 0.5);
    case TextureKind::Dots: {
      const double gx = x / p, gy = y / p;
      const int ix = static_cast<int>(std::floor(gx)), iy = static_cast<int>(std::floor(gy));
      const double r = 0.5 * t.duty * (0.7 + 0.6 * hashUnit(ix, iy, t.seed + 3u));
      const double d = std::hypot(gx - ix - 0.5, gy - iy - 0.5);
      return clamp01((r - d) * p * 0.7 + 0.5);
    }
    case TextureKind::Rings:
      return 0.5 + 0.5 * std::sin(2 * M_PI * std::hypot(x, y) / p);
    case TextureKind::Cells: {
      double border = 0, value = 0;
      worley(x / p, y / p, t.seed, &border, &value);
      return clamp01(value * 0.8 + (border < 0.08 ? 0.6 : 0.0));
    }
    case TextureKind::Gradient:
      return clamp01(0.5 + 0.5 * std::sin(x / p) + 0.25 * (fbm(x / 24, y / 24, t.seed, 2) - 0.5));
  }
  return 0;
}

cv::Vec3f hsvToRgb(double h, double s, double v) {
  h = std::fmod(std::fmod(h, 360.0) + 360.0, 360.0) / 60.0;
  const int sector = static_cast<int>(h);
  const double f = h - sector;
  const double p = v * (1 - s), q = v * (1 - s * f), r = v * (1 - s * (1 - f));
  switch (sector) {
    case 0:
      return {float(v), float(r), float(p)};
    case 1:
      return {float(q), float(v), float(p)};
    case 2:
      return {float(p), float(v), float(r)};
    case 3:
      return {float(p), float(q), float(v)};
    case 4:
      return {float(r), float(p), float(v)};
    default:
      return {float(v), float(p), float(q)};
  }
}

// Stills are saturated and bright (web photos of salient objects); videos are muted and darker, with hues
// biased towards natural greens and browns.
cv::Vec3f sampleColour(Rng& rng, ToyDomain domain) {
  if (domain == ToyDomain::Still) {
    return hsvToRgb(rng.uniform(0, 360), rng.uniform(0.35, 1.0), rng.uniform(0.35, 1.0));
  }
  const double hue = rng.bernoulli(0.6) ? rng.uniform(20, 150) : rng.uniform(0, 360);
  return hsvToRgb(hue, rng.uniform(0.1, 0.6), rng.uniform(0.2, 0.85));
}

cv::Vec3f shade(Rng& rng, const cv::Vec3f& colour, double lo, double hi) {
  return colour * static_cast<float>(rng.uniform(lo, hi));
}

TextureKind sampleKind(Rng& rng, ToyDomain domain) {
  // Order: Noise, Stripes, Checker, Dots, Rings, Cells, Gradient.
  static const std::array<double, 7> kStill{0.20, 0.20, 0.15, 0.15, 0.10, 0.05, 0.15};
  static const std::array<double, 7> kVideo{0.36, 0.07, 0.03, 0.05, 0.15, 0.15, 0.19};
  const auto& weights = domain == ToyDomain::Still ? kStill : kVideo;
  double x = rng.uniform();
  for (size_t i = 0; i < weights.size(); ++i) {
    if (x < weights[i]) return static_cast<TextureKind>(i);
    x -= weights[i];
  }
  return TextureKind::Noise;
}

double samplePeriod(Rng& rng, TextureKind kind, ToyDomain domain) {
  const double scale = domain == ToyDomain::Video ? 1.3 : 1.0;
  switch (kind) {
    case TextureKind::Noise:
      return scale * rng.uniform(6, 30);
    case TextureKind::Gradient:
      return scale * rng.uniform(25, 80);
    case TextureKind::Cells:
      return scale * rng.uniform(8, 24);
    default:
      return scale * rng.uniform(5, 18);
  }
}

void samplePattern(Rng& rng, ToyDomain domain, TextureSpec* t) {
  t->kind = sampleKind(rng, domain);
  t->period = samplePeriod(rng, t->kind, domain);
  t->angle = rng.uniform(0, M_PI);
  t->warp = rng.bernoulli(0.4) ? rng.uniform(0, 0.6) * t->period : 0.0;
  t->grain = domain == ToyDomain::Still ? rng.uniform(0.0, 0.05) : rng.uniform(0.02, 0.08);
  t->duty = rng.uniform(0.3, 0.7);
  t->seed = static_cast<uint32_t>(rng.next());
}

}  // namespace

double valueNoise(double x, double y, uint32_t seed) {
  const double fx = std::floor(x), fy = std::floor(y);
  const int ix = static_cast<int>(fx), iy = static_cast<int>(fy);
  const double tx = smoothstep(x - fx), ty = smoothstep(y - fy);
  const double a = hashUnit(ix, iy, seed), b = hashUnit(ix + 1, iy, seed);
  const double c = hashUnit(ix, iy + 1, seed), d = hashUnit(ix + 1, iy + 1, seed);
  return (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty;
}

TextureSpec sampleTexture(Rng& rng, ToyDomain domain) {
  TextureSpec t;
  samplePattern(rng, domain, &t);
  t.color_a = sampleColour(rng, domain);
  // Stills often pair unrelated colours; videos mostly use two shades of one colour (lower pattern contrast).
  const double unrelated = domain == ToyDomain::Still ? 0.5 : 0.25;
  const cv::Vec3f other = sampleColour(rng, domain);
  t.color_b = rng.bernoulli(unrelated) ? other : shade(rng, t.color_a, 0.45, 0.85);
  return t;
}

TextureSpec sampleObjectTexture(Rng& rng, ToyDomain domain, const TextureSpec& background, double contrast) {
  TextureSpec t;
  samplePattern(rng, domain, &t);
  const cv::Vec3f bg_mean = (background.color_a + background.color_b) * 0.5f;
  const float c = static_cast<float>(clamp01(contrast));
  const cv::Vec3f own = sampleColour(rng, domain);
  t.color_a = bg_mean * (1 - c) + own * c;
  const cv::Vec3f other = sampleColour(rng, domain);
  t.color_b = rng.bernoulli(0.35) ? bg_mean * (1 - c) + other * c : shade(rng, t.color_a, 0.5, 0.9);
  return t;
}

cv::Vec3f evalTexture(const TextureSpec& t, double u, double v) {
  const double ca = std::cos(t.angle), sa = std::sin(t.angle);
  double x = u * ca + v * sa;
  double y = -u * sa + v * ca;
  if (t.warp > 0) {
    const double s = 2 * t.period;
    x += t.warp * (valueNoise(u / s, v / s, t.seed + 11u) - 0.5) * 2;
    y += t.warp * (valueNoise(u / s, v / s, t.seed + 23u) - 0.5) * 2;
  }
  const float w = static_cast<float>(patternWeight(t, x, y));
  cv::Vec3f colour = t.color_a * (1 - w) + t.color_b * w;
  // Slow brightness variation and fine grain make flat areas look less synthetic.
  const double light = 0.88 + 0.24 * valueNoise(u / 45, v / 45, t.seed + 5u);
  const double grain = t.grain * (valueNoise(u * 0.8, v * 0.8, t.seed + 99u) - 0.5) * 2;
  for (int c = 0; c < 3; ++c) colour[c] = static_cast<float>(colour[c] * light + grain);
  return colour;
}

}  // namespace autoqvis
