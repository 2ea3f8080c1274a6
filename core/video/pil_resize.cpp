#include "core/video/pil_resize.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/util/error.h"

namespace autoqvis {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;  // Pillow's PRECISION_BITS for 8-bit images

// Filter taps of one output position along one axis: the first input index and 22-bit weights.
struct Taps {
  int ksize = 0;
  std::vector<int> first;    // per output position
  std::vector<int> count;    // per output position
  std::vector<int32_t> kk;   // out_size * ksize fixed-point weights
};

double triangle(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

// Pillow's precompute_coeffs + normalize_coeffs_8bpc, for the whole input range (no box).
Taps precompute(int in_size, int out_size) {
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = scale < 1.0 ? 1.0 : scale;
  const double support = 1.0 * filter_scale;  // bilinear support is 1
  Taps taps;
  taps.ksize = static_cast<int>(std::ceil(support)) * 2 + 1;
  taps.first.resize(out_size);
  taps.count.resize(out_size);
  taps.kk.assign(static_cast<size_t>(out_size) * taps.ksize, 0);
  std::vector<double> k(taps.ksize);
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = (xx + 0.5) * scale;
    // (int) truncates toward zero, as the C code does, before clamping.
    int xmin = static_cast<int>(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    int xmax = static_cast<int>(center + support + 0.5);
    if (xmax > in_size) xmax = in_size;
    xmax -= xmin;
    double ww = 0.0;
    for (int x = 0; x < xmax; ++x) {
      k[x] = triangle((x + xmin - center + 0.5) / filter_scale);
      ww += k[x];
    }
    for (int x = 0; x < xmax; ++x) {
      const double w = ww != 0.0 ? k[x] / ww : k[x];
      const double fixed = w * (1 << kPrecisionBits);
      taps.kk[static_cast<size_t>(xx) * taps.ksize + x] =
          static_cast<int32_t>(w < 0 ? -0.5 + fixed : 0.5 + fixed);
    }
    taps.first[xx] = xmin;
    taps.count[xx] = xmax;
  }
  return taps;
}

inline uint8_t clip8(int32_t v) {
  if (v >= (1 << kPrecisionBits << 8)) return 255;
  if (v <= 0) return 0;
  return static_cast<uint8_t>(v >> kPrecisionBits);
}

cv::Mat resampleHorizontal(const cv::Mat& in, int out_w) {
  const Taps taps = precompute(in.cols, out_w);
  const int ch = in.channels();
  cv::Mat out(in.rows, out_w, in.type());
  for (int y = 0; y < in.rows; ++y) {
    const uint8_t* src = in.ptr<uint8_t>(y);
    uint8_t* dst = out.ptr<uint8_t>(y);
    for (int xx = 0; xx < out_w; ++xx) {
      const int32_t* k = &taps.kk[static_cast<size_t>(xx) * taps.ksize];
      const uint8_t* s = src + static_cast<size_t>(taps.first[xx]) * ch;
      for (int c = 0; c < ch; ++c) {
        int32_t acc = 1 << (kPrecisionBits - 1);
        for (int x = 0; x < taps.count[xx]; ++x) acc += s[x * ch + c] * k[x];
        dst[xx * ch + c] = clip8(acc);
      }
    }
  }
  return out;
}

cv::Mat resampleVertical(const cv::Mat& in, int out_h) {
  const Taps taps = precompute(in.rows, out_h);
  const int row_len = in.cols * in.channels();
  cv::Mat out(out_h, in.cols, in.type());
  std::vector<int32_t> acc(row_len);
  for (int yy = 0; yy < out_h; ++yy) {
    const int32_t* k = &taps.kk[static_cast<size_t>(yy) * taps.ksize];
    std::fill(acc.begin(), acc.end(), 1 << (kPrecisionBits - 1));
    // Row by row keeps the inner loop contiguous (the sums are the same as Pillow's per-pixel order).
    for (int y = 0; y < taps.count[yy]; ++y) {
      const uint8_t* src = in.ptr<uint8_t>(taps.first[yy] + y);
      const int32_t w = k[y];
      for (int i = 0; i < row_len; ++i) acc[i] += src[i] * w;
    }
    uint8_t* dst = out.ptr<uint8_t>(yy);
    for (int i = 0; i < row_len; ++i) dst[i] = clip8(acc[i]);
  }
  return out;
}

void checkInput(const cv::Mat& image, cv::Size size) {
  if (image.depth() != CV_8U || image.empty()) throw Error("resize expects a non-empty 8-bit image");
  if (size.width < 1 || size.height < 1) {
    throw Error("resize target must be at least 1x1, got " + std::to_string(size.width) + "x" +
                std::to_string(size.height));
  }
}

}  // namespace

cv::Mat pilResizeBilinear(const cv::Mat& image, cv::Size size) {
  checkInput(image, size);
  cv::Mat out = image;
  // Pillow skips a pass whose size does not change; the horizontal pass runs first.
  if (size.width != image.cols) out = resampleHorizontal(out, size.width);
  if (size.height != image.rows) out = resampleVertical(out, size.height);
  return out.data == image.data ? image.clone() : out;
}

cv::Mat pilResizeNearest(const cv::Mat& image, cv::Size size) {
  checkInput(image, size);
  // Pillow's ImagingScaleAffine: the source position starts at half a step and is accumulated step by step
  // (not multiplied), which decides the rare positions that fall exactly on a pixel border. Positions
  // outside the input stay 0 (the fill), which accumulation never reaches in practice.
  const size_t pixel = image.elemSize();
  const double step_x = static_cast<double>(image.cols) / size.width;
  const double step_y = static_cast<double>(image.rows) / size.height;
  std::vector<int> xs(size.width);
  double xo = step_x * 0.5;
  for (int x = 0; x < size.width; ++x, xo += step_x) xs[x] = static_cast<int>(xo);
  cv::Mat out = cv::Mat::zeros(size, image.type());
  double yo = step_y * 0.5;
  for (int y = 0; y < size.height; ++y, yo += step_y) {
    const int sy = static_cast<int>(yo);
    if (sy >= image.rows) continue;
    const uint8_t* src = image.ptr<uint8_t>(sy);
    uint8_t* dst = out.ptr<uint8_t>(y);
    for (int x = 0; x < size.width; ++x) {
      if (xs[x] >= image.cols) continue;
      if (pixel == 1) {
        dst[x] = src[xs[x]];
      } else {
        std::memcpy(dst + x * pixel, src + xs[x] * pixel, pixel);
      }
    }
  }
  return out;
}

}  // namespace autoqvis
