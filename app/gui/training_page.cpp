// LibTorch first (through the run job): Qt's `slots` keyword macro would break its headers.
#include "app/gui/workspace_run_job.h"

#include "app/gui/training_page.h"

#include <QAction>
#include <QDir>

#include "core/selftrain/review_pause.h"
#include "core/selftrain/selection_file.h"
#include "core/selftrain/stage_summary.h"
#include "core/selftrain/video_folder_import.h"
#include "core/toyworld/toy_world_writer.h"
#include "core/eval/ytvis_metrics.h"
#include "core/util/atomic_file.h"
#include "core/util/log.h"
#include "core/util/metrics_file.h"
#include "core/util/stage_files.h"
#include "core/util/torch_runtime.h"
#include "widgets/jobs/job_runner.h"
#include "widgets/training/stage_ap_plot.h"
#include "widgets/training/training_curves.h"
#include "widgets/training/training_panel.h"
#include "widgets/training/training_progress.h"

namespace autoqvis::gui {

namespace fs = std::filesystem;

namespace {

QString qs(const std::string& text) { return QString::fromStdString(text); }

// The first stage after stage 1 not complete yet: what "Run next round" runs up to.
std::optional<std::string> nextRound(const Workspace& workspace) {
  for (const std::string& stage : workspace.stages()) {
    if (stage != "initial" && !workspace.isComplete(stage)) return stage;
  }
  return std::nullopt;
}

}  // namespace

TrainingPage::TrainingPage(QObject* parent)
    : QObject(parent), panel_(new widgets::TrainingPanel), runner_(new widgets::JobRunner(this)) {
  commit_hook = [this](const std::string& stage) { return workspace_ && markSelectionCommitted(*workspace_, stage); };
  connect(panel_->runStage1Action(), &QAction::triggered, this, &TrainingPage::runStage1);
  connect(panel_->runNextRoundAction(), &QAction::triggered, this, &TrainingPage::runNextRound);
  connect(panel_->runAllAction(), &QAction::triggered, this, &TrainingPage::runAll);
  connect(panel_->stopAction(), &QAction::triggered, this, &TrainingPage::stop);
  connect(panel_->continueAction(), &QAction::triggered, this, &TrainingPage::continueAfterReview);
  connect(runner_, &widgets::JobRunner::metrics, panel_->curves(), &widgets::TrainingCurves::append);
  connect(runner_, &widgets::JobRunner::progress, this, [this](const Progress& p) {
    panel_->progress()->show(p);
    emit jobStatusChanged(qs(p.job + ": " + p.stage));
  });
  connect(runner_, &widgets::JobRunner::ended, this, &TrainingPage::onEnded);
  // A stage's validation scores appear as soon as its eval.json is written, not at the run's end.
  connect(runner_, &widgets::JobRunner::artifact, this, [this](const QString& path) {
    const fs::path file = path.toStdString();
    if (file.filename() != "eval.json") return;
    try {
      const YtvisMetrics m = metricsFromJson(readFile(file), file.string());
      panel_->apPlot()->setScore({qs(file.parent_path().filename().string()), m.AP50, m.AP});
    } catch (const std::exception&) {
      emit problem("Cannot read the validation scores", qs(describeCurrentException()));
    }
  });
  updateActions();
}

// The panel lives in the window's dock, which owns it; alone (tests) it is the page's.
TrainingPage::~TrainingPage() {
  runner_->stopAndWait();
  if (panel_ && !panel_->parent()) delete panel_;
}

bool TrainingPage::isRunning() const { return runner_->isRunning(); }

bool TrainingPage::openWorkspace(const QString& dir) {
  if (isRunning()) {
    emit problem("Cannot open a workspace", "a job is running; stop it first");
    return false;
  }
  try {
    workspace_ = std::make_unique<Workspace>(Workspace::open(dir.toStdString()));
  } catch (const std::exception& e) {
    emit problem("Cannot open the workspace", qs(describeCurrentException()));
    return false;
  }
  // A round left waiting for review (by this window or by headless `run`) waits here too.
  awaiting_review_.clear();
  try {
    if (const auto stage = stageAwaitingReview(*workspace_)) awaiting_review_ = qs(*stage);
  } catch (const std::exception&) {
    emit problem("Cannot read the selection file", qs(describeCurrentException()));
  }
  last_until_.reset();
  panel_->progress()->reset(awaiting_review_.isEmpty() ? "Idle" : awaiting_review_ + " awaits review");
  reloadHistory();
  updateActions();
  logInfo("opened workspace " + workspace_->dir().string());
  emit workspaceOpened(QDir(dir).absolutePath());
  if (!awaiting_review_.isEmpty()) emit reviewRequested(awaiting_review_);
  return true;
}

bool TrainingPage::createProject(const ProjectInputs& inputs) {
  if (isRunning()) {
    emit problem("Cannot create a project", "a job is running; stop it first");
    return false;
  }
  try {
    const Workspace created = autoqvis::createProject(inputs);
    const QString dir = qs(created.dir().string());
    const Config config = created.config();
    // The toy world's data, or the imported video files, are written by a job; the project opens when
    // it is complete (a failed or stopped job leaves the project to open by hand and rerun).
    if (inputs.toy_world) {
      after_job_ = [this, dir, config] {
        Config record;  // the generator options travel with the data, as make-toy-data writes them
        record.toy_world = config.toy_world;
        record.data.root = config.data.root;
        saveConfig(record, fs::path(config.data.root) / "world.yaml");
        openWorkspace(dir);
      };
      startJob(std::make_shared<ToyWorldWriter>(config.toy_world, config.data.root), "make-toy-data");
      return true;
    }
    if (!inputs.unlabeled_video_folder.empty()) {
      after_job_ = [this, dir] { openWorkspace(dir); };
      startJob(std::make_shared<VideoFolderImport>(inputs.unlabeled_video_folder, importedVideosRoot(inputs)),
               "import-videos");
      return true;
    }
    return openWorkspace(dir);
  } catch (const std::exception&) {
    emit problem("The project was not created", qs(describeCurrentException()));
    return false;
  }
}

void TrainingPage::reloadHistory() {
  std::vector<widgets::StageCurve> curves;
  std::vector<widgets::StageScore> scores;
  try {
    for (const std::string& stage : workspace_->stages()) {
      const StageFiles files{workspace_->dir() / stage};
      // A trained stage, or one stopped in training (its checkpoints); a stage reset to be redone keeps
      // an old metrics.jsonl that is no longer its history.
      if (!workspace_->hasStep(stage, "trained") && !fs::exists(files.checkpoints())) continue;
      std::vector<IterationMetrics> points = loadMetricsFile(files.metrics());
      if (points.empty()) continue;
      const int64_t max_iter = points.back().max_iter;
      curves.push_back({qs(stage), max_iter, std::move(points)});
    }
    for (const StageSummary& s : summarizeStages(*workspace_)) {
      if (Workspace::stageKind(s.stage) == StageKind::Final) continue;  // not evaluated
      scores.push_back({qs(s.stage), s.AP50, s.AP});
    }
  } catch (const std::exception&) {
    emit problem("Cannot read the workspace's history", qs(describeCurrentException()));
  }
  panel_->curves()->setStages(std::move(curves));
  panel_->apPlot()->setScores(std::move(scores));
  panel_->setValidationAvailable(!workspace_->config().data.val_videos.empty());
  refreshSummary();
}

void TrainingPage::refreshSummary() {
  if (!workspace_) return;
  QString text = qs(workspace_->dir().string()) + " · ";
  QStringList done;
  for (const std::string& stage : workspace_->completedStages()) done << qs(stage);
  text += done.isEmpty() ? "nothing run yet" : "done: " + done.join(", ");
  if (isRunning()) {
    text += " · running";
  } else if (!awaiting_review_.isEmpty()) {
    text += " · " + awaiting_review_ + " awaits review";
  } else if (const auto next = workspace_->nextStage()) {
    text += " · next: " + qs(*next);
  } else {
    text += " · all stages complete";
  }
  panel_->setSummary(text);
}

void TrainingPage::updateActions() {
  const bool idle = workspace_ && !isRunning();
  const bool review = !awaiting_review_.isEmpty();
  panel_->runStage1Action()->setEnabled(idle && !review && !workspace_->isComplete("initial"));
  panel_->runNextRoundAction()->setEnabled(idle && !review && nextRound(*workspace_).has_value());
  panel_->runAllAction()->setEnabled(idle && !review && workspace_->nextStage().has_value());
  panel_->stopAction()->setEnabled(isRunning());
  panel_->continueAction()->setVisible(review);
  panel_->continueAction()->setEnabled(idle && review);
}

bool TrainingPage::runUntil(std::optional<std::string> until) {
  if (!workspace_ || isRunning()) return false;
  std::shared_ptr<WorkspaceRunJob> job;
  try {
    setTorchThreads(workspace_->config().runtime.threads);  // as headless `run` does
    job = std::make_shared<WorkspaceRunJob>(workspace_->dir(), until);
  } catch (const std::exception&) {
    emit problem("Cannot start the run", qs(describeCurrentException()));
    return false;
  }
  last_until_ = until;
  awaiting_review_.clear();
  startJob(job, until ? qs("self-training until " + *until) : QString("self-training"));
  return true;
}

void TrainingPage::runStage1() { runUntil(std::string("initial")); }
void TrainingPage::runNextRound() {
  if (workspace_) runUntil(nextRound(*workspace_));
}
void TrainingPage::runAll() { runUntil(std::nullopt); }
void TrainingPage::stop() {
  runner_->requestStop();
  emit jobStatusChanged("stopping…");
}

void TrainingPage::continueAfterReview() {
  if (awaiting_review_.isEmpty() || isRunning()) return;
  const std::string stage = awaiting_review_.toStdString();
  bool committed = false;
  try {
    committed = commit_hook && commit_hook(stage);
  } catch (const std::exception&) {
    emit problem("Cannot commit the selection of " + awaiting_review_, qs(describeCurrentException()));
    return;
  }
  if (!committed) return;  // the hook said why (e.g. nothing reviewed yet)
  runUntil(last_until_);
}

bool TrainingPage::markSelectionCommitted(const Workspace& workspace, const std::string& stage) {
  const fs::path path = StageFiles{workspace.dir() / stage}.selection();
  SelectionFile selection = loadSelectionFile(path);
  selection.tau_from_config = false;
  saveSelectionFile(selection, path);
  logInfo(stage + ": selection committed as reviewed (tau " + std::to_string(selection.tau) + ", " +
          std::to_string(selection.overrides.size()) + " decisions)");
  return true;
}

void TrainingPage::startJob(std::shared_ptr<Controller> job, const QString& what) {
  job_ = job;
  if (!runner_->start(std::move(job))) {
    job_.reset();
    after_job_ = nullptr;
    return;
  }
  panel_->progress()->reset("Starting " + what + "…");
  emit jobStatusChanged(what);
  updateActions();
  refreshSummary();
}

void TrainingPage::onEnded(const JobResult& result) {
  const std::shared_ptr<Controller> job = std::move(job_);
  std::function<void()> after = std::move(after_job_);
  after_job_ = nullptr;
  if (auto* run = dynamic_cast<WorkspaceRunJob*>(job.get())) awaiting_review_ = qs(run->awaitingReview());
  switch (result.outcome) {
    case JobOutcome::Finished:
      panel_->progress()->reset(awaiting_review_.isEmpty() ? "Finished" : awaiting_review_ + " awaits review");
      break;
    case JobOutcome::Stopped:
      panel_->progress()->reset("Stopped: the workspace keeps every finished step; run again to continue");
      break;
    case JobOutcome::Failed:
      panel_->progress()->reset("Failed");
      emit problem("The job failed", qs(result.message));
      break;
  }
  emit jobStatusChanged({});
  if (workspace_) {
    try {
      workspace_ = std::make_unique<Workspace>(Workspace::open(workspace_->dir()));
    } catch (const std::exception&) {
      emit problem("Cannot reopen the workspace", qs(describeCurrentException()));
    }
    reloadHistory();
  }
  updateActions();
  if (result.outcome == JobOutcome::Finished && after) after();
  emit jobEnded(result);
  if (!awaiting_review_.isEmpty()) emit reviewRequested(awaiting_review_);
}

}  // namespace autoqvis::gui
