#include "core/selftrain/self_training_run.h"

#include <chrono>
#include <map>

#include "core/dataset/ytvis_json.h"
#include "core/eval/ytvis_eval.h"
#include "core/eval/ytvis_metrics.h"
#include "core/infer/prediction_job.h"
#include "core/selftrain/review_pause.h"
#include "core/selftrain/round_selection.h"
#include "core/train/stage_trainer_setup.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include "core/util/log.h"
#include "core/util/stage_files.h"

namespace autoqvis {
namespace fs = std::filesystem;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool validationConfigured(const Config& config) { return !config.data.val_videos.empty(); }

fs::path shardFile(const StageFiles& files, int rank) {
  return files.dir / ("predictions.rank-" + std::to_string(rank) + ".json");
}

// Every process's shard in the dataset's video order, as one process would have written them.
std::vector<YtvisTrack> gatherShards(const StageFiles& files, int world_size, const YtvisDataset& dataset) {
  std::map<int64_t, std::vector<YtvisTrack>> by_video;
  for (int rank = 0; rank < world_size; ++rank) {
    for (YtvisTrack& track : loadYtvisResults(shardFile(files, rank), &dataset)) {
      by_video[track.video_id].push_back(std::move(track));
    }
  }
  std::vector<YtvisTrack> results;
  for (const YtvisVideo& video : dataset.videos) {
    for (YtvisTrack& track : by_video[video.id]) results.push_back(std::move(track));
  }
  return results;
}

nlohmann::json metricsDetails(const YtvisMetrics& m) {
  return {{"AP", m.AP}, {"AP50", m.AP50}, {"AP75", m.AP75}, {"AR1", m.AR1}, {"AR10", m.AR10}};
}

}  // namespace

BestModelFiles bestModelFiles(const Workspace& workspace) {
  return {workspace.dir() / "best.json", workspace.dir() / "model_best.pt", workspace.dir() / "model_best.pth"};
}

SelfTrainingRun::SelfTrainingRun(Workspace& workspace, SelfTrainingOptions options)
    : Controller("self-training"), workspace_(workspace), options_(std::move(options)) {
  if (options_.until) {
    const auto& stages = workspace_.stages();
    if (std::find(stages.begin(), stages.end(), *options_.until) == stages.end()) {
      workspace_.stageDir(*options_.until);  // throws, listing the project's stages
    }
  }
}

void SelfTrainingRun::run() {
  awaiting_review_.clear();
  // A copy: the other processes of a data-parallel run reload the workspace after every step.
  const std::vector<std::string> stages = workspace_.stages();
  for (const std::string& stage : stages) {
    if (!workspace_.isComplete(stage) && !runStage(stage)) break;
    if (options_.until && stage == *options_.until) break;
  }
  stage_.clear();
  step_.clear();
}

bool SelfTrainingRun::runStage(const std::string& stage) {
  stage_ = stage;
  for (const std::string& step : Workspace::stepsOf(Workspace::stageKind(stage))) {
    if (workspace_.hasStep(stage, step)) continue;
    checkStop();
    if (step == "trained" && pausesForReview(stage)) {
      awaiting_review_ = stage;
      if (options_.parallel.isMain()) {
        logInfo(stage + " awaits review: its pseudo-labels are in " +
                StageFiles{workspace_.stageDir(stage)}.pseudoLabels().string() +
                "; commit the selection (the review page's Continue) and run again to train on it");
      }
      return false;
    }
    step_ = step;
    runStep(stage, step);
  }
  return true;
}

bool SelfTrainingRun::pausesForReview(const std::string& stage) const { return roundAwaitsReview(workspace_, stage); }

void SelfTrainingRun::barrier() const {
  if (options_.parallel.world_size > 1 && options_.parallel.barrier) options_.parallel.barrier();
}

// Prediction and training run on every process; selection and evaluation on rank 0 only. Rank 0 alone
// records the step; the others read the state it wrote.
void SelfTrainingRun::runStep(const std::string& stage, const std::string& step) {
  const bool every_process = step == "predicted" || step == "trained";
  const bool is_main = options_.parallel.isMain();
  const auto start = std::chrono::steady_clock::now();
  if (is_main) logInfo(stage + ": " + step.substr(0, step.size() - 2) + "ing");
  nlohmann::json details;
  if (every_process || is_main) {
    if (step == "predicted") details = predict(stage);
    else if (step == "selected") details = select(stage);
    else if (step == "trained") details = train(stage);
    else details = evaluate(stage);
  }
  barrier();
  if (is_main) {
    details["seconds"] = secondsSince(start);
    workspace_.markStep(stage, step, details);
  }
  barrier();
  if (!is_main) workspace_ = Workspace::open(workspace_.dir());
}

// One GPU per process in a data-parallel run, the one its training uses (LOCAL_RANK).
LoadedModel SelfTrainingRun::loadModel(const fs::path& weights) const {
  LoadedModel loaded = loadModelForInference(weights, workspace_.config());
  if (loaded.device.is_cuda() && options_.parallel.world_size > 1) {
    loaded.device = c10::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(options_.parallel.local_rank));
    loaded.model->to(loaded.device);
  }
  return loaded;
}

nlohmann::json SelfTrainingRun::predict(const std::string& stage) {
  const Config& config = workspace_.config();
  const StageFiles files{workspace_.stageDir(stage)};
  const StageFiles model{workspace_.stageDir(workspace_.previousStage(stage))};
  const fs::path dataset_path = resolveDataPath(config, config.data.unlabeled_videos);
  const YtvisDataset dataset = loadYtvisDataset(dataset_path);
  std::vector<VideoToPredict> all = videosOfDataset(dataset, resolveDataPath(config, config.data.unlabeled_frames));
  const ParallelHooks& parallel = options_.parallel;
  std::vector<VideoToPredict> shard;
  for (size_t i = 0; i < all.size(); ++i) {
    if (static_cast<int>(i % parallel.world_size) == parallel.rank) shard.push_back(std::move(all[i]));
  }
  const LoadedModel loaded = loadModel(model.weightsPt());
  PredictorOptions predictor_options;
  predictor_options.top_k = config.selftrain.top_k;
  VideoPredictor predictor = makePredictor(loaded, predictor_options);
  PredictionJob job(predictor, std::move(shard));
  runChild(job, stage);
  nlohmann::json details = {{"model", model.dir.filename().string()}, {"videos", dataset.videos.size()}};
  if (parallel.world_size == 1) {
    saveYtvisResults(job.results(), files.predictions());
    details["frames"] = job.framesPredicted();
  } else {
    saveYtvisResults(job.results(), shardFile(files, parallel.rank));
    barrier();
    if (parallel.isMain()) saveYtvisResults(gatherShards(files, parallel.world_size, dataset), files.predictions());
  }
  reportArtifact(files.predictions());
  return details;
}

// A person's selection file (the review's commit, or by hand) decides tau and the overrides; the run
// writes one with the configured tau when there is none.
nlohmann::json SelfTrainingRun::select(const std::string& stage) {
  if (workspace_.config().selftrain.label_source == "ground_truth") return selectGroundTruth(stage);
  const RoundInputs inputs = loadRoundInputs(workspace_, stage);
  const nlohmann::json details = writeRoundSelection(workspace_, inputs, currentSelectionFile(workspace_, stage));
  reportArtifact(StageFiles{workspace_.stageDir(stage)}.pseudoLabels());
  return details;
}

// Table 2's theoretical limit: the round trains on the unlabeled videos' own annotations.
nlohmann::json SelfTrainingRun::selectGroundTruth(const std::string& stage) {
  const Config& config = workspace_.config();
  const fs::path truth = resolveDataPath(config, config.data.unlabeled_ground_truth);
  const YtvisDataset labels = loadYtvisDataset(truth);
  const StageFiles files{workspace_.stageDir(stage)};
  copyFileAtomically(truth, files.pseudoLabels());
  reportArtifact(files.pseudoLabels());
  int64_t frames = 0;
  for (const YtvisTrack& track : labels.annotations) frames += track.numPresentFrames();
  logInfo(stage + ": the ground truth of the unlabeled videos as labels (selftrain.label_source ground_truth)");
  return {{"label_source", "ground_truth"}, {"objects", labels.annotations.size()}, {"frames", frames},
          {"videos", labels.videos.size()}};
}

nlohmann::json SelfTrainingRun::train(const std::string& stage) {
  const Config& config = workspace_.config();
  const StageFiles files{workspace_.stageDir(stage)};
  // A killed run left a checkpoint to continue from (resetFrom removes those of a stage to redo).
  const bool resume = fs::exists(files.checkpoints());
  TrainerSetup setup;
  if (Workspace::stageKind(stage) == StageKind::Initial) {
    const fs::path weights = config.data.initial_weights.empty() ? fs::path()
                                                                 : resolveDataPath(config, config.data.initial_weights);
    setup = trainerSetupForStage(config, TrainingStage::Initial, files.dir, {}, weights, resume);
  } else {
    const YtvisDataset labels = loadYtvisDataset(files.pseudoLabels());
    std::vector<std::shared_ptr<const ClipSource>> first;
    if (labels.videos.empty()) {
      logWarning(stage + ": no pseudo-label was accepted; this round trains on the synthetic videos only");
    } else {
      first.push_back(pseudoLabelSource(config, files.pseudoLabels(), resolveDataPath(config, config.data.unlabeled_frames)));
    }
    const std::string start = config.selftrain.reset_weights ? "initial" : workspace_.previousStage(stage);
    setup = trainerSetupForStage(config, TrainingStage::Round, files.dir, std::move(first),
                                 StageFiles{workspace_.stageDir(start)}.weightsPt(), resume);
    // Each round draws its own clips (the official trainer's loader simply continues).
    setup.seed = config.runtime.seed + Workspace::stageRound(stage, config);
  }
  if (options_.parallel.world_size > 1 && options_.parallel.join_training) options_.parallel.join_training(setup);
  const int64_t iterations = setup.train.max_iter;
  Trainer trainer(std::move(setup));
  runChild(trainer, stage);
  reportArtifact(files.weightsPt());
  return {{"iterations", iterations}};
}

YtvisMetrics SelfTrainingRun::evaluateWeights(const fs::path& weights, const YtvisDataset& val, const std::string& stage,
                                              const fs::path& results_file) {
  const Config& config = workspace_.config();
  const LoadedModel loaded = loadModel(weights);
  PredictorOptions predictor_options;
  predictor_options.top_k = config.selftrain.top_k;
  VideoPredictor predictor = makePredictor(loaded, predictor_options);
  PredictionJob job(predictor, videosOfDataset(val, resolveDataPath(config, config.data.val_frames)));
  runChild(job, stage);
  if (!results_file.empty()) saveYtvisResults(job.results(), results_file);
  return evaluateYtvis(val, job.results());
}

nlohmann::json SelfTrainingRun::evaluate(const std::string& stage) {
  const Config& config = workspace_.config();
  if (!validationConfigured(config)) return {{"skipped", "no validation set (data.val_videos is empty)"}};
  const StageFiles files{workspace_.stageDir(stage)};
  const YtvisDataset val = loadYtvisDataset(resolveDataPath(config, config.data.val_videos));
  const YtvisMetrics metrics = evaluateWeights(files.weightsPt(), val, stage, files.valResults());
  writeFileAtomically(files.evaluation(), metricsToJson(metrics));
  reportArtifact(files.evaluation());
  nlohmann::json details = metricsDetails(metrics);
  if (Workspace::stageKind(stage) == StageKind::Initial && !config.data.initial_weights.empty()) {
    // What stage 1 started from (the paper's VideoCutLER row), on the same validation videos.
    const YtvisMetrics base =
        evaluateWeights(resolveDataPath(config, config.data.initial_weights), val, stage + " base", {});
    writeFileAtomically(files.baseEvaluation(), metricsToJson(base));
    details["base"] = metricsDetails(base);
  }
  if (Workspace::stageKind(stage) == StageKind::Round) {
    // The best is chosen including this stage, before the step is recorded: a run killed in between
    // redoes the evaluation and comes to the same choice.
    keepBestModel();
  }
  return details;
}

// model_best: the round with the highest validation AP50 (the earliest on a tie), as the official
// best-checkpointer keeps it; the initial stage is not a candidate there either.
void SelfTrainingRun::keepBestModel() {
  std::string best_stage;
  double best_ap50 = -2;
  for (const std::string& stage : workspace_.stages()) {
    if (Workspace::stageKind(stage) != StageKind::Round) continue;
    const StageFiles files{workspace_.dir() / stage};
    if (!fs::exists(files.evaluation())) continue;
    if (stage != stage_ && !workspace_.hasStep(stage, "evaluated")) continue;
    const double ap50 = metricsFromJson(readFile(files.evaluation()), files.evaluation().string()).AP50;
    if (ap50 > best_ap50) best_ap50 = ap50, best_stage = stage;
  }
  if (best_stage.empty()) return;
  const BestModelFiles best = bestModelFiles(workspace_);
  const StageFiles files{workspace_.dir() / best_stage};
  copyFileAtomically(files.weightsPt(), best.weights_pt);
  copyFileAtomically(files.weightsPth(), best.weights_pth);
  writeFileAtomically(best.record, nlohmann::json{{"stage", best_stage}, {"AP50", best_ap50}}.dump(2) + "\n");
  reportArtifact(best.weights_pt);
}

}  // namespace autoqvis
