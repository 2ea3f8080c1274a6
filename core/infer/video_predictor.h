// Video-level inference (method.md §5): every frame of a video through the VIS model as one clip (B = 1),
// the top-k queries by foreground probability, their per-frame masks at the original resolution
// (threshold at logit 0) and, with the quality head, their per-frame predicted IoU clamped to [0, 1].
//
// Memory stays bounded for long videos: backbone and pixel decoder run on chunks of frames (every op
// there is per frame, so the result is identical), the decoder's attention masks are made from mask
// features resized to each level, only the selected queries get full masks, and those are upsampled and
// run-length encoded a chunk of frames at a time.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "core/config/model_options.h"
#include "core/dataset/rle.h"
#include "core/model/video_mask_former.h"

namespace cv {
class Mat;
}

namespace autoqvis {

struct PredictorOptions {
  int top_k = 10;          ///< instances per video
  int chunk_frames = 8;    ///< frames per backbone/pixel-decoder pass and per mask-upsampling pass
  bool sorted = true;      ///< by descending score (AutoQ-VIS); VideoCutLER leaves the order unspecified
  bool amp = true;         ///< on CUDA, mixed precision as the reference runs its test (pixel decoder in fp32)
};

struct InstancePrediction {
  double score = 0;                  ///< foreground probability of the query
  int64_t query = 0;                 ///< query index in the decoder
  std::vector<CompressedRle> masks;  ///< one per frame, at the video's original size
  std::vector<double> pred_ious;     ///< per frame, clamped to [0, 1]; empty without the quality head
};

struct VideoPrediction {
  int height = 0, width = 0;
  std::vector<InstancePrediction> instances;
};

/// Called after each chunk of frames with (frames done, total frames) so long videos show progress.
using FrameProgress = std::function<void(int64_t done, int64_t total)>;

class VideoPredictor {
 public:
  /// The model must already hold its weights and sit on the device to run on.
  VideoPredictor(VideoMaskFormer model, ModelOptions options, PredictorOptions predictor = {});

  /// Frames as CV_8UC3 RGB at their original size (all the same size). Resizes them as the reference
  /// test pipeline does (short side test_min_size, PIL bilinear) and predicts at the original size.
  VideoPrediction predict(const std::vector<cv::Mat>& frames, const FrameProgress& progress = {});

  /// Frames already at the model's input size, uint8 [T, 3, h, w]; masks come out at out_height x out_width.
  VideoPrediction predictResized(const torch::Tensor& frames, int out_height, int out_width,
                                 const FrameProgress& progress = {});

  /// The test-time input of one frame (video_predictor_frames.cpp, which holds the OpenCV side): resized with PIL's bilinear filter to the test size, as uint8 [3, h, w].
  torch::Tensor resizeForTest(const cv::Mat& frame) const;

 private:
  VideoMaskFormer model_;
  ModelOptions options_;
  PredictorOptions predictor_;
};

}  // namespace autoqvis
