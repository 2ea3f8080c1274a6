#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/headless/command.h"
#include "core/dataset/dataset_stats.h"
#include "core/dataset/coco_json.h"
#include "core/video/video_check.h"
#include "core/video/video_source.h"
#include "core/dataset/ytvis_json.h"

namespace autoqvis::cli {
namespace {

void printStats(const DatasetStats& stats, const std::string& title, bool json) {
  if (json) {
    const nlohmann::json line = {{"title", title}, {"stats", nlohmann::json::parse(statsToJson(stats))}};
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << formatStats(stats, title);
  }
}

// A data root holds several parts; report each that exists.
int infoForDataRoot(const Config& config, bool json) {
  int found = 0;
  auto coco = resolveDataPath(config, config.data.synthetic_annotations);
  if (std::filesystem::exists(coco)) {
    printStats(computeStats(loadCocoDataset(coco)), "synthetic stills (" + coco.string() + ")", json);
    ++found;
  }
  for (const auto* part : {&config.data.unlabeled_videos, &config.data.unlabeled_ground_truth, &config.data.val_videos}) {
    auto path = resolveDataPath(config, *part);
    if (part->empty() || !std::filesystem::exists(path)) continue;
    printStats(computeStats(loadYtvisDataset(path)), path.string(), json);
    ++found;
  }
  if (found == 0) throw Error("no dataset files found below the data root", inFile(config.data.root));
  return 0;
}

}  // namespace

// Frame count, size and rate of a video file or frame folder; --check decodes every frame.
int infoForVideo(const std::string& path, bool check, bool json, Environment& env) {
  auto source = openVideoSource(path);
  int decoded = -1;
  if (check) {
    VideoCheck checker(*source);
    runController(checker, env);
    decoded = checker.framesDecoded();
  }
  const cv::Size size = source->frameSize();
  if (json) {
    nlohmann::json line = {{"title", path},
                           {"video", {{"frames", source->frameCount()}, {"width", size.width}, {"height", size.height},
                                      {"fps", source->fps()}}}};
    if (check) line["video"]["frames_decoded"] = decoded;
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    std::cout << path << "\n  frames            " << source->frameCount() << "\n  size              " << size.width << "x"
              << size.height << "\n  fps               " << source->fps() << "\n";
    if (check) std::cout << "  decoded           all " << decoded << " frames\n";
  }
  return 0;
}

int runInfo(const Arguments& args, Environment& env) {
  Config config = loadConfigFromArguments(args);
  const bool json = args.flag("json");
  if (auto video = args.value("video")) return infoForVideo(*video, args.flag("check"), json, env);
  if (auto dataset_path = args.value("dataset")) {
    const YtvisDataset dataset = loadYtvisDataset(*dataset_path);
    if (auto results_path = args.value("results")) {
      YtvisDataset as_results = dataset;
      as_results.annotations = loadYtvisResults(*results_path, &dataset, ResultsCheck::Official);
      printStats(computeStats(as_results), *results_path, json);
    } else {
      printStats(computeStats(dataset), *dataset_path, json);
    }
    return 0;
  }
  if (args.value("results")) throw UsageError("--results needs --dataset (the videos it refers to)");
  if (auto coco_path = args.value("coco")) {
    printStats(computeStats(loadCocoDataset(*coco_path)), *coco_path, json);
    return 0;
  }
  if (auto root = args.value("data-root")) config.data.root = *root;
  return infoForDataRoot(config, json);
}

}  // namespace autoqvis::cli
