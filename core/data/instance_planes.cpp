#include "core/data/instance_planes.h"

#include <string>

#include "core/dataset/rle.h"
#include "core/util/error.h"

namespace autoqvis {

InstancePlanes::InstancePlanes(cv::Size size, int count) : size_(size), count_(count) {
  for (int p = 0; p < (count + 7) / 8; ++p) planes_.push_back(cv::Mat::zeros(size, CV_8UC1));
}

void InstancePlanes::set(int k, const cv::Mat& mask) {
  if (k < 0 || k >= count_) throw Error("instance index out of range: " + std::to_string(k));
  if (mask.size() != size_ || mask.type() != CV_8UC1) throw Error("instance mask has the wrong size or type");
  const uint8_t bit = static_cast<uint8_t>(1u << (k % 8));
  cv::Mat& plane = planes_[k / 8];
  for (int y = 0; y < size_.height; ++y) {
    const uint8_t* m = mask.ptr<uint8_t>(y);
    uint8_t* p = plane.ptr<uint8_t>(y);
    for (int x = 0; x < size_.width; ++x) {
      if (m[x]) p[x] |= bit;
    }
  }
}

void InstancePlanes::setFromRle(int k, const Rle& rle) {
  if (rle.h != size_.height || rle.w != size_.width) {
    throw Error("mask size " + std::to_string(rle.w) + "x" + std::to_string(rle.h) + " differs from the image size " +
                std::to_string(size_.width) + "x" + std::to_string(size_.height));
  }
  cv::Mat mask(size_, CV_8UC1);
  rleDecode(rle, mask.data, mask.step);
  set(k, mask);
}

cv::Mat InstancePlanes::mask(int k) const {
  if (k < 0 || k >= count_) throw Error("instance index out of range: " + std::to_string(k));
  cv::Mat bits;
  cv::bitwise_and(planes_[k / 8], cv::Scalar(1u << (k % 8)), bits);
  cv::Mat out = (bits != 0) & 1;  // comparisons give 0/255
  return out;
}

void InstancePlanes::transform(const std::function<cv::Mat(const cv::Mat&)>& op, cv::Size new_size) {
  for (cv::Mat& plane : planes_) {
    plane = op(plane);
    if (plane.size() != new_size) throw Error("instance masks and image went out of step in augmentation");
  }
  size_ = new_size;
}

torch::Tensor InstancePlanes::toTensor() const {
  torch::Tensor out = torch::zeros({count_, size_.height, size_.width}, torch::kBool);
  bool* data = out.data_ptr<bool>();
  const int64_t area = static_cast<int64_t>(size_.height) * size_.width;
  for (int k = 0; k < count_; ++k) {
    const uint8_t bit = static_cast<uint8_t>(1u << (k % 8));
    const cv::Mat& plane = planes_[k / 8];
    bool* dst = data + k * area;
    for (int y = 0; y < size_.height; ++y) {
      const uint8_t* p = plane.ptr<uint8_t>(y);
      for (int x = 0; x < size_.width; ++x) dst[x] = (p[x] & bit) != 0;
      dst += size_.width;
    }
  }
  return out;
}

}  // namespace autoqvis
