#include "core/selftrain/round_selection.h"

#include <cstdio>

#include "core/dataset/frame_fields.h"
#include "core/eval/quality_analysis.h"
#include "core/util/error.h"
#include "core/util/log.h"
#include "core/util/stage_files.h"

namespace autoqvis {
namespace fs = std::filesystem;

namespace {

void requireSelectingStage(const Workspace& workspace, const std::string& stage) {
  if (Workspace::stageKind(stage) == StageKind::Initial) {
    throw Error("the stage '" + stage + "' selects no pseudo-labels (only round-r and final do)",
                inFile(workspace.stateFile().string()));
  }
}

// The practical-limit oracle: each prediction's per-frame true IoU with its best-matching ground-truth
// track (quality_analysis.h), which the selection then uses as Q.
void attachTrueIou(const Config& config, std::vector<YtvisTrack>& results) {
  const YtvisDataset truth = loadYtvisDataset(resolveDataPath(config, config.data.unlabeled_ground_truth));
  const QualityAnalysis analysis = analyzeQuality(truth, results);
  for (size_t i = 0; i < results.size(); ++i) {
    results[i].frame_values[frame_fields::kTrueIou] = analysis.predictions[i].frame_iou;
  }
}

}  // namespace

SelectionInputs RoundInputs::view() const {
  SelectionInputs inputs{&dataset, dataset_path.string(), &results, results_path.string(), nullptr, ""};
  if (previous) {
    inputs.previous = &*previous;
    inputs.previous_source = previous_path.string();
  }
  return inputs;
}

RoundInputs loadRoundInputs(const Workspace& workspace, const std::string& stage) {
  requireSelectingStage(workspace, stage);
  const Config& config = workspace.config();
  const StageFiles files{workspace.stageDir(stage)};
  RoundInputs inputs;
  inputs.stage = stage;
  inputs.official_round = Workspace::stageRound(stage, config) - 1;
  inputs.dataset_path = resolveDataPath(config, config.data.unlabeled_videos);
  inputs.results_path = files.predictions();
  if (!fs::exists(inputs.results_path)) {
    throw Error("the stage '" + stage + "' has not predicted yet (no predictions file)",
                inFile(inputs.results_path.string()));
  }
  inputs.dataset = loadYtvisDataset(inputs.dataset_path);
  inputs.results = loadYtvisResults(inputs.results_path, &inputs.dataset);
  if (config.selftrain.label_source == "true_iou") attachTrueIou(config, inputs.results);
  if (inputs.official_round > 0) {
    inputs.previous_path = StageFiles{workspace.stageDir(workspace.previousStage(stage))}.roundState();
    inputs.previous = loadRoundState(inputs.previous_path, inputs.dataset);
  }
  return inputs;
}

SelectionFile currentSelectionFile(const Workspace& workspace, const std::string& stage) {
  requireSelectingStage(workspace, stage);
  const Config& config = workspace.config();
  const int official_round = Workspace::stageRound(stage, config) - 1;
  const fs::path path = StageFiles{workspace.stageDir(stage)}.selection();
  SelectionFile selection{official_round, config.selftrain.quality_threshold, true, {}};
  if (!fs::exists(path)) return selection;
  selection = loadSelectionFile(path);
  if (selection.round != official_round) {
    throw Error("this selection file is for round " + std::to_string(selection.round) + " but " + stage +
                    " makes round " + std::to_string(official_round),
                atKey(path.string(), "round"));
  }
  if (selection.tau_from_config) selection.tau = config.selftrain.quality_threshold;
  return selection;
}

SelectionOptions roundSelectionOptions(const Workspace& workspace, const std::string& stage, double tau) {
  SelectionOptions options = selectionOptionsFor(workspace.config().selftrain);
  options.tau = tau;
  options.round = Workspace::stageRound(stage, workspace.config()) - 1;
  return options;
}

nlohmann::json writeRoundSelection(const Workspace& workspace, const RoundInputs& inputs,
                                   const SelectionFile& selection) {
  const StageFiles files{workspace.stageDir(inputs.stage)};
  const SelectionOptions options = roundSelectionOptions(workspace, inputs.stage, selection.tau);
  // Select first: a selection file whose overrides name nothing in this round is an Error and
  // leaves every file of the stage as it was.
  const PseudoLabelRound round =
      selectPseudoLabels(inputs.view(), options, selection.overrides, files.selection().string());
  saveSelectionFile(selection, files.selection());
  savePseudoLabelRound(round, files.pseudoLabels(), files.roundState());
  const SelectionResult::Counts& c = round.selection.counts;
  char tau[32];
  std::snprintf(tau, sizeof(tau), "%g", options.tau);
  logInfo(inputs.stage + ": tau " + tau + " accepts " + std::to_string(c.objects) + " objects / " +
          std::to_string(c.frames) + " frames / " + std::to_string(c.videos) + " videos");
  return {{"round", options.round}, {"tau", options.tau},   {"overrides", selection.overrides.size()},
          {"objects", c.objects},   {"frames", c.frames},   {"videos", c.videos},
          {"labels", c.labels},     {"state_objects", c.state_objects},
          {"tau_source", selection.tau_from_config ? "config" : "user"}};
}

nlohmann::json commitSelection(Workspace& workspace, const std::string& stage, SelectionFile selection,
                               CommitPolicy policy) {
  requireSelectingStage(workspace, stage);
  if (!workspace.hasStep(stage, "predicted")) {
    throw Error("the stage '" + stage + "' has not predicted yet: nothing to commit",
                inFile(workspace.stateFile().string()));
  }
  const bool trained = Workspace::stageKind(stage) == StageKind::Round && workspace.hasStep(stage, "trained");
  if (trained && policy == CommitPolicy::RefuseAfterTraining) {
    throw Error("the stage '" + stage + "' has already trained on its earlier selection; committing discards "
                    "that training and every later stage",
                inFile(workspace.stateFile().string()));
  }
  checkTau(selection.tau, atKey(StageFiles{workspace.stageDir(stage)}.selection().string(), "tau"));
  selection.round = Workspace::stageRound(stage, workspace.config()) - 1;
  selection.tau_from_config = false;
  const RoundInputs inputs = loadRoundInputs(workspace, stage);
  nlohmann::json details = writeRoundSelection(workspace, inputs, selection);
  // Forget what was built on the earlier selection, then record this one.
  workspace.resetFromStep(stage, "selected");
  workspace.markStep(stage, "selected", details);
  return details;
}

std::vector<std::string> reviewableStages(const Workspace& workspace) {
  std::vector<std::string> stages;
  for (const std::string& stage : workspace.stages()) {
    if (Workspace::stageKind(stage) == StageKind::Initial) continue;
    if (workspace.hasStep(stage, "predicted")) stages.push_back(stage);
  }
  return stages;
}

}  // namespace autoqvis
