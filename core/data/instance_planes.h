// The instance masks of one frame while it is augmented, packed as bits of 8-bit planes (instance k is bit
// k % 8 of plane k / 8). Nearest-neighbour warps, crops, flips and resizes never blend values, so one pass
// per plane moves up to eight masks with exactly the same pixel mapping as the image, and masks of the
// same frame can never drift apart.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <opencv2/core.hpp>
#include <vector>

namespace autoqvis {

struct Rle;

class InstancePlanes {
 public:
  InstancePlanes() = default;
  /// `count` empty masks of `size`.
  InstancePlanes(cv::Size size, int count);

  int count() const { return count_; }
  cv::Size size() const { return size_; }
  /// Marks mask k where `mask` (CV_8U, same size) is non-zero.
  void set(int k, const cv::Mat& mask);
  /// Marks mask k from an RLE of the same size.
  void setFromRle(int k, const Rle& rle);
  /// Mask k as CV_8U 0/1.
  cv::Mat mask(int k) const;

  /// Replaces every plane by `op(plane)`; all results must share one size, which becomes size().
  /// `op` must not blend values (nearest interpolation only). With no masks, `new_size` is the new size.
  void transform(const std::function<cv::Mat(const cv::Mat&)>& op, cv::Size new_size);

  /// [count, H, W] bool tensor.
  torch::Tensor toTensor() const;

 private:
  cv::Size size_;
  int count_ = 0;
  std::vector<cv::Mat> planes_;
};

}  // namespace autoqvis
