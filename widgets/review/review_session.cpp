#include "widgets/review/review_session.h"

#include <QMetaObject>
#include <algorithm>

#include "core/config/config.h"
#include "core/util/controller.h"
#include "core/util/log.h"
#include "core/util/stage_files.h"

namespace autoqvis::widgets {
namespace fs = std::filesystem;

struct ReviewSession::Opened {
  std::shared_ptr<const RoundInputs> inputs;
  std::unique_ptr<SelectionIndex> index;
  std::shared_ptr<const ReviewCatalog> catalog;
  SelectionFile committed;
  SelectionResult::Counts committed_counts;
  SelectionOptions options;
  fs::path workspace_dir;
  std::string stage;
};

namespace {

bool sameOverrides(const std::vector<Override>& a, const std::vector<Override>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].video_id != b[i].video_id || a[i].target != b[i].target || a[i].object_id != b[i].object_id ||
        a[i].frame != b[i].frame || a[i].decision.decision != b[i].decision.decision)
      return false;
  }
  return true;
}

}  // namespace

ReviewSession::ReviewSession(QObject* parent)
    : QObject(parent), overrides_(std::make_shared<const std::vector<Override>>()) {
  worker_ = std::thread([this] { workerLoop(); });
}

ReviewSession::~ReviewSession() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void ReviewSession::openStage(const fs::path& workspace_dir, const std::string& stage) {
  startOpen([workspace_dir, stage] {
    auto opened = std::make_shared<Opened>();
    const Workspace workspace = Workspace::open(workspace_dir);
    auto inputs = std::make_shared<RoundInputs>(loadRoundInputs(workspace, stage));
    opened->committed = currentSelectionFile(workspace, stage);
    opened->options = roundSelectionOptions(workspace, stage, opened->committed.tau);
    opened->index = std::make_unique<SelectionIndex>(SelectionIndex::build(inputs->view(), opened->options));
    opened->index->applyOverrides(opened->committed.overrides, StageFiles{workspace_dir / stage}.selection().string());
    const Config& config = workspace.config();
    opened->catalog = buildReviewCatalog(*inputs, *opened->index, resolveDataPath(config, config.data.unlabeled_frames),
                                         unlabeledGroundTruth(config));
    opened->inputs = std::move(inputs);
    opened->workspace_dir = workspace_dir;
    opened->stage = stage;
    return opened;
  });
}

void ReviewSession::openInputs(std::shared_ptr<const RoundInputs> inputs, const SelectionOptions& options,
                               const SelectionFile& committed, const fs::path& frames_root) {
  startOpen([inputs, options, committed, frames_root] {
    auto opened = std::make_shared<Opened>();
    opened->committed = committed;
    opened->options = options;
    opened->options.tau = committed.tau;
    opened->index = std::make_unique<SelectionIndex>(SelectionIndex::build(inputs->view(), opened->options));
    opened->index->applyOverrides(committed.overrides, "selection");
    opened->catalog = buildReviewCatalog(*inputs, *opened->index, frames_root);
    opened->inputs = inputs;
    opened->stage = inputs->stage;
    return opened;
  });
}

void ReviewSession::startOpen(std::function<std::shared_ptr<Opened>()> open) {
  const uint64_t generation = ++open_generation_;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_open_ = std::move(open);
    pending_evaluation_.reset();
    pending_commit_.reset();
    worker_generation_ = generation;
  }
  wake_.notify_all();
}

void ReviewSession::setTau(double tau) {
  tau_ = std::clamp(tau, 0.0, 1.0);
  requestEvaluation();
}

void ReviewSession::setOverrides(std::vector<Override> overrides) {
  overrides_ = std::make_shared<const std::vector<Override>>(std::move(overrides));
  ++overrides_version_;
  requestEvaluation();
}

void ReviewSession::requestEvaluation() {
  if (!isOpen()) return;
  Evaluation evaluation{++next_request_, open_generation_, tau_, overrides_version_, overrides_};
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_evaluation_ = std::move(evaluation);  // the latest request wins
  }
  wake_.notify_all();
}

void ReviewSession::commit(CommitPolicy policy) {
  if (!isOpen() || workspace_dir_.empty() || committing_) return;
  SelectionFile selection = committed_;
  selection.tau = tau_;
  selection.tau_from_config = false;
  selection.overrides = *overrides_;
  committing_ = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_commit_ = Commit{std::move(selection), policy, workspace_dir_, stage_};
  }
  wake_.notify_all();
}

bool ReviewSession::hasUncommittedChanges() const {
  return isOpen() && (tau_ != committed_.tau || !sameOverrides(*overrides_, committed_.overrides));
}

void ReviewSession::workerLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stop_ || pending_open_ || pending_evaluation_ || pending_commit_; });
    if (stop_) return;
    const uint64_t generation = worker_generation_;
    if (pending_open_) {
      auto open = std::move(pending_open_);
      pending_open_ = nullptr;
      lock.unlock();
      runOpen(open, generation);
      lock.lock();
    } else if (pending_evaluation_) {
      const Evaluation evaluation = std::move(*pending_evaluation_);
      pending_evaluation_.reset();
      lock.unlock();
      if (evaluation.open_generation == generation && index_) runEvaluation(evaluation);
      lock.lock();
    } else {
      const Commit commit = std::move(*pending_commit_);
      pending_commit_.reset();
      lock.unlock();
      runCommit(commit, generation);
      lock.lock();
    }
  }
}

void ReviewSession::runOpen(std::function<std::shared_ptr<Opened>()>& open, uint64_t generation) {
  index_.reset();
  inputs_.reset();
  catalog_worker_.reset();
  std::shared_ptr<Opened> opened;
  QString failure;
  try {
    opened = open();
    SelectionResult committed = opened->index->evaluate(opened->committed.tau);
    opened->committed_counts = committed.counts;
  } catch (...) {
    failure = QString::fromStdString(describeCurrentException());
  }
  if (opened && failure.isEmpty()) {
    index_ = std::move(opened->index);
    inputs_ = opened->inputs;
    catalog_worker_ = opened->catalog;
    bin_total_.assign(kQualityBins, 0);
    for (uint32_t e : catalog_worker_->round_labels) ++bin_total_[qualityBin(catalog_worker_->quality[e], kQualityBins)];
    applied_overrides_ = 0;  // the committed overrides are applied: version 0 of every open
  }
  QMetaObject::invokeMethod(this, [this, opened, failure, generation] {
    if (generation != open_generation_) return;  // another open followed
    if (!failure.isEmpty()) {
      emit openFailed(failure);
      return;
    }
    workspace_dir_ = opened->workspace_dir;
    stage_ = opened->stage;
    catalog_ = opened->catalog;
    committed_ = opened->committed;
    committed_counts_ = opened->committed_counts;
    options_ = opened->options;
    overrides_ = std::make_shared<const std::vector<Override>>(committed_.overrides);
    overrides_version_ = 0;
    snapshot_.reset();
    tau_ = committed_.tau;
    emit this->opened();
  }, Qt::QueuedConnection);
}

void ReviewSession::runEvaluation(const Evaluation& evaluation) {
  auto snapshot = std::make_shared<ReviewSnapshot>();
  snapshot->request = evaluation.request;
  snapshot->tau = evaluation.tau;
  snapshot->overrides_version = evaluation.overrides_version;
  try {
    if (applied_overrides_ != evaluation.overrides_version) {
      index_->applyOverrides(*evaluation.overrides, "the review's decisions");
      applied_overrides_ = evaluation.overrides_version;
    }
    index_->evaluate(evaluation.tau, result_);
  } catch (...) {
    logError("review: " + describeCurrentException());
    return;
  }
  snapshot->counts = result_.counts;
  snapshot->bin_accepted.assign(kQualityBins, 0);
  computeLabelStatuses(*index_, result_, snapshot->statuses, &snapshot->bin_accepted);
  snapshot->bin_total = bin_total_;
  const uint64_t generation = evaluation.open_generation;
  QMetaObject::invokeMethod(this, [this, snapshot, generation] {
    if (generation != open_generation_) return;
    if (snapshot_ && snapshot->request < snapshot_->request) return;  // an older answer
    snapshot_ = snapshot;
    emit evaluated();
  }, Qt::QueuedConnection);
}

void ReviewSession::runCommit(const Commit& commit, uint64_t generation) {
  QString summary, failure;
  bool after_training = false;
  SelectionResult::Counts counts;
  try {
    Workspace workspace = Workspace::open(commit.workspace_dir);
    if (commit.policy == CommitPolicy::RefuseAfterTraining && Workspace::stageKind(commit.stage) == StageKind::Round &&
        workspace.hasStep(commit.stage, "trained")) {
      after_training = true;
    }
    const nlohmann::json details = commitSelection(workspace, commit.stage, commit.selection, commit.policy);
    counts.objects = details.value("objects", size_t{0});
    counts.frames = details.value("frames", size_t{0});
    counts.videos = details.value("videos", size_t{0});
    counts.labels = details.value("labels", size_t{0});
    summary = QString("%1: committed tau %2 with %3 decisions: %4 objects / %5 frames / %6 videos")
                  .arg(QString::fromStdString(commit.stage))
                  .arg(commit.selection.tau, 0, 'f', 2)
                  .arg(commit.selection.overrides.size())
                  .arg(counts.objects)
                  .arg(counts.frames)
                  .arg(counts.videos);
    logInfo(summary.toStdString());
  } catch (...) {
    failure = QString::fromStdString(describeCurrentException());
  }
  QMetaObject::invokeMethod(this, [this, commit, summary, failure, after_training, counts, generation] {
    committing_ = false;
    if (!failure.isEmpty()) {
      emit commitFailed(failure, after_training);
      return;
    }
    if (generation == open_generation_) {
      committed_ = commit.selection;
      committed_.tau_from_config = false;
      committed_counts_ = counts;
    }
    emit committed(summary);
  }, Qt::QueuedConnection);
}

}  // namespace autoqvis::widgets
