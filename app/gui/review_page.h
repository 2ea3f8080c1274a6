// The review page: a workspace's rounds opened for review in the viewer. It lists what the workspace
// holds (the workspace dock), opens a stage's pseudo-labels as a document whose tracks are the round's
// labels, and keeps the views in step with the selection at the current tau: accepted labels solid,
// the others hatched, dropped frames shaded and explained, the quality panel's histogram, counters and
// scatter. A person's decisions (accept / reject an object or one frame's label) are overrides with
// provenance, undoable; "Commit selection" writes them with tau through the engine (commitSelection),
// so the next round, from the GUI or headless `run`, trains on them.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "core/selftrain/round_selection.h"
#include "core/selftrain/selection_file.h"
#include "widgets/review/workspace_panel.h"

class QAction;
class QComboBox;
class QMenu;
class QPushButton;
class QUndoStack;
class QWidget;

namespace autoqvis::widgets {
class QualityPanel;
class ReviewSession;
struct ReviewCatalog;
struct ReviewSnapshot;
}  // namespace autoqvis::widgets

namespace autoqvis::gui {

class ViewerPage;

class ReviewPage : public QObject {
  Q_OBJECT

 public:
  ReviewPage(ViewerPage* viewer, QObject* parent = nullptr);
  ~ReviewPage() override;

  /// Lists the workspace and opens `stage` (default: the remembered, else the latest) for review, showing `video`
  /// (an id or a name; default the remembered one) at `frame` with track `track` (its id, 1-based row;
  /// 0: none) selected. A failure is reported through problem() and keeps what was shown.
  void openWorkspace(const QString& dir, const QString& video = {}, int frame = 0, qint64 track = 0,
                     const QString& stage = {});
  /// Opens a stage (round-r, final) of the open workspace for review.
  void openStage(const QString& stage);
  /// Reviews a round held in memory (benchmarks and tests: no workspace, so nothing to commit).
  void openRound(std::shared_ptr<const RoundInputs> inputs, const SelectionOptions& options,
                 const SelectionFile& committed);
  /// A document that is not a review replaced the round in the viewer.
  void leaveReview();
  bool isReviewing() const { return reviewing_; }
  /// Whether the open workspace has a stage with predictions to review.
  bool hasReviewableStages() const;
  QString workspaceDir() const { return workspace_dir_; }
  QString stage() const;

  // Decisions on the selected track of the current video (whole object, or its label at the
  // playhead's frame); false when there is nothing to decide on.
  bool decideObject(Decision decision);
  bool decideFrame(Decision decision);
  bool clearDecision();
  /// Writes the current tau and decisions as the stage's selection (asks before discarding a
  /// training that used the earlier one, unless `discard_later_steps`).
  void commit(bool discard_later_steps = false);
  /// Exports the open stage's committed pseudo-labels.
  void exportStage(bool davis, const QString& out);
  /// Moves tau by `delta` ([ and ]).
  void nudgeTau(double delta);
  /// Recomputes the rounds comparison in the background.
  void refreshRounds();
  /// Reads the workspace's stages again (after a run changed them).
  void refreshWorkspace();
  /// Asked before each commit: a non-empty answer refuses it with that message (e.g. a job is
  /// running on the workspace).
  void setCommitBlocker(std::function<QString()> blocker) { commit_blocker_ = std::move(blocker); }
  /// True when tau or the decisions differ from the committed selection.
  bool hasUncommittedChanges() const;

  // The docks' contents and actions, for the window.
  QWidget* qualityDock() const { return quality_dock_; }
  widgets::WorkspacePanel* workspacePanel() const { return workspace_panel_.data(); }
  widgets::QualityPanel* qualityPanel() const { return quality_; }
  widgets::ReviewSession* session() const { return session_; }
  QUndoStack* undoStack() const { return undo_; }
  /// The Review menu's actions (decisions, tau, commit, export).
  void fillMenu(QMenu* menu);

 signals:
  void problem(const QString& title, const QString& message);
  void statusMessage(const QString& message, int timeout_ms);
  /// A workspace was listed (empty: closed).
  void workspaceOpened(const QString& dir);
  /// A stage's review is open and its first selection shown.
  void reviewReady(const QString& stage);
  void committed(const QString& stage);
  /// A data set of the workspace (validation, synthetic stills) should open as a plain document.
  void openDocumentRequested(const QString& dataset, const QString& frames, const QString& results);

 private:
  void buildQualityDock();
  void buildActions();
  void listWorkspace();
  void activateItem(widgets::WorkspacePanel::ItemKind kind, const QString& stage);
  void sessionOpened();
  void sessionEvaluated();
  void refreshViews();
  void refreshMarks();
  void refreshHistogram();
  void refreshCounters();
  void refreshScatter();
  void refreshBinList();
  void refreshProperties();
  void chooseBinLabel(int row);
  void setOverrides(std::vector<Override> overrides, const QString& text);
  std::optional<Override> decisionFor(Decision decision, std::optional<int> frame) const;
  void timelineMenu(const QPoint& pos);
  void rememberStage();

  ViewerPage* viewer_ = nullptr;
  widgets::ReviewSession* session_ = nullptr;
  widgets::QualityPanel* quality_ = nullptr;
  QPointer<widgets::WorkspacePanel> workspace_panel_;
  QPointer<QWidget> quality_dock_;
  QComboBox* stage_combo_ = nullptr;
  QPushButton* commit_button_ = nullptr;
  QUndoStack* undo_ = nullptr;
  std::vector<QAction*> actions_;
  QString workspace_dir_;
  QString pending_video_;
  int pending_frame_ = 0;
  qint64 pending_track_ = 0;
  bool reviewing_ = false;
  bool first_evaluation_ = false;
  int current_bin_ = -1;
  std::vector<uint32_t> bin_entries_;  ///< what each line of the bin list stands for
  std::function<QString()> commit_blocker_;
};

}  // namespace autoqvis::gui
