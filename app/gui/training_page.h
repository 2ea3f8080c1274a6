// The training page: the glue between a workspace, the job runner and the training dock. It opens a
// workspace (its finished stages' curves from metrics.jsonl, AP per stage), creates new projects (the
// toy world's data as a job), and runs the method from the window — stage 1, the next round, all
// rounds, stop — as WorkspaceRunJobs through the JobRunner, one at a time, feeding the curves and the
// progress with the queued snapshots. A stopped stage resumes where it stopped (the engine's resume).
// With selftrain.review_before_training a round's run ends awaiting review: the page emits
// reviewRequested(stage), and Continue commits the selection through commit_hook and runs on.
#pragma once

#include <QObject>
#include <QString>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/selftrain/project_setup.h"
#include "core/selftrain/workspace.h"
#include "core/util/controller.h"

namespace autoqvis::widgets {
class JobRunner;
class TrainingPanel;
}  // namespace autoqvis::widgets

namespace autoqvis::gui {

class TrainingPage : public QObject {
  Q_OBJECT

 public:
  explicit TrainingPage(QObject* parent = nullptr);
  ~TrainingPage() override;

  widgets::TrainingPanel* panel() const { return panel_; }
  widgets::JobRunner* runner() const { return runner_; }
  const Workspace* workspace() const { return workspace_.get(); }
  bool isRunning() const;
  /// The round whose run ended awaiting review; empty otherwise.
  const QString& awaitingReview() const { return awaiting_review_; }

  /// Opens the workspace and shows its history; false (after `problem`) when it cannot be opened.
  bool openWorkspace(const QString& dir);
  /// Creates the project (inputs already checked by the dialog are checked again) and opens it; the toy
  /// world's data is generated first, as a job. False (after `problem`) when nothing was created.
  bool createProject(const ProjectInputs& inputs);

  /// The run actions (also the panel's buttons and the Run menu). `until`: last stage; nullopt: all.
  bool runUntil(std::optional<std::string> until);
  void runStage1();
  void runNextRound();
  void runAll();
  void stop();
  /// Commits the awaiting round's selection (commit_hook) and runs on as the paused run would have.
  void continueAfterReview();

  /// Commits a reviewed round's selection; true when the round may train. The default marks the round's
  /// selection.json as a person's choice (tau_source "user"): its pseudo-labels are unchanged.
  std::function<bool(const std::string& stage)> commit_hook;
  static bool markSelectionCommitted(const Workspace& workspace, const std::string& stage);

 signals:
  void workspaceOpened(const QString& dir);
  void reviewRequested(const QString& stage);
  /// "self-training: round-1 train iterations", or empty when idle (the status bar).
  void jobStatusChanged(const QString& text);
  void jobEnded(const autoqvis::JobResult& result);
  void problem(const QString& title, const QString& message);

 private:
  void startJob(std::shared_ptr<Controller> job, const QString& what);
  void onEnded(const JobResult& result);
  void reloadHistory();
  void updateActions();
  void refreshSummary();

  widgets::TrainingPanel* panel_ = nullptr;
  widgets::JobRunner* runner_ = nullptr;
  std::unique_ptr<Workspace> workspace_;
  std::shared_ptr<Controller> job_;            ///< the job in flight (read after it ended)
  std::optional<std::string> last_until_;      ///< what the last run was asked to reach
  std::function<void()> after_job_;            ///< e.g. open the new toy project once its data exists
  QString awaiting_review_;
};

}  // namespace autoqvis::gui
