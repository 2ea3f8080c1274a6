#include "app/gui/review_page.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QApplication>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QThreadPool>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "app/gui/review_views.h"
#include "app/gui/viewer_page.h"
#include "core/selftrain/round_selection.h"
#include "core/selftrain/stage_export.h"
#include "core/selftrain/stage_summary.h"
#include "core/util/log.h"
#include "core/util/stage_files.h"
#include "widgets/review/quality_panel.h"
#include "widgets/review/review_session.h"
#include "widgets/review/round_comparison.h"
#include "widgets/viewer/playback_controller.h"
#include "widgets/viewer/properties_panel.h"
#include "widgets/viewer/timeline_scale.h"
#include "widgets/viewer/timeline_view.h"
#include "widgets/viewer/video_view.h"

namespace autoqvis::gui {
using widgets::ReviewCatalog;
using widgets::WorkspacePanel;

namespace {

constexpr int kScatterPoints = 20000;  // more would only cost time: the plot is a few hundred pixels
constexpr int kBinListLimit = 1000;

// Per-workspace settings live under a key made from the folder, which may contain slashes.
QString settingsKey(const QString& dir, const QString& name) {
  return "review/" + QString::number(qHash(QFileInfo(dir).absoluteFilePath()), 16) + "/" + name;
}

QString userName() {
  const QString user = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME"));
  return user.isEmpty() ? "user" : user;
}

// One undoable change of the overrides in force.
class OverridesCommand : public QUndoCommand {
 public:
  OverridesCommand(widgets::ReviewSession* session, std::vector<Override> before, std::vector<Override> after,
                   const QString& text)
      : QUndoCommand(text), session_(session), before_(std::move(before)), after_(std::move(after)) {}
  void redo() override { session_->setOverrides(after_); }
  void undo() override { session_->setOverrides(before_); }

 private:
  widgets::ReviewSession* session_;
  std::vector<Override> before_, after_;
};

}  // namespace

ReviewPage::ReviewPage(ViewerPage* viewer, QObject* parent) : QObject(parent), viewer_(viewer) {
  session_ = new widgets::ReviewSession(this);
  undo_ = new QUndoStack(this);
  workspace_panel_ = new WorkspacePanel;
  buildQualityDock();
  buildActions();
  connect(session_, &widgets::ReviewSession::opened, this, &ReviewPage::sessionOpened);
  connect(session_, &widgets::ReviewSession::openFailed, this, [this](const QString& message) {
    emit problem("Cannot open the round for review", message);
  });
  connect(session_, &widgets::ReviewSession::evaluated, this, &ReviewPage::sessionEvaluated);
  connect(session_, &widgets::ReviewSession::committed, this, [this](const QString& summary) {
    undo_->setClean();
    listWorkspace();
    refreshCounters();
    refreshRounds();
    emit statusMessage(summary, 8000);
    emit committed(stage());
  });
  connect(session_, &widgets::ReviewSession::commitFailed, this, [this](const QString& message, bool after_training) {
    if (!after_training) {
      emit problem("Cannot commit the selection", message);
      return;
    }
    auto* box = new QMessageBox(QMessageBox::Question, "Commit the selection",
                                "<b>" + stage().toHtmlEscaped() + " has already trained on its earlier selection.</b>",
                                QMessageBox::Discard | QMessageBox::Cancel, quality_dock_);
    box->setInformativeText("Committing discards that training and every later stage; they run again on the new "
                            "selection.");
    box->button(QMessageBox::Discard)->setText("Discard and commit");
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this](int result) {
      if (result == QMessageBox::Discard) commit(true);
    });
    box->open();
  });
  connect(workspace_panel_, &WorkspacePanel::itemActivated, this, &ReviewPage::activateItem);
  connect(viewer_, &ViewerPage::videoShown, this, [this](int index) {
    if (!reviewing_) return;
    if (!workspace_dir_.isEmpty()) {
      QSettings().setValue(settingsKey(workspace_dir_, "video/" + stage()),
                           QString::fromStdString(session_->catalog()->document->videos[static_cast<size_t>(index)].name));
    }
    refreshMarks();
    if (quality_->showsCurrentVideo()) refreshHistogram();
  });
  connect(viewer_, &ViewerPage::frameShown, this, [this] {
    if (reviewing_) refreshProperties();
  });
  connect(viewer_, &ViewerPage::trackSelected, this, [this] {
    if (reviewing_) refreshProperties();
  });
  auto* timeline = viewer_->timeline();
  timeline->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(timeline, &QWidget::customContextMenuRequested, this, &ReviewPage::timelineMenu);
}

// The docks own the panels once the window placed them; a page that was never placed owns them.
ReviewPage::~ReviewPage() {
  if (workspace_panel_ && !workspace_panel_->parent()) delete workspace_panel_.data();
  if (quality_dock_ && !quality_dock_->parent()) delete quality_dock_.data();
}

QString ReviewPage::stage() const { return QString::fromStdString(session_->stage()); }

bool ReviewPage::hasReviewableStages() const { return stage_combo_->count() > 0; }

void ReviewPage::buildQualityDock() {
  quality_dock_ = new QWidget;
  quality_dock_->setObjectName("reviewDock");
  auto* layout = new QVBoxLayout(quality_dock_);
  layout->setContentsMargins(2, 2, 2, 2);
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel("Round:"));
  stage_combo_ = new QComboBox;
  stage_combo_->setObjectName("reviewStage");
  stage_combo_->setToolTip("The stage whose pseudo-labels are reviewed (round-r selects from the previous stage's "
                           "predictions; final is the set to export)");
  connect(stage_combo_, &QComboBox::activated, this, [this](int index) { openStage(stage_combo_->itemText(index)); });
  top->addWidget(stage_combo_, 1);
  commit_button_ = new QPushButton("Commit selection");
  commit_button_->setObjectName("commitSelection");
  commit_button_->setToolTip("Write τ and your decisions as this round's pseudo-labels (Ctrl+S)");
  commit_button_->setEnabled(false);
  connect(commit_button_, &QPushButton::clicked, this, [this] { commit(false); });
  top->addWidget(commit_button_);
  layout->addLayout(top);
  quality_ = new widgets::QualityPanel;
  layout->addWidget(quality_, 1);
  connect(quality_, &widgets::QualityPanel::tauChanged, this, [this](double tau) {
    session_->setTau(tau);
    if (!workspace_dir_.isEmpty() && reviewing_) QSettings().setValue(settingsKey(workspace_dir_, "tau/" + stage()), tau);
  });
  connect(quality_, &widgets::QualityPanel::binClicked, this, [this](int bin) {
    current_bin_ = bin;
    refreshBinList();
  });
  connect(quality_, &widgets::QualityPanel::binLabelChosen, this, &ReviewPage::chooseBinLabel);
  connect(quality_, &widgets::QualityPanel::scopeChanged, this, [this] {
    refreshHistogram();
    refreshBinList();
  });
  connect(quality_, &widgets::QualityPanel::scatterAxisChanged, this, &ReviewPage::refreshScatter);
  connect(quality_, &widgets::QualityPanel::tabShown, this, &ReviewPage::refreshScatter);
  connect(undo_, &QUndoStack::cleanChanged, this, [this] { refreshCounters(); });
}

void ReviewPage::buildActions() {
  auto add = [this](const QString& text, const QKeySequence& key, auto slot) {
    auto* action = new QAction(text, this);
    action->setShortcut(key);
    action->setEnabled(false);
    connect(action, &QAction::triggered, this, slot);
    actions_.push_back(action);
    return action;
  };
  add("&Accept label", QKeySequence(Qt::Key_Return), [this] { decideObject(Decision::Accept); })
      ->setShortcuts({QKeySequence(Qt::Key_Return), QKeySequence(Qt::Key_Enter)});
  add("&Reject label", QKeySequence(Qt::Key_Backspace), [this] { decideObject(Decision::Reject); });
  add("Accept label at this &frame", QKeySequence(Qt::CTRL | Qt::Key_Return), [this] { decideFrame(Decision::Accept); });
  add("Reject label at this fra&me", QKeySequence(Qt::CTRL | Qt::Key_Backspace), [this] { decideFrame(Decision::Reject); });
  add("&Clear decision", QKeySequence(Qt::Key_Delete), [this] { clearDecision(); });
  add("&Lower τ by 0.01", QKeySequence(Qt::Key_BracketLeft), [this] { nudgeTau(-0.01); });
  add("Ra&ise τ by 0.01", QKeySequence(Qt::Key_BracketRight), [this] { nudgeTau(0.01); });
  add("C&ommit selection", QKeySequence::Save, [this] { commit(false); });
}

void ReviewPage::fillMenu(QMenu* menu) {
  for (size_t i = 0; i < actions_.size(); ++i) {
    if (i == 5 || i == 7) menu->addSeparator();
    menu->addAction(actions_[i]);
  }
}

void ReviewPage::openWorkspace(const QString& dir, const QString& video, int frame, qint64 track,
                               const QString& stage) {
  try {
    Workspace::open(dir.toStdString());
  } catch (const Error& e) {
    emit problem("Cannot open the workspace", QString::fromStdString(e.what()));
    return;
  }
  workspace_dir_ = dir;
  pending_video_ = video;
  pending_frame_ = frame;
  pending_track_ = track;
  listWorkspace();
  refreshRounds();
  emit workspaceOpened(dir);
  const QStringList stages = [this] {
    QStringList names;
    for (int i = 0; i < stage_combo_->count(); ++i) names << stage_combo_->itemText(i);
    return names;
  }();
  if (stages.isEmpty()) {
    emit statusMessage("No round has predicted on the unlabeled videos yet: run the workspace first", 8000);
    return;
  }
  if (!stage.isEmpty() && !stages.contains(stage)) {
    emit problem("No such round to review", "The workspace has no predictions for \"" + stage + "\" (it has: " +
                                                stages.join(", ") + ").");
  }
  const QString remembered = QSettings().value(settingsKey(dir, "stage")).toString();
  openStage(stages.contains(stage) ? stage : stages.contains(remembered) ? remembered : stages.back());
}

void ReviewPage::listWorkspace() {
  if (workspace_dir_.isEmpty()) return;
  try {
    const Workspace workspace = Workspace::open(workspace_dir_.toStdString());
    const QString current = stage_combo_->currentText();
    stage_combo_->clear();
    for (const std::string& stage : reviewableStages(workspace)) stage_combo_->addItem(QString::fromStdString(stage));
    if (stage_combo_->findText(current) >= 0) stage_combo_->setCurrentText(current);
    workspace_panel_->setWorkspace(workspace_dir_, summarizeStages(workspace), workspaceItems(workspace));
    if (reviewing_) workspace_panel_->setCurrent(WorkspacePanel::ItemKind::ReviewStage, stage());
  } catch (const Error& e) {
    emit problem("Cannot read the workspace", QString::fromStdString(e.what()));
  }
}

void ReviewPage::activateItem(WorkspacePanel::ItemKind kind, const QString& stage) {
  if (kind == WorkspacePanel::ItemKind::ReviewStage) {
    openStage(stage);
    return;
  }
  try {
    const Workspace workspace = Workspace::open(workspace_dir_.toStdString());
    const Config& config = workspace.config();
    const auto path = [&](const std::string& relative) {
      return QString::fromStdString(resolveDataPath(config, relative).string());
    };
    workspace_panel_->setCurrent(kind, stage);
    if (kind == WorkspacePanel::ItemKind::SyntheticStills) {
      emit openDocumentRequested(path(config.data.synthetic_annotations), path(config.data.synthetic_images), {});
      return;
    }
    const QString results = kind == WorkspacePanel::ItemKind::ValidationResults
                                ? QString::fromStdString(StageFiles{workspace.dir() / stage.toStdString()}.valResults().string())
                                : QString();
    emit openDocumentRequested(path(config.data.val_videos), path(config.data.val_frames), results);
  } catch (const Error& e) {
    emit problem("Cannot open", QString::fromStdString(e.what()));
  }
}

void ReviewPage::openStage(const QString& stage) {
  if (workspace_dir_.isEmpty()) return;
  emit statusMessage("Preparing the review of " + stage + "…", 0);
  session_->openStage(workspace_dir_.toStdString(), stage.toStdString());
}

void ReviewPage::openRound(std::shared_ptr<const RoundInputs> inputs, const SelectionOptions& options,
                           const SelectionFile& committed) {
  workspace_dir_.clear();
  session_->openInputs(std::move(inputs), options, committed, {});
}

void ReviewPage::leaveReview() {
  if (!reviewing_) return;
  reviewing_ = false;
  viewer_->videoView()->setLabelMarks(nullptr);
  viewer_->timeline()->setLabelMarks(nullptr);
  viewer_->trackModel()->setReviewMode(false);
  commit_button_->setEnabled(false);
  for (QAction* action : actions_) action->setEnabled(false);
  workspace_panel_->setCurrent(WorkspacePanel::ItemKind::ReviewStage, {});
  viewer_->properties()->removeSection("Review");
}

void ReviewPage::sessionOpened() {
  undo_->clear();
  reviewing_ = true;
  current_bin_ = -1;
  bin_entries_.clear();
  quality_->setBinLabels("Click a bar to list its labels.", {});
  const std::shared_ptr<const ReviewCatalog> catalog = session_->catalog();
  viewer_->trackModel()->setReviewMode(true);
  QSettings settings;
  const QString video = pending_video_.isEmpty()
                            ? settings.value(settingsKey(workspace_dir_, "video/" + stage())).toString()
                            : pending_video_;
  viewer_->showDocument(catalog->document, video, pending_frame_, pending_track_);
  pending_video_.clear();
  pending_frame_ = 0;
  pending_track_ = 0;
  const double committed = session_->committedSelection().tau;
  const double tau = settings.value(settingsKey(workspace_dir_, "tau/" + stage()), committed).toDouble();
  quality_->setCommittedTau(committed);
  quality_->setTau(tau);
  first_evaluation_ = true;
  session_->setTau(tau);
  stage_combo_->setCurrentText(stage());
  workspace_panel_->setCurrent(WorkspacePanel::ItemKind::ReviewStage, stage());
  commit_button_->setEnabled(!session_->workspaceDir().empty());
  viewer_->videoView()->setFocus();  // the review's keys ([ ], Enter, Backspace) act on the picture
  for (QAction* action : actions_) action->setEnabled(true);
  rememberStage();
  emit statusMessage(QString("Reviewing %1: %2 labels of this round, %3 tracks")
                         .arg(stage())
                         .arg(catalog->round_labels.size())
                         .arg(catalog->slot_info.size()),
                     8000);
}

void ReviewPage::rememberStage() {
  if (workspace_dir_.isEmpty()) return;
  QSettings().setValue(settingsKey(workspace_dir_, "stage"), stage());
}

void ReviewPage::sessionEvaluated() {
  if (!reviewing_) return;
  refreshViews();
  if (first_evaluation_) {
    first_evaluation_ = false;
    emit reviewReady(stage());
  }
}

void ReviewPage::refreshViews() {
  refreshMarks();
  refreshHistogram();
  refreshCounters();
  refreshScatter();
  refreshBinList();
  refreshProperties();
}

// The "Review" section: what the rule (or a person) decided about the selected label at this frame.
void ReviewPage::refreshProperties() {
  const auto catalog = session_->catalog();
  const auto snapshot = session_->snapshot();
  if (!catalog || !snapshot) return;
  viewer_->properties()->setSection(
      "Review", reviewProperties(*catalog, *snapshot, stage(), viewer_->currentVideo(), viewer_->selectedTrack(),
                                 viewer_->playback()->frame(), session_->overrides()));
}

void ReviewPage::refreshMarks() {
  const auto catalog = session_->catalog();
  const auto snapshot = session_->snapshot();
  const int v = viewer_->currentVideo();
  if (!catalog || !snapshot || v < 0) return;
  VideoMarks marks = videoMarks(*catalog, *snapshot, v, session_->overrides(), session_->options().min_frames);
  viewer_->videoView()->setLabelMarks(marks.marks);
  viewer_->timeline()->setLabelMarks(marks.marks);
  viewer_->trackModel()->setReviewInfo(std::move(marks.info));
}

void ReviewPage::refreshHistogram() {
  const auto catalog = session_->catalog();
  const auto snapshot = session_->snapshot();
  if (!catalog || !snapshot) return;
  if (!quality_->showsCurrentVideo()) {
    quality_->setHistogram(snapshot->bin_total, snapshot->bin_accepted);
    return;
  }
  std::vector<uint32_t> total, accepted;
  videoHistogram(*catalog, *snapshot, viewer_->currentVideo(), total, accepted);
  quality_->setHistogram(total, accepted);
}

void ReviewPage::refreshCounters() {
  const auto snapshot = session_->snapshot();
  if (!snapshot || !reviewing_) return;
  quality_->setCounters(countersText(*snapshot, session_->committedSelection().tau, session_->committedCounts(),
                                     session_->overrides().size(), session_->hasUncommittedChanges()));
}

void ReviewPage::refreshScatter() {
  if (!quality_->isScatterVisible()) return;  // refreshed when its tab is shown
  const auto catalog = session_->catalog();
  const auto snapshot = session_->snapshot();
  if (!catalog || !snapshot) return;
  const bool by_quality = quality_->scatterShowsQuality();
  QString caption;
  const auto points = scatterPoints(*catalog, *snapshot, by_quality, kScatterPoints, caption);
  quality_->setScatter(points, by_quality ? "Q = predicted IoU × s" : "confidence s",
                       catalog->true_iou.empty() ? "predicted IoU" : "true IoU", caption);
}

void ReviewPage::refreshBinList() {
  const auto catalog = session_->catalog();
  const auto snapshot = session_->snapshot();
  if (!catalog || !snapshot || current_bin_ < 0) return;
  const int video = quality_->showsCurrentVideo() ? viewer_->currentVideo() : -1;
  BinLabels labels = binLabels(*catalog, *snapshot, current_bin_, video, kBinListLimit);
  bin_entries_ = std::move(labels.entries);
  quality_->setBinLabels(labels.title, labels.lines);
}

void ReviewPage::chooseBinLabel(int row) {
  const auto catalog = session_->catalog();
  if (!catalog || row < 0 || row >= static_cast<int>(bin_entries_.size())) return;
  const uint32_t e = bin_entries_[static_cast<size_t>(row)];
  const widgets::ReviewSlot& slot = catalog->slot_info[catalog->entry_slot[e]];
  if (slot.video != viewer_->currentVideo()) viewer_->selectVideo(slot.video);
  viewer_->seek(catalog->frameOf(e));
  viewer_->selectTrack(slot.row);
}

std::optional<Override> ReviewPage::decisionFor(Decision decision, std::optional<int> frame) const {
  const auto catalog = session_->catalog();
  const auto snapshot = session_->snapshot();
  const int v = viewer_->currentVideo();
  const int row = viewer_->selectedTrack();
  if (!reviewing_ || !catalog || !snapshot || v < 0 || row < 0) return std::nullopt;
  return decisionOn(*catalog, *snapshot, v, row, decision, frame, userName().toStdString(),
                    QDateTime::currentDateTimeUtc().toString(Qt::ISODate).toStdString());
}

void ReviewPage::setOverrides(std::vector<Override> overrides, const QString& text) {
  undo_->push(new OverridesCommand(session_, session_->overrides(), std::move(overrides), text));
}

// The object's own decision replaces its earlier one; its frames' decisions stay.
bool ReviewPage::decideObject(Decision decision) {
  const std::optional<Override> o = decisionFor(decision, std::nullopt);
  if (!o) return false;
  setOverrides(withDecision(session_->overrides(), *o), QString("%1 track #%2")
                                                            .arg(decision == Decision::Accept ? "Accept" : "Reject")
                                                            .arg(viewer_->selectedTrack() + 1));
  return true;
}

bool ReviewPage::decideFrame(Decision decision) {
  const int frame = viewer_->playback()->frame();
  const std::optional<Override> o = decisionFor(decision, frame);
  if (!o) return false;
  setOverrides(withDecision(session_->overrides(), *o), QString("%1 track #%2 at frame %3")
                                                            .arg(decision == Decision::Accept ? "Accept" : "Reject")
                                                            .arg(viewer_->selectedTrack() + 1)
                                                            .arg(frame));
  return true;
}

// The decision on the label at the playhead if there is one, else the object's.
bool ReviewPage::clearDecision() {
  const int frame = viewer_->playback()->frame();
  for (const std::optional<int>& which : {std::optional<int>(frame), std::optional<int>()}) {
    const std::optional<Override> o = decisionFor(Decision::Accept, which);
    std::vector<Override> overrides = session_->overrides();
    if (!o || !removeDecision(overrides, *o)) continue;
    setOverrides(std::move(overrides), QString("Clear the decision on track #%1").arg(viewer_->selectedTrack() + 1));
    return true;
  }
  return false;
}

bool ReviewPage::hasUncommittedChanges() const { return reviewing_ && session_->hasUncommittedChanges(); }

void ReviewPage::refreshWorkspace() {
  listWorkspace();
  refreshRounds();
}

void ReviewPage::commit(bool discard_later_steps) {
  if (!reviewing_ || session_->workspaceDir().empty() || session_->isCommitting()) return;
  if (commit_blocker_) {
    const QString reason = commit_blocker_();
    if (!reason.isEmpty()) {
      emit problem("Cannot commit the selection now", reason);
      return;
    }
  }
  emit statusMessage("Committing the selection of " + stage() + "…", 0);
  session_->commit(discard_later_steps ? CommitPolicy::DiscardLaterSteps : CommitPolicy::RefuseAfterTraining);
}

void ReviewPage::nudgeTau(double delta) {
  if (!reviewing_) return;
  const double tau = std::clamp(std::round((quality_->tau() + delta) * 1000.0) / 1000.0, 0.0, 1.0);
  quality_->setTau(tau);
  session_->setTau(tau);
  if (!workspace_dir_.isEmpty()) QSettings().setValue(settingsKey(workspace_dir_, "tau/" + stage()), tau);
}

void ReviewPage::exportStage(bool davis, const QString& out) {
  std::shared_ptr<StageExport> job;
  try {
    const Workspace workspace = Workspace::open(workspace_dir_.toStdString());
    job = std::make_shared<StageExport>(workspace, stage().toStdString(), davis ? ExportFormat::Davis : ExportFormat::Ytvis,
                                        out.toStdString());
  } catch (const Error& e) {
    emit problem("Cannot export", QString::fromStdString(e.what()));
    return;
  }
  emit statusMessage("Exporting " + stage() + " to " + out + "…", 0);
  QPointer<ReviewPage> self(this);
  QThreadPool::globalInstance()->start([self, job, out] {
    const JobResult result = job->execute();
    QMetaObject::invokeMethod(qApp, [self, result, out, job] {
      if (!self) return;
      if (result.outcome == JobOutcome::Failed) {
        emit self->problem("Export failed", QString::fromStdString(result.message));
      } else {
        emit self->statusMessage("Exported " + QString::fromStdString(job->stage()) + " to " + out, 8000);
      }
    });
  });
}

void ReviewPage::refreshRounds() {
  if (workspace_dir_.isEmpty()) return;
  QPointer<ReviewPage> self(this);
  const std::string dir = workspace_dir_.toStdString();
  QThreadPool::globalInstance()->start([self, dir] {
    std::vector<widgets::RoundQuality> rounds;
    QString failure;
    try {
      rounds = widgets::compareRounds(dir, widgets::kQualityBins);
    } catch (...) {
      failure = QString::fromStdString(describeCurrentException());
    }
    QMetaObject::invokeMethod(qApp, [self, rounds, failure] {
      if (!self) return;
      if (!failure.isEmpty()) {
        logWarning("rounds comparison: " + failure.toStdString());
        return;
      }
      std::vector<widgets::QualityPanel::RoundSeries> series;
      for (const widgets::RoundQuality& round : rounds) {
        series.push_back({QString::fromStdString(round.stage), round.fraction, round.objects, round.frames,
                          round.videos, round.tau.value_or(NAN)});
      }
      self->quality_->setRounds(series);
    });
  });
}

void ReviewPage::timelineMenu(const QPoint& pos) {
  if (!reviewing_) return;
  widgets::TimelineView* timeline = viewer_->timeline();
  const int row = timeline->rowAt(pos.y());
  if (row < 0) return;
  const int frame = timeline->scale().frameAt(pos.x());
  viewer_->selectTrack(row);
  viewer_->seek(frame);
  QMenu menu;
  menu.addAction(QString("Accept #%1 at frame %2").arg(row + 1).arg(frame), [this] { decideFrame(Decision::Accept); });
  menu.addAction(QString("Reject #%1 at frame %2").arg(row + 1).arg(frame), [this] { decideFrame(Decision::Reject); });
  menu.addSeparator();
  menu.addAction(QString("Accept track #%1").arg(row + 1), [this] { decideObject(Decision::Accept); });
  menu.addAction(QString("Reject track #%1").arg(row + 1), [this] { decideObject(Decision::Reject); });
  menu.addAction("Clear decision", [this] { clearDecision(); });
  menu.exec(timeline->viewport()->mapToGlobal(pos));
}

}  // namespace autoqvis::gui
