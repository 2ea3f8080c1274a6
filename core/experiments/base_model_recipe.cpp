#include "core/experiments/base_model_recipe.h"

#include <chrono>
#include <fstream>
#include <thread>

#include "core/dataset/ytvis_json.h"
#include "core/eval/ytvis_eval.h"
#include "core/eval/ytvis_metrics.h"
#include "core/infer/prediction_job.h"
#include "core/infer/predictor_loading.h"
#include "core/toyworld/toy_world_writer.h"
#include "core/train/stage_trainer_setup.h"
#include "core/util/atomic_file.h"
#include "core/util/blas_info.h"
#include "core/util/sha256.h"
#include "core/util/stage_files.h"
#include "core/util/torch_device.h"
#include "core/util/torch_runtime.h"

namespace autoqvis {
namespace fs = std::filesystem;

namespace {

std::string cpuModelName() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
  }
  return "unknown CPU";
}

// The training's own wall time, kept beside it: a rerun that finds the model trained still reports it.
fs::path trainingTimeFile(const BaseModelFiles& files) { return files.train() / "training_time.json"; }

}  // namespace

std::string describeMachine() {
  std::string text = cpuModelName() + ", " + std::to_string(std::thread::hardware_concurrency()) +
                     " hardware threads, LibTorch " + torchRuntimeInfo().version + " on " +
                     std::to_string(torchRuntimeInfo().intra_op_threads) + " threads, " + describeBlas(detectBlas());
  if (torchRuntimeInfo().cuda_available) text += ", CUDA devices: " + std::to_string(torchRuntimeInfo().cuda_devices);
  return text;
}

BaseModelRecipe::BaseModelRecipe(Config config, fs::path out)
    : Controller("make-base-model"), config_(std::move(config)), files_{std::move(out)} {
  config_.data.root = files_.data().string();
}

void BaseModelRecipe::run() {
  ToyWorldWriter world(config_.toy_world, files_.data());
  runChild(world, "world");
  checkStop();
  const double training_seconds = train();
  checkStop();
  const nlohmann::json validation = evaluate();
  const StageFiles trained{files_.train()};
  copyFileAtomically(trained.weightsPth(), files_.weights());
  sidecar_ = {{"file", files_.weights().filename().string()},
              {"sha256", sha256OfFile(files_.weights())},
              {"bytes", fs::file_size(files_.weights())},
              {"recipe", "autoqvis --headless make-base-model (config below)"},
              {"seed", config_.runtime.seed},
              {"toy_world_seed", config_.toy_world.seed},
              {"iterations", config_.initial_training.max_iter},
              {"wall_time_s", training_seconds},
              {"machine", describeMachine()},
              {"device", selectDevice(config_.runtime.device).str()},
              {"validation", validation},
              {"config", configToYaml(config_)}};
  const nlohmann::json timing = nlohmann::json::parse(readFile(trainingTimeFile(files_)));
  if (timing.contains("note")) sidecar_["wall_time_note"] = timing["note"];
  writeFileAtomically(files_.sidecar(), sidecar_.dump(2) + "\n");
  reportArtifact(files_.weights());
  reportArtifact(files_.sidecar());
}

double BaseModelRecipe::train() {
  const StageFiles trained{files_.train()};
  if (fs::exists(trained.weightsPth()) && fs::exists(trainingTimeFile(files_))) {
    return nlohmann::json::parse(readFile(trainingTimeFile(files_))).at("seconds").get<double>();
  }
  const bool resume = fs::exists(trained.checkpoints());
  TrainerSetup setup = trainerSetupForStage(config_, TrainingStage::Initial, files_.train(), {}, {}, resume);
  const auto start = std::chrono::steady_clock::now();
  Trainer trainer(std::move(setup));
  runChild(trainer, "base model");
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  writeFileAtomically(trainingTimeFile(files_), nlohmann::json{{"seconds", seconds}, {"resumed", resume}}.dump() + "\n");
  return seconds;
}

nlohmann::json BaseModelRecipe::evaluate() {
  const StageFiles trained{files_.train()};
  const YtvisDataset val = loadYtvisDataset(resolveDataPath(config_, config_.data.val_videos));
  const LoadedModel loaded = loadModelForInference(trained.weightsPt(), config_);
  VideoPredictor predictor = makePredictor(loaded);
  PredictionJob job(predictor, videosOfDataset(val, resolveDataPath(config_, config_.data.val_frames)));
  runChild(job, "validation");
  saveYtvisResults(job.results(), trained.valResults());
  const YtvisMetrics metrics = evaluateYtvis(val, job.results());
  writeFileAtomically(trained.evaluation(), metricsToJson(metrics));
  return {{"videos", val.videos.size()}, {"AP", metrics.AP},     {"AP50", metrics.AP50},
          {"AP75", metrics.AP75},        {"AR1", metrics.AR1},   {"AR10", metrics.AR10}};
}

}  // namespace autoqvis
