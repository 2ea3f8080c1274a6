// `predict`: the VIS model (with its quality head) over a YouTube-VIS dataset, a video file or a frame
// folder, writing a YouTube-VIS results list whose entries carry per-frame "pred_iou" and "quality".
#include <chrono>
#include <iostream>

#include "app/headless/command.h"
#include "core/io/ytvis_json.h"
#include "core/model/model_weights.h"
#include "core/selftrain/prediction_job.h"
#include "core/util/log.h"
#include "core/util/torch_device.h"
#include "core/util/torch_runtime.h"

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

// The model options: a native weights file carries its own; a .pth needs the config's.
ModelOptions modelOptionsFor(const std::filesystem::path& weights, const Config& config) {
  if (auto stored = readWeightsModelOptions(weights)) return *stored;
  return config.model;
}

}  // namespace

int runPredict(const Arguments& args, Environment& env) {
  const Config config = loadConfigFromArguments(args);
  const std::filesystem::path weights = args.required("weights");
  const std::string out = args.required("out");
  weightsFormatOf(weights);  // an unknown extension fails before any work
  std::vector<VideoToPredict> videos = videosFromArguments(args);
  PredictorOptions predictor_options;
  predictor_options.top_k = args.intValue("top-k", predictor_options.top_k);
  predictor_options.chunk_frames = args.intValue("chunk-frames", predictor_options.chunk_frames);

  setTorchThreads(config.runtime.threads);
  const ModelOptions options = modelOptionsFor(weights, config);
  VideoMaskFormer model(options);
  const WeightsReport report = loadModelWeights(model, weights);
  for (const std::string& warning : report.warnings) logWarning(warning);
  const c10::Device device = selectDevice(config.runtime.device);
  model->to(device);
  logInfo("model: " + std::to_string(report.state.loaded.size()) + " tensors from " + weights.string() + ", on " +
          device.str());

  VideoPredictor predictor(model, options, predictor_options);
  PredictionJob job(predictor, std::move(videos));
  const auto start = std::chrono::steady_clock::now();
  runController(job, env);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  saveYtvisResults(job.results(), out);
  std::cout << "wrote " << job.results().size() << " instances for " << job.framesPredicted() << " frames to " << out
            << " (" << seconds << " s, " << job.framesPredicted() / std::max(seconds, 1e-9) << " frames/s)\n";
  return 0;
}

}  // namespace autoqvis::cli
