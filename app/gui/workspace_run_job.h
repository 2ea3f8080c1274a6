// The job the training page hands to the job runner: a SelfTrainingRun on the worker thread, on its own
// copy of the workspace (opened from disk when the job is made), so the GUI thread never reads a
// Workspace that the worker is updating. After the job has ended the page reopens the workspace.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/selftrain/self_training_run.h"
#include "core/selftrain/workspace.h"
#include "core/util/controller.h"

namespace autoqvis::gui {

class WorkspaceRunJob : public Controller {
 public:
  /// `until`: the last stage to run (inclusive); nullopt: every remaining stage.
  WorkspaceRunJob(const std::filesystem::path& workspace, std::optional<std::string> until);
  void run() override;
  /// Read after the job has ended: the round waiting for review (empty: none).
  const std::string& awaitingReview() const { return awaiting_review_; }

 private:
  Workspace workspace_;
  SelfTrainingOptions options_;
  std::string awaiting_review_;
};

}  // namespace autoqvis::gui
