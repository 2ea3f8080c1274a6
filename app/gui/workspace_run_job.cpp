#include "app/gui/workspace_run_job.h"

namespace autoqvis::gui {

WorkspaceRunJob::WorkspaceRunJob(const std::filesystem::path& workspace, std::optional<std::string> until)
    : Controller("self-training"), workspace_(Workspace::open(workspace)) {
  options_.until = std::move(until);
}

void WorkspaceRunJob::run() {
  SelfTrainingRun run(workspace_, options_);
  // The runner's events and stop token go to the run itself: it reports exactly as under `run`.
  run.setEvents(events());
  run.setStopToken(stopToken());
  run.run();
  awaiting_review_ = run.awaitingReview();
}

}  // namespace autoqvis::gui
