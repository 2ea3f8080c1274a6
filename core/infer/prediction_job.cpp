#include "core/infer/prediction_job.h"

#include <torch/torch.h>

#include "core/util/log.h"
#include "core/dataset/frame_fields.h"

namespace autoqvis {
namespace fs = std::filesystem;

std::vector<VideoToPredict> videosOfDataset(const YtvisDataset& dataset, const fs::path& frame_root) {
  std::vector<VideoToPredict> videos;
  for (const YtvisVideo& video : dataset.videos) {
    std::vector<fs::path> files;
    for (const std::string& name : video.file_names) files.push_back(frame_root / name);
    const std::string name = video.file_names.empty() ? std::to_string(video.id)
                                                      : fs::path(video.file_names.front()).parent_path().string();
    videos.push_back({video.id, name, [files] { return openFrameList(files); }});
  }
  return videos;
}

std::vector<VideoToPredict> singleVideo(const fs::path& path) {
  return {{1, path.filename().string(), [path] { return openVideoSource(path); }}};
}

YtvisTrack trackOfInstance(const InstancePrediction& instance, int64_t video_id) {
  YtvisTrack track;
  track.video_id = video_id;
  track.category_id = 1;
  track.score = instance.score;
  for (const CompressedRle& mask : instance.masks) track.segmentations.emplace_back(mask);
  if (!instance.pred_ious.empty()) {
    auto& pred_iou = track.frame_values[frame_fields::kPredIou];
    auto& quality = track.frame_values[frame_fields::kQuality];
    for (double iou : instance.pred_ious) {
      pred_iou.emplace_back(iou);
      quality.emplace_back(iou * instance.score);
    }
  }
  return track;
}

PredictionJob::PredictionJob(VideoPredictor& predictor, std::vector<VideoToPredict> videos)
    : Controller("predict"), predictor_(predictor), videos_(std::move(videos)) {}

void PredictionJob::run() {
  ProgressReporter progress = reporter("predict", "videos", static_cast<int64_t>(videos_.size()));
  for (const VideoToPredict& video : videos_) {
    checkStop();
    // Frames are resized to the model's input size as they are read: a long 720p video never sits in
    // memory at full resolution.
    std::vector<torch::Tensor> resized;
    cv::Size original;
    try {
      std::unique_ptr<VideoSource> source = video.open();
      original = source->frameSize();
      for (int i = 0; i < source->frameCount(); ++i) {
        checkStop();
        resized.push_back(predictor_.resizeForTest(source->frame(i)));
      }
    } catch (const Error& e) {
      ErrorContext context;
      context.video_id = video.video_id;
      throw e.withContext(context);
    }
    if (resized.empty()) throw Error("video " + video.name + " has no frames");
    const int64_t count = static_cast<int64_t>(resized.size());
    const VideoPrediction prediction =
        predictor_.predictResized(torch::stack(resized), original.height, original.width, [&](int64_t done, int64_t total) {
          checkStop();
          progress.flush(video.name + ": " + std::to_string(100 * done / std::max<int64_t>(1, total)) + "% of " +
                         std::to_string(count) + " frames");
        });
    for (const InstancePrediction& instance : prediction.instances) {
      results_.push_back(trackOfInstance(instance, video.video_id));
    }
    frames_ += count;
    ++videos_completed_;
    progress.step(1, video.name + " (" + std::to_string(count) + " frames)");
  }
  progress.flush();
}

}  // namespace autoqvis
