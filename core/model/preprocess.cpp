#include "core/model/preprocess.h"

#include <torch/torch.h>

#include <algorithm>

#include "core/util/error.h"

namespace autoqvis {

at::Tensor normalizeAndPad(const at::Tensor& frames, int64_t size_divisibility) {
  if (frames.dim() != 4 || frames.size(1) != 3) throw Error("expected frames of shape [N, 3, H, W]");
  const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(frames.device());
  const torch::Tensor mean = torch::tensor({kPixelMean[0], kPixelMean[1], kPixelMean[2]}, options).view({1, 3, 1, 1});
  const torch::Tensor std = torch::tensor({kPixelStd[0], kPixelStd[1], kPixelStd[2]}, options).view({1, 3, 1, 1});
  const torch::Tensor normalized = (frames.to(torch::kFloat32) - mean) / std;
  const int64_t h = frames.size(2), w = frames.size(3);
  const int64_t padded_h = (h + size_divisibility - 1) / size_divisibility * size_divisibility;
  const int64_t padded_w = (w + size_divisibility - 1) / size_divisibility * size_divisibility;
  // Padding happens after normalisation, so padded pixels are 0 in normalised units, as in the reference.
  return torch::constant_pad_nd(normalized, {0, padded_w - w, 0, padded_h - h}, 0.0);
}

std::pair<int, int> testResizeShape(int height, int width, int min_size, int max_size) {
  const double scale = static_cast<double>(min_size) / std::min(height, width);
  double new_h = height * scale, new_w = width * scale;
  if (std::max(new_h, new_w) > max_size) {
    const double shrink = max_size / std::max(new_h, new_w);
    new_h *= shrink;
    new_w *= shrink;
  }
  return {static_cast<int>(new_h + 0.5), static_cast<int>(new_w + 0.5)};
}

}  // namespace autoqvis
