// The selection step of a workspace stage (round-r or final), as one recipe that the round controller,
// the review page and its tests share: which inputs the stage selects from (the unlabeled videos, the
// stage's predictions, the previous round's state), which selection file decides tau and the
// overrides, and how the pseudo-labels are written. A person's commit from the review goes through
// commitSelection, which writes the same files through the same engine call as `pseudo-labels
// --overrides`, and records the step again so that the next round trains on it.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/selftrain/pseudo_labels.h"
#include "core/selftrain/selection_file.h"
#include "core/selftrain/workspace.h"

namespace autoqvis {

/// What a stage selects from, loaded and checked; SelectionInputs points into it.
struct RoundInputs {
  std::string stage;
  int official_round = 0;  ///< stage round - 1: round-1 makes the official round 0
  std::filesystem::path dataset_path, results_path, previous_path;  ///< previous_path empty in round 0
  YtvisDataset dataset;
  std::vector<YtvisTrack> results;
  std::optional<RoundState> previous;

  /// Points into this object: keep it alive (and unmoved) while the view is used.
  SelectionInputs view() const;
};

/// Loads the unlabeled videos, the stage's predictions.json and (after round 0) the previous stage's
/// round_state.json. Throws Error naming the file for a stage that selects nothing ("initial"), one
/// not predicted yet, or inconsistent files.
RoundInputs loadRoundInputs(const Workspace& workspace, const std::string& stage);

/// The selection the stage uses now: its selection.json (a run-written file follows the configured
/// tau), or the configured tau without overrides when there is none yet. Throws Error naming the
/// file for a malformed one or one made for another round.
SelectionFile currentSelectionFile(const Workspace& workspace, const std::string& stage);
/// The workspace's selection options for this stage at `tau`.
SelectionOptions roundSelectionOptions(const Workspace& workspace, const std::string& stage, double tau);

/// Selects with `selection` and writes selection.json, pseudo_labels.json and round_state.json into
/// the stage folder (each atomically). Returns what the `selected` step records.
nlohmann::json writeRoundSelection(const Workspace& workspace, const RoundInputs& inputs,
                                   const SelectionFile& selection);

enum class CommitPolicy {
  RefuseAfterTraining,  ///< an Error when the stage has trained on its earlier selection
  DiscardLaterSteps,    ///< forget the stage's later steps and every later stage, then commit
};

/// A person's selection (tau_from_config is cleared: it becomes the stage's decision) written as the
/// stage's pseudo-labels, and the `selected` step recorded again with its counts. The stage must be
/// predicted. Returns the recorded details.
nlohmann::json commitSelection(Workspace& workspace, const std::string& stage, SelectionFile selection,
                               CommitPolicy policy = CommitPolicy::RefuseAfterTraining);

/// The stages of the workspace that select pseudo-labels and have predictions (round-r, final).
std::vector<std::string> reviewableStages(const Workspace& workspace);

}  // namespace autoqvis
