// The review of one stage's pseudo-labels, kept live while a person moves tau and makes decisions.
// One worker thread owns the round's SelectionIndex: it builds it (and the ReviewCatalog) when a stage
// is opened, evaluates the selection for the latest tau and overrides (a newer request replaces one
// not started yet, so a dragged slider never queues work), and commits through the engine's
// commitSelection. The GUI thread only sends requests and receives immutable snapshots; it never
// waits on the worker.
#pragma once

#include <QObject>
#include <QString>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/selftrain/label_status.h"
#include "core/selftrain/round_selection.h"
#include "widgets/review/review_catalog.h"

namespace autoqvis::widgets {

constexpr int kQualityBins = 50;  ///< histogram bins over Q in [0, 1]

/// The selection at one tau with one set of overrides.
struct ReviewSnapshot {
  uint64_t request = 0;
  double tau = 0;
  uint64_t overrides_version = 0;
  SelectionResult::Counts counts;
  std::vector<LabelStatus> statuses;  ///< per index entry
  std::vector<uint32_t> bin_total;    ///< this round's labels per Q bin
  std::vector<uint32_t> bin_accepted; ///< of which accepted
};

class ReviewSession : public QObject {
  Q_OBJECT

 public:
  explicit ReviewSession(QObject* parent = nullptr);
  /// Stops the worker (an evaluation or commit in progress is finished first).
  ~ReviewSession() override;

  /// Opens a stage of a workspace in the background: opened() or openFailed() follows.
  void openStage(const std::filesystem::path& workspace_dir, const std::string& stage);
  /// Opens inputs already in memory (tests, benchmarks): no workspace, so no commit.
  void openInputs(std::shared_ptr<const RoundInputs> inputs, const SelectionOptions& options,
                  const SelectionFile& committed, const std::filesystem::path& frames_root);

  /// Asks for the selection at `tau` with the current overrides (coalesced).
  void setTau(double tau);
  /// Replaces the overrides in force and re-evaluates at the current tau.
  void setOverrides(std::vector<Override> overrides);
  /// Writes the current tau and overrides as the stage's selection (committed() or commitFailed()).
  void commit(CommitPolicy policy = CommitPolicy::RefuseAfterTraining);

  bool isOpen() const { return catalog_ != nullptr; }
  bool isCommitting() const { return committing_; }
  const std::filesystem::path& workspaceDir() const { return workspace_dir_; }
  const std::string& stage() const { return stage_; }
  std::shared_ptr<const ReviewCatalog> catalog() const { return catalog_; }
  /// The newest evaluation (null before the first).
  std::shared_ptr<const ReviewSnapshot> snapshot() const { return snapshot_; }
  double tau() const { return tau_; }
  const std::vector<Override>& overrides() const { return *overrides_; }
  /// The selection as last committed (or as the stage's selection file had it when opened).
  const SelectionFile& committedSelection() const { return committed_; }
  const SelectionResult::Counts& committedCounts() const { return committed_counts_; }
  const SelectionOptions& options() const { return options_; }
  /// True when tau or the overrides differ from the committed selection.
  bool hasUncommittedChanges() const;

 signals:
  void opened();
  void openFailed(const QString& message);
  /// A new snapshot() is there.
  void evaluated();
  void committed(const QString& summary);
  /// `after_training`: the stage has trained on its earlier selection (commit again with
  /// CommitPolicy::DiscardLaterSteps to replace it).
  void commitFailed(const QString& message, bool after_training);

 private:
  struct Opened;
  struct Evaluation {
    uint64_t request = 0;
    uint64_t open_generation = 0;
    double tau = 0;
    uint64_t overrides_version = 0;
    std::shared_ptr<const std::vector<Override>> overrides;
  };
  struct Commit {
    SelectionFile selection;
    CommitPolicy policy = CommitPolicy::RefuseAfterTraining;
    std::filesystem::path workspace_dir;
    std::string stage;
  };

  void startOpen(std::function<std::shared_ptr<Opened>()> open);
  void requestEvaluation();
  void workerLoop();
  void runOpen(std::function<std::shared_ptr<Opened>()>& open, uint64_t generation);
  void runEvaluation(const Evaluation& evaluation);
  void runCommit(const Commit& commit, uint64_t generation);

  // Shared with the worker, guarded by mutex_.
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::function<std::shared_ptr<Opened>()> pending_open_;
  std::optional<Evaluation> pending_evaluation_;
  std::optional<Commit> pending_commit_;
  uint64_t worker_generation_ = 0;  // of the open the worker's index belongs to

  // Worker only.
  std::shared_ptr<const RoundInputs> inputs_;
  std::unique_ptr<SelectionIndex> index_;
  std::shared_ptr<const ReviewCatalog> catalog_worker_;
  std::vector<uint32_t> bin_total_;  // tau-independent: this round's labels per Q bin
  uint64_t applied_overrides_ = UINT64_MAX;
  SelectionResult result_;

  // GUI thread only.
  uint64_t open_generation_ = 0;
  uint64_t next_request_ = 0;
  uint64_t overrides_version_ = 0;
  std::shared_ptr<const std::vector<Override>> overrides_;
  double tau_ = 0.75;
  bool committing_ = false;
  std::filesystem::path workspace_dir_;
  std::string stage_;
  std::shared_ptr<const ReviewCatalog> catalog_;
  std::shared_ptr<const ReviewSnapshot> snapshot_;
  SelectionFile committed_;
  SelectionResult::Counts committed_counts_;
  SelectionOptions options_;

  std::thread worker_;
};

}  // namespace autoqvis::widgets
