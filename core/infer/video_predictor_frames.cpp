// The OpenCV side of the video predictor: frames as cv::Mat, resized as the reference test pipeline does.
#include <torch/torch.h>

#include "core/video/pil_resize.h"
#include "core/model/preprocess.h"
#include "core/infer/video_predictor.h"
#include "core/util/error.h"

namespace autoqvis {

torch::Tensor VideoPredictor::resizeForTest(const cv::Mat& frame) const {
  const auto [h, w] = testResizeShape(frame.rows, frame.cols, options_.test_min_size, options_.test_max_size);
  cv::Mat resized = pilResizeBilinear(frame, cv::Size(w, h));
  return torch::from_blob(resized.data, {h, w, 3}, torch::kUInt8).permute({2, 0, 1}).clone();
}

VideoPrediction VideoPredictor::predict(const std::vector<cv::Mat>& frames, const FrameProgress& progress) {
  if (frames.empty()) throw Error("predictor: the video has no frames");
  std::vector<torch::Tensor> resized;
  resized.reserve(frames.size());
  for (const cv::Mat& frame : frames) {
    if (frame.size() != frames.front().size()) throw Error("predictor: the frames of one video differ in size");
    resized.push_back(resizeForTest(frame));
  }
  return predictResized(torch::stack(resized), frames.front().rows, frames.front().cols, progress);
}

}  // namespace autoqvis
