// The prediction job: runs the VIS model over a list of videos (a YouTube-VIS dataset's videos, one video
// file or one frame folder) and collects a YouTube-VIS results list with per-frame predicted IoU and
// quality (= pred_iou x score), as the self-training rounds and the `predict` command need it.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/video/video_source.h"
#include "core/dataset/ytvis_json.h"
#include "core/infer/video_predictor.h"
#include "core/util/controller.h"

namespace autoqvis {

/// One video to predict: its id in the results and how to open its frames.
struct VideoToPredict {
  int64_t video_id = 0;
  std::string name;
  std::function<std::unique_ptr<VideoSource>()> open;
};

/// The videos of a YouTube-VIS dataset, their frames under `frame_root`.
std::vector<VideoToPredict> videosOfDataset(const YtvisDataset& dataset, const std::filesystem::path& frame_root);
/// One video file or frame folder, as video id 1.
std::vector<VideoToPredict> singleVideo(const std::filesystem::path& path);

/// Results-list entry of one predicted instance: per-frame RLE, score, "pred_iou" and "quality".
YtvisTrack trackOfInstance(const InstancePrediction& instance, int64_t video_id);

class PredictionJob : public Controller {
 public:
  PredictionJob(VideoPredictor& predictor, std::vector<VideoToPredict> videos);
  void run() override;
  /// Ten instances per video, in video order.
  const std::vector<YtvisTrack>& results() const { return results_; }
  int64_t framesPredicted() const { return frames_; }
  /// Videos whose results are complete (all of them after a finished run; fewer after a stop).
  int64_t videosCompleted() const { return videos_completed_; }
  int64_t videoCount() const { return static_cast<int64_t>(videos_.size()); }

 private:
  VideoPredictor& predictor_;
  std::vector<VideoToPredict> videos_;
  std::vector<YtvisTrack> results_;
  int64_t frames_ = 0;
  int64_t videos_completed_ = 0;
};

}  // namespace autoqvis
