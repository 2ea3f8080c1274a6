#include "core/selftrain/review_pause.h"

#include "core/selftrain/selection_file.h"
#include "core/util/stage_files.h"

namespace autoqvis {

bool roundAwaitsReview(const Workspace& workspace, const std::string& stage) {
  if (!workspace.config().selftrain.review_before_training) return false;
  if (Workspace::stageKind(stage) != StageKind::Round) return false;
  const std::filesystem::path selection = StageFiles{workspace.dir() / stage}.selection();
  return !std::filesystem::exists(selection) || loadSelectionFile(selection).tau_from_config;
}

std::optional<std::string> stageAwaitingReview(const Workspace& workspace) {
  for (const std::string& stage : workspace.stages()) {
    if (workspace.isComplete(stage)) continue;
    // Only the first unfinished stage can be waiting: later ones have not started.
    if (workspace.hasStep(stage, "selected") && !workspace.hasStep(stage, "trained") &&
        roundAwaitsReview(workspace, stage)) {
      return stage;
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace autoqvis
