#include "core/data/pil_resize.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace autoqvis {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;  // Pillow's fixed-point precision for 8-bit images

// For each output position: the first input index and the fixed-point weights of the inputs it reads
// (Pillow's precompute_coeffs + normalize_coeffs_8bpc for the bilinear filter, support 1).
struct Coefficients {
  std::vector<int> first;
  std::vector<std::vector<int32_t>> weights;
};

Coefficients precompute(int in_size, int out_size) {
  const double scale = static_cast<double>(in_size) / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double support = 1.0 * filter_scale;
  Coefficients c;
  c.first.resize(out_size);
  c.weights.resize(out_size);
  for (int xx = 0; xx < out_size; ++xx) {
    const double center = (xx + 0.5) * scale;
    const int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
    const int xmax = std::min(static_cast<int>(center + support + 0.5), in_size);
    std::vector<double> k;
    double sum = 0.0;
    for (int x = xmin; x < xmax; ++x) {
      const double w = std::max(0.0, 1.0 - std::fabs((x - center + 0.5) / filter_scale));
      k.push_back(w);
      sum += w;
    }
    c.first[xx] = xmin;
    for (double w : k) {
      const double v = (sum != 0.0 ? w / sum : w) * (1 << kPrecisionBits);
      c.weights[xx].push_back(static_cast<int32_t>(v < 0 ? std::trunc(-0.5 + v) : std::trunc(0.5 + v)));
    }
  }
  return c;
}

inline uint8_t clip8(int64_t accumulated) {
  const int64_t v = accumulated >> kPrecisionBits;
  return static_cast<uint8_t>(std::clamp<int64_t>(v, 0, 255));
}

cv::Mat resizeHorizontal(const cv::Mat& in, int width) {
  const Coefficients c = precompute(in.cols, width);
  const int channels = in.channels();
  cv::Mat out(in.rows, width, in.type());
  for (int y = 0; y < in.rows; ++y) {
    const uint8_t* src = in.ptr<uint8_t>(y);
    uint8_t* dst = out.ptr<uint8_t>(y);
    for (int x = 0; x < width; ++x) {
      for (int ch = 0; ch < channels; ++ch) {
        int64_t acc = int64_t{1} << (kPrecisionBits - 1);
        for (size_t i = 0; i < c.weights[x].size(); ++i) acc += src[(c.first[x] + i) * channels + ch] * int64_t{c.weights[x][i]};
        dst[x * channels + ch] = clip8(acc);
      }
    }
  }
  return out;
}

cv::Mat resizeVertical(const cv::Mat& in, int height) {
  const Coefficients c = precompute(in.rows, height);
  const int row_values = in.cols * in.channels();
  cv::Mat out(height, in.cols, in.type());
  std::vector<int64_t> acc(row_values);
  for (int y = 0; y < height; ++y) {
    std::fill(acc.begin(), acc.end(), int64_t{1} << (kPrecisionBits - 1));
    for (size_t i = 0; i < c.weights[y].size(); ++i) {
      const uint8_t* src = in.ptr<uint8_t>(c.first[y] + static_cast<int>(i));
      const int64_t w = c.weights[y][i];
      for (int v = 0; v < row_values; ++v) acc[v] += src[v] * w;
    }
    uint8_t* dst = out.ptr<uint8_t>(y);
    for (int v = 0; v < row_values; ++v) dst[v] = clip8(acc[v]);
  }
  return out;
}

}  // namespace

cv::Mat resizeBilinearLikePil(const cv::Mat& image, int width, int height) {
  if (image.depth() != CV_8U || width <= 0 || height <= 0) {
    throw std::invalid_argument("resizeBilinearLikePil: needs an 8-bit image and a positive size");
  }
  // Pillow resizes horizontally first, then vertically, skipping a pass whose size does not change.
  cv::Mat out = image.isContinuous() ? image : image.clone();
  if (width != out.cols) out = resizeHorizontal(out, width);
  if (height != out.rows) out = resizeVertical(out, height);
  return out.data == image.data ? image.clone() : out;
}

}  // namespace autoqvis
