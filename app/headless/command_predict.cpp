// `predict`: the VIS model (with its quality head) over a YouTube-VIS dataset, a video file or a frame
// folder, writing a YouTube-VIS results list whose entries carry per-frame "pred_iou" and "quality".
#include <chrono>
#include <iostream>

#include "app/headless/command.h"
#include "core/dataset/ytvis_json.h"
#include "core/infer/prediction_job.h"
#include "core/infer/predictor_loading.h"

namespace autoqvis::cli {
namespace {

std::vector<VideoToPredict> videosFromArguments(const Arguments& args) {
  const auto dataset = args.value("dataset"), video = args.value("video"), frames = args.value("frames");
  if (int(dataset.has_value()) + int(video.has_value()) + int(frames.has_value() && !dataset) != 1) {
    throw UsageError("give one input: --dataset D.json [--frames ROOT], --video FILE or --frames DIR");
  }
  if (dataset) {
    const std::filesystem::path root = frames ? std::filesystem::path(*frames)
                                              : std::filesystem::path(*dataset).parent_path() / "JPEGImages";
    return videosOfDataset(loadYtvisDataset(*dataset), root);
  }
  return singleVideo(video ? *video : *frames);
}

// Where a stopped run keeps the videos it completed: beside OUT, so a complete earlier OUT is never
// replaced by a partial one.
std::filesystem::path partialResultsPath(const std::filesystem::path& out) {
  return out.parent_path() / (out.stem().string() + ".partial" + out.extension().string());
}

// Runs the job; on a stop, writes the completed videos' results (atomically) and says so.
void runKeepingCompletedVideos(PredictionJob& job, const std::filesystem::path& out, Environment& env) {
  try {
    runController(job, env);
  } catch (const StoppedError&) {
    if (job.videosCompleted() == 0) throw;
    const std::filesystem::path partial = partialResultsPath(out);
    saveYtvisResults(job.results(), partial);
    env.stop_note = "kept the " + std::to_string(job.videosCompleted()) + " of " + std::to_string(job.videoCount()) +
                    " videos completed in " + partial.string() + " (partial; " + out.string() + " was not written)";
    throw;
  }
}

}  // namespace

int runPredict(const Arguments& args, Environment& env) {
  const Config config = loadConfigFromArguments(args);
  const std::filesystem::path weights = args.required("weights");
  const std::filesystem::path out = args.required("out");
  std::vector<VideoToPredict> videos = videosFromArguments(args);
  PredictorOptions predictor_options;
  predictor_options.top_k = args.intValue("top-k", predictor_options.top_k);
  predictor_options.chunk_frames = args.intValue("chunk-frames", predictor_options.chunk_frames);
  const LoadedModel loaded = loadModelForInference(weights, config);
  VideoPredictor predictor = makePredictor(loaded, predictor_options);
  PredictionJob job(predictor, std::move(videos));
  const auto start = std::chrono::steady_clock::now();
  runKeepingCompletedVideos(job, out, env);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  saveYtvisResults(job.results(), out);
  std::cout << "wrote " << job.results().size() << " instances for " << job.framesPredicted() << " frames to " << out.string()
            << " (" << seconds << " s, " << job.framesPredicted() / std::max(seconds, 1e-9) << " frames/s)\n";
  return 0;
}

}  // namespace autoqvis::cli
