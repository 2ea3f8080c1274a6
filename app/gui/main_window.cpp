#include "app/gui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>
#include <cmath>

#include "app/gui/review_page.h"
#include "app/gui/training_page.h"
#include "app/gui/viewer_page.h"
#include "core/dataset/frame_fields.h"
#include "core/util/blas_info.h"
#include "core/util/log.h"
#include "core/util/process_memory.h"
#include "core/util/torch_runtime.h"
#include "core/util/version.h"
#include "widgets/common/log_view.h"
#include "widgets/document/open_dialog.h"
#include "widgets/project/new_project_dialog.h"
#include "widgets/review/quality_panel.h"
#include "widgets/review/review_session.h"
#include "widgets/review/workspace_panel.h"
#include "widgets/training/training_panel.h"
#include "widgets/viewer/playback_controller.h"
#include "widgets/viewer/properties_panel.h"
#include "widgets/viewer/timeline_delegate.h"
#include "widgets/viewer/timeline_view.h"
#include "widgets/viewer/video_view.h"

namespace autoqvis::gui {

namespace {

constexpr int kLayoutVersion = 3;  // bump when docks change, so that an old saved layout is ignored

// A checkable action whose state is kept in QSettings under `key`.
QAction* addRememberedToggle(QMenu* menu, const QString& text, const QString& key, bool default_on) {
  QAction* action = menu->addAction(text);
  action->setCheckable(true);
  action->setChecked(QSettings().value(key, default_on).toBool());
  QObject::connect(action, &QAction::toggled, action, [key](bool on) { QSettings().setValue(key, on); });
  return action;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("AutoQ-VIS Studio");
  setObjectName("mainWindow");
  resize(1440, 900);
  viewer_ = new ViewerPage(this);
  training_ = new TrainingPage(this);  // before the docks: its panel is one
  review_ = new ReviewPage(viewer_, this);
  setCentralWidget(viewer_->centre());
  buildDocks();
  buildMenus();
  buildStatusBar();

  connect(viewer_, &ViewerPage::documentOpened, this, [this](bool ok) {
    if (ok) colour_by_quality_->setEnabled(viewer_->hasQuality());
    emit documentOpened(ok);
  });
  connect(viewer_, &ViewerPage::problem, this, &MainWindow::showError);
  connect(viewer_, &ViewerPage::statusMessage, this,
          [this](const QString& message, int timeout) { statusBar()->showMessage(message, timeout); });
  connect(viewer_, &ViewerPage::titleChanged, this,
          [this](const QString& title) { setWindowTitle(title + " — AutoQ-VIS Studio"); });
  connect(viewer_, &ViewerPage::videoLabelChanged, video_label_, &QLabel::setText);
  connect(viewer_->videoView(), &widgets::VideoView::zoomChanged, this, &MainWindow::updateZoomLabel);
  connect(viewer_->playback(), &widgets::PlaybackController::playingChanged, this,
          [this](bool playing) { fps_label_->setVisible(playing); });
  // The measured rate, refreshed twice a second while playing.
  auto* fps_timer = new QTimer(this);
  connect(fps_timer, &QTimer::timeout, this, [this] {
    widgets::PlaybackController* playback = viewer_->playback();
    if (playback->isPlaying() && playback->measuredFps() > 0) {
      fps_label_->setText(QString("▶ %1 fps").arg(playback->measuredFps(), 0, 'f', 1));
    }
  });
  fps_timer->start(500);
  // --- Workspaces and the training page (issue #14) ---
  connect(training_, &TrainingPage::problem, this, &MainWindow::showError);
  connect(training_, &TrainingPage::workspaceOpened, this, [this](const QString& dir) {
    rememberWorkspace(dir);
    emit workspaceOpened(dir);
  });
  connect(training_, &TrainingPage::jobStatusChanged, this, [this](const QString& text) {
    job_label_->setText(text.isEmpty() ? QString("Job: none") : "Job: " + text);
  });
  connectReview();

  default_state_ = saveState(kLayoutVersion);
  restoreLayout();
  logInfo("AutoQ-VIS Studio " + versionString() + " started");
}

// The views go before the page whose models, loaders and playback they show.
MainWindow::~MainWindow() {
  delete training_;  // stops and joins a running job while the dock it reports to still exists
  training_ = nullptr;
  delete takeCentralWidget();
  qDeleteAll(findChildren<QDockWidget*>(QString(), Qt::FindDirectChildrenOnly));
}

void MainWindow::openDocument(const widgets::OpenRequest& request, const QString& video, int frame, qint64 track) {
  review_->leaveReview();
  viewer_->openDocument(request, video, frame, track);
}
bool MainWindow::selectVideo(int index) { return viewer_->selectVideo(index); }
void MainWindow::selectTrack(int row) { viewer_->selectTrack(row); }
const widgets::ViewerDocument* MainWindow::document() const { return viewer_->document(); }
int MainWindow::currentVideo() const { return viewer_->currentVideo(); }
int MainWindow::selectedTrack() const { return viewer_->selectedTrack(); }
widgets::PlaybackController* MainWindow::playback() const { return viewer_->playback(); }
widgets::VideoView* MainWindow::videoView() const { return viewer_->videoView(); }
widgets::TimelineView* MainWindow::timeline() const { return viewer_->timeline(); }
widgets::FrameLoader* MainWindow::frameLoader() const { return viewer_->frameLoader(); }
widgets::PropertiesPanel* MainWindow::properties() const { return viewer_->properties(); }
bool MainWindow::isOpening() const { return viewer_->isOpening(); }

void MainWindow::buildDocks() {
  setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  setDockNestingEnabled(true);
  auto makeDock = [this](const QString& title, const QString& name, QWidget* widget, Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(widget);
    addDockWidget(area, dock);
    return dock;
  };
  QDockWidget* videos = makeDock("Videos", "videosDock", viewer_->videoList(), Qt::LeftDockWidgetArea);
  QDockWidget* workspace = makeDock("Workspace", "workspaceDock", review_->workspacePanel(), Qt::LeftDockWidgetArea);
  splitDockWidget(videos, workspace, Qt::Vertical);
  // The quality panel is a column at the right; labels and properties stack beside it.
  QDockWidget* labels = makeDock("Labels", "labelsDock", viewer_->labelsTable(), Qt::RightDockWidgetArea);
  QDockWidget* quality = makeDock("Quality", "qualityDock", review_->qualityDock(), Qt::RightDockWidgetArea);
  splitDockWidget(labels, quality, Qt::Horizontal);
  QDockWidget* properties = makeDock("Properties", "propertiesDock", viewer_->properties(), Qt::RightDockWidgetArea);
  splitDockWidget(labels, properties, Qt::Vertical);
  QDockWidget* timeline = makeDock("Timeline", "timelineDock", viewer_->timeline(), Qt::BottomDockWidgetArea);
  log_view_ = new widgets::LogView;
  QDockWidget* log = makeDock("Log", "logDock", log_view_, Qt::BottomDockWidgetArea);
  splitDockWidget(timeline, log, Qt::Horizontal);
  buildTrainingDock();
}

// Nested docks take their sizes only once the window has its own, so this runs when it is first shown
// (unless a saved layout was restored) and after "Reset layout".
void MainWindow::applyDefaultDockSizes() {
  const auto dock = [this](const char* name) { return findChild<QDockWidget*>(name); };
  resizeDocks({dock("videosDock"), dock("labelsDock"), dock("qualityDock")}, {290, 400, 440}, Qt::Horizontal);
  resizeDocks({dock("videosDock"), dock("workspaceDock")}, {330, 330}, Qt::Vertical);
  resizeDocks({dock("timelineDock"), dock("logDock")}, {1000, 380}, Qt::Horizontal);
  resizeDocks({dock("timelineDock")}, {230}, Qt::Vertical);
  resizeDocks({dock("labelsDock"), dock("propertiesDock")}, {330, 330}, Qt::Vertical);
}

void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  if (sized_docks_) return;
  sized_docks_ = true;
  if (!layout_restored_) QTimer::singleShot(0, this, &MainWindow::applyDefaultDockSizes);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&Open dataset…", QKeySequence::Open, this, [this] { showOpenDialog(false); });
  file->addAction("Open &video file…", QKeySequence("Ctrl+Shift+O"), this, [this] { showOpenDialog(true); });
  file->addSeparator();
  buildWorkspaceMenuItems(file);
  file->addSeparator();
  file->addAction("Export pseudo-labels as &YouTube-VIS…", this, [this] { showExportDialog(false); });
  file->addAction("Export pseudo-labels as &DAVIS PNGs…", this, [this] { showExportDialog(true); });
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

  QMenu* edit = menuBar()->addMenu("&Edit");
  QAction* undo = review_->undoStack()->createUndoAction(this, "&Undo");
  undo->setShortcut(QKeySequence::Undo);
  QAction* redo = review_->undoStack()->createRedoAction(this, "&Redo");
  redo->setShortcut(QKeySequence::Redo);
  edit->addAction(undo);
  edit->addAction(redo);

  QMenu* view = menuBar()->addMenu("&View");
  view->addAction("&Fit to window", QKeySequence(Qt::Key_F), viewer_->videoView(), &widgets::VideoView::fitToWindow);
  view->addAction("Zoom &in", QKeySequence(Qt::Key_Plus), viewer_->videoView(), &widgets::VideoView::zoomIn);
  view->addAction("Zoom &out", QKeySequence(Qt::Key_Minus), viewer_->videoView(), &widgets::VideoView::zoomOut);
  view->addAction("&Actual size", QKeySequence(Qt::Key_1), viewer_->videoView(), &widgets::VideoView::zoomActualSize);
  view->addSeparator();
  QAction* masks = addRememberedToggle(view, "Show &masks", "view/showMasks", true);
  masks->setShortcut(QKeySequence(Qt::Key_M));
  connect(masks, &QAction::toggled, viewer_->videoView(), &widgets::VideoView::setShowMasks);
  viewer_->videoView()->setShowMasks(masks->isChecked());
  QAction* labels = addRememberedToggle(view, "Show mask &labels", "view/showLabels", true);
  connect(labels, &QAction::toggled, viewer_->videoView(), &widgets::VideoView::setShowLabels);
  viewer_->videoView()->setShowLabels(labels->isChecked());
  colour_by_quality_ =
      addRememberedToggle(view, "Colour timeline by &quality", "view/timelineQuality", false);
  colour_by_quality_->setToolTip("Paint each track's bar as a heat strip of its per-frame quality");
  const auto colour_timeline = [this] {
    const bool on = colour_by_quality_->isChecked() && colour_by_quality_->isEnabled();
    viewer_->timeline()->timelineDelegate()->setValueName(on ? frame_fields::kQuality : QString());
    viewer_->timeline()->viewport()->update();
  };
  connect(colour_by_quality_, &QAction::toggled, this, colour_timeline);
  connect(colour_by_quality_, &QAction::changed, this, colour_timeline);
  colour_by_quality_->setEnabled(false);
  view->addSeparator();
  for (QDockWidget* dock : findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());
  view->addSeparator();
  view->addAction("&Reset layout", this, [this] {
    for (QDockWidget* dock : findChildren<QDockWidget*>()) dock->show();
    restoreState(default_state_, kLayoutVersion);
    applyDefaultDockSizes();
  });

  buildPlaybackMenu(menuBar()->addMenu("&Playback"));
  review_->fillMenu(menuBar()->addMenu("&Review"));
  buildRunMenu();

  QMenu* help = menuBar()->addMenu("&Help");
  help->addAction("&Keyboard shortcuts", QKeySequence::HelpContents, this, &MainWindow::showShortcuts);
  help->addAction("&About", this, &MainWindow::showAbout);
}

void MainWindow::buildPlaybackMenu(QMenu* menu) {
  using widgets::PlaybackController;
  menu->addAction("&Play / pause", QKeySequence(Qt::Key_Space), viewer_->playback(), &PlaybackController::togglePlay);
  menu->addAction("&Next frame", QKeySequence(Qt::Key_Right), viewer_->playback(), [this] { viewer_->playback()->step(1); });
  menu->addAction("P&revious frame", QKeySequence(Qt::Key_Left), viewer_->playback(), [this] { viewer_->playback()->step(-1); });
  menu->addAction("Forward 10 frames", QKeySequence(Qt::SHIFT | Qt::Key_Right), viewer_->playback(),
                  [this] { viewer_->playback()->step(10); });
  menu->addAction("Back 10 frames", QKeySequence(Qt::SHIFT | Qt::Key_Left), viewer_->playback(),
                  [this] { viewer_->playback()->step(-10); });
  menu->addAction("&First frame", QKeySequence(Qt::Key_Home), viewer_->playback(), &PlaybackController::first);
  menu->addAction("&Last frame", QKeySequence(Qt::Key_End), viewer_->playback(), &PlaybackController::last);
  menu->addSeparator();
  menu->addAction("Fit &timeline", QKeySequence("Ctrl+0"), viewer_->timeline(), &widgets::TimelineView::fitTime);
}

void MainWindow::buildStatusBar() {
  video_label_ = new QLabel;
  zoom_label_ = new QLabel;
  zoom_label_->setToolTip("Zoom (wheel over the video; F fits)");
  fps_label_ = new QLabel;
  fps_label_->setToolTip("Frames shown per second during playback");
  fps_label_->hide();
  const TorchRuntimeInfo torch = torchRuntimeInfo();
  const BlasInfo blas = detectBlas();
  device_label_ = new QLabel(QString("%1 | BLAS: %2")
                                 .arg(torch.cuda_available ? "CUDA" : "CPU")
                                 .arg(QString::fromStdString(blas.name)));
  // --- Workspaces and the training page (issue #14): the job and the process's memory ---
  job_label_ = new QLabel("Job: none");
  job_label_->setObjectName("jobLabel");
  memory_label_ = new QLabel;
  memory_label_->setObjectName("memoryLabel");
  memory_label_->setToolTip("Resident memory of this process (GPU memory is not shown: CPU LibTorch build)");
  auto* memory_timer = new QTimer(this);
  connect(memory_timer, &QTimer::timeout, this, &MainWindow::updateMemoryLabel);
  memory_timer->start(1000);
  updateMemoryLabel();
  for (QLabel* label : {video_label_, fps_label_, zoom_label_, job_label_, memory_label_, device_label_})
    statusBar()->addPermanentWidget(label);
  statusBar()->showMessage("Ready");
}

void MainWindow::showAbout() {
  QMessageBox::about(this, "About AutoQ-VIS Studio",
                     QString::fromStdString(buildReport()).toHtmlEscaped().replace("\n", "<br>"));
}

void MainWindow::showShortcuts() {
  const char* rows[][2] = {
      {"Space", "Play / pause"},
      {"← / →", "Previous / next frame"},
      {"Shift+← / Shift+→", "Back / forward 10 frames"},
      {"Home / End", "First / last frame"},
      {"F", "Fit the frame to the window"},
      {"+ / − / 1", "Zoom in / out / actual size"},
      {"Wheel, drag", "Zoom about the cursor, pan (video)"},
      {"Click a mask", "Select its track"},
      {"M", "Show / hide masks"},
      {"Timeline: wheel", "Zoom in time (Shift: scroll in time, Ctrl: scroll rows)"},
      {"Timeline: click", "Seek (ruler); select a track and seek (row)"},
      {"Ctrl+0", "Fit the timeline"},
      {"Ctrl+O / Ctrl+Shift+O", "Open a dataset / a video file"},
      {"Ctrl+N / Ctrl+Shift+W", "New project / open a workspace"},
      {"Ctrl+R / Ctrl+.", "Run all rounds / stop the running job"},
      {"[ / ]", "Lower / raise τ by 0.01"},
      {"Enter / Backspace", "Accept / reject the selected label (the whole track)"},
      {"Ctrl+Enter / Ctrl+Backspace", "Accept / reject the selected track's label at this frame"},
      {"Delete", "Clear the decision (this frame's, else the track's)"},
      {"Ctrl+Z / Ctrl+Shift+Z", "Undo / redo a decision"},
      {"Ctrl+S", "Commit the selection (τ and the decisions) as the round's pseudo-labels"},
      {"Quality histogram", "Drag the red τ line; click a bar to list its labels"},
      {"F1", "This list"},
  };
  QString html = "<table cellspacing='6'>";
  for (const auto& row : rows) html += QString("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(row[0], row[1]);
  html += "</table>";
  QMessageBox::information(this, "Keyboard shortcuts", html);
}

void MainWindow::restoreLayout() {
  QSettings settings;
  restoreGeometry(settings.value("mainWindow/geometry").toByteArray());
  layout_restored_ = restoreState(settings.value("mainWindow/viewerState").toByteArray(), kLayoutVersion);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  viewer_->playback()->pause();
  if (!review_->workspaceDir().isEmpty()) saveWorkspaceLayout();
  QSettings settings;
  settings.setValue("mainWindow/geometry", saveGeometry());
  settings.setValue("mainWindow/viewerState", saveState(kLayoutVersion));
  event->accept();
}

void MainWindow::showError(const QString& title, const QString& message) {
  logError((title + ": " + message).toStdString());
  statusBar()->showMessage(title, 10000);
  // Not modal: the window keeps playing and answering; several errors give several dialogs.
  auto* box = new QMessageBox(QMessageBox::Warning, title, "<b>" + title.toHtmlEscaped() + "</b>",
                              QMessageBox::Ok, this);
  box->setInformativeText(message);
  box->setObjectName("errorDialog");
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void MainWindow::showOpenDialog(bool video_file) {
  widgets::OpenDialog dialog(
      this, video_file ? widgets::OpenDialog::Mode::VideoFile : widgets::OpenDialog::Mode::Dataset);
  if (const widgets::ViewerDocument* document = viewer_->document()) {
    widgets::OpenRequest current = document->request;
    // Show the default frames folder as the placeholder, not as a fixed choice.
    if (current.frames_root == widgets::defaultFramesRoot(current.dataset)) current.frames_root.clear();
    if (video_file == !current.video_file.empty()) dialog.setRequest(current);
  }
  if (dialog.exec() == QDialog::Accepted) openDocument(dialog.request());
}

void MainWindow::updateZoomLabel(double zoom) {
  if (viewer_->videoView()->frameSize().isEmpty()) {
    zoom_label_->clear();
    return;
  }
  zoom_label_->setText(QString("%1%").arg(std::lround(zoom * 100)) +
                       (viewer_->videoView()->isFitted() ? " (fit)" : ""));
}

}  // namespace autoqvis::gui

// --- Workspaces and the training page (issue #14) ---
namespace autoqvis::gui {

namespace {
constexpr int kRecentWorkspaces = 8;
}

void MainWindow::buildTrainingDock() {
  auto* dock = new QDockWidget("Training", this);
  dock->setObjectName("trainingDock");
  dock->setWidget(training_->panel());
  addDockWidget(Qt::BottomDockWidgetArea, dock);
  tabifyDockWidget(findChild<QDockWidget*>("timelineDock"), dock);
  findChild<QDockWidget*>("timelineDock")->raise();
  // The curves come to the front when a job starts, and when a workspace opens that has no round to
  // review yet (then its training is all there is to see); else the review's timeline stays in front.
  const auto show_curves = [this, dock] {
    dock->show();
    dock->raise();
    resizeDocks({dock}, {std::max(300, height() / 3)}, Qt::Vertical);
  };
  connect(training_, &TrainingPage::workspaceOpened, dock, [this, show_curves] {
    if (!review_->hasReviewableStages()) show_curves();
  });
  widgets::TrainingPanel* panel = training_->panel();
  for (QAction* run : {panel->runStage1Action(), panel->runNextRoundAction(), panel->runAllAction(),
                       panel->continueAction()}) {
    connect(run, &QAction::triggered, dock, show_curves);
  }
}

void MainWindow::buildWorkspaceMenuItems(QMenu* file) {
  file->addAction("&New project…", QKeySequence::New, this, &MainWindow::showNewProjectDialog);
  file->addAction("Open &workspace…", QKeySequence("Ctrl+Shift+W"), this, &MainWindow::showOpenWorkspaceDialog);
  recent_workspaces_ = file->addMenu("&Recent workspaces");
  updateRecentWorkspaces();
}

void MainWindow::buildRunMenu() {
  QMenu* run = menuBar()->addMenu("&Run");
  widgets::TrainingPanel* panel = training_->panel();
  run->addAction(panel->runStage1Action());
  run->addAction(panel->runNextRoundAction());
  run->addAction(panel->runAllAction());
  run->addSeparator();
  run->addAction(panel->continueAction());
  run->addAction(panel->stopAction());
  panel->runAllAction()->setShortcut(QKeySequence("Ctrl+R"));
  panel->stopAction()->setShortcut(QKeySequence("Ctrl+."));
}

// Both pages show the workspace: its runs (training page) and its rounds for review (review page).
void MainWindow::openWorkspace(const QString& dir, const QString& video, int frame, qint64 track, const QString& stage) {
  try {
    Workspace::open(dir.toStdString());
  } catch (const Error& e) {
    showError("Cannot open the workspace", QString::fromStdString(e.what()));
    return;
  }
  if (training_->isRunning()) {
    showError("A job is running", "Stop the running job (Run → Stop) before opening another workspace.");
    return;
  }
  if (!review_->workspaceDir().isEmpty()) saveWorkspaceLayout();
  review_->openWorkspace(dir, video, frame, track, stage);
  training_->openWorkspace(dir);
  const QByteArray layout = QSettings().value("workspaces/layout/" + QString::number(qHash(dir), 16)).toByteArray();
  if (!layout.isEmpty()) restoreState(layout, kLayoutVersion);
}

// Each workspace remembers its window layout (the docks a person arranged for it).
void MainWindow::saveWorkspaceLayout() {
  QSettings().setValue("workspaces/layout/" + QString::number(qHash(review_->workspaceDir()), 16),
                       saveState(kLayoutVersion));
}

void MainWindow::showExportDialog(bool davis) {
  if (!review_->isReviewing()) {
    showError("Nothing to export", "Open a workspace and review a round first (File → Open workspace…).");
    return;
  }
  const QString out = davis ? QFileDialog::getExistingDirectory(this, "Export DAVIS palette PNGs to")
                            : QFileDialog::getSaveFileName(this, "Export YouTube-VIS JSON",
                                                           review_->stage() + "_pseudo_labels.json", "JSON (*.json)");
  if (!out.isEmpty()) review_->exportStage(davis, out);
}

// The review and the runs share the workspace: a new project or a finished job shows in the review, a
// round that waits for review opens there, and Continue trains on what the review commits.
void MainWindow::connectReview() {
  connect(review_, &ReviewPage::problem, this, &MainWindow::showError);
  connect(review_, &ReviewPage::statusMessage, this,
          [this](const QString& message, int timeout) { statusBar()->showMessage(message, timeout); });
  connect(review_, &ReviewPage::openDocumentRequested, this,
          [this](const QString& dataset, const QString& frames, const QString& results) {
            widgets::OpenRequest request;
            request.dataset = dataset.toStdString();
            request.frames_root = frames.toStdString();
            request.results = results.toStdString();
            openDocument(request);
          });
  connect(review_, &ReviewPage::reviewReady, this, [this](const QString& stage) {
    setWindowTitle(QFileInfo(review_->workspaceDir()).fileName() + " · review " + stage + " — AutoQ-VIS Studio");
    // The review's timeline is the per-frame Q heat strip.
    colour_by_quality_->setEnabled(true);
    colour_by_quality_->setChecked(true);
  });
  connect(training_, &TrainingPage::workspaceOpened, this, [this](const QString& dir) {
    if (QDir(review_->workspaceDir()).absolutePath() != dir) review_->openWorkspace(dir);
  });
  connect(training_, &TrainingPage::jobEnded, review_, &ReviewPage::refreshWorkspace);
  connect(training_, &TrainingPage::reviewRequested, this, [this](const QString& stage) {
    review_->openStage(stage);
    if (auto* dock = findChild<QDockWidget*>("qualityDock")) {
      dock->show();
      dock->raise();
    }
    statusBar()->showMessage(stage + " waits for review: move τ, decide, commit (Ctrl+S), then Run → Continue", 15000);
  });
  // A commit and a run must not write the same workspace at once.
  review_->setCommitBlocker([this]() -> QString {
    return training_->isRunning() ? "A job is running on this workspace; stop it or wait for it first." : QString();
  });
  // Continue: what the review changed is committed first (on the review's worker); the run goes on once
  // the files are written. A round reviewed without changes is marked as reviewed as it stands.
  const auto mark_as_reviewed = training_->commit_hook;
  training_->commit_hook = [this, mark_as_reviewed](const std::string& stage) {
    if (review_->isReviewing() && review_->stage().toStdString() == stage && review_->hasUncommittedChanges()) {
      continue_after_commit_ = QString::fromStdString(stage);
      review_->commit(false);
      return false;
    }
    return mark_as_reviewed && mark_as_reviewed(stage);
  };
  connect(review_, &ReviewPage::committed, this, [this](const QString& stage) {
    if (continue_after_commit_ != stage) return;
    continue_after_commit_.clear();
    training_->continueAfterReview();
  });
  connect(review_->session(), &widgets::ReviewSession::commitFailed, this, [this] { continue_after_commit_.clear(); });
}

void MainWindow::showOpenWorkspaceDialog() {
  const QString start = QSettings().value("workspaces/recent").toStringList().value(0);
  const QString dir = QFileDialog::getExistingDirectory(this, "Open workspace (a folder with project.yaml)", start);
  if (!dir.isEmpty()) openWorkspace(dir);
}

void MainWindow::showNewProjectDialog() {
  widgets::NewProjectDialog dialog(this);
  if (dialog.exec() == QDialog::Accepted) training_->createProject(dialog.inputs());
}

void MainWindow::rememberWorkspace(const QString& dir) {
  QSettings settings;
  QStringList recent = settings.value("workspaces/recent").toStringList();
  recent.removeAll(dir);
  recent.prepend(dir);
  while (recent.size() > kRecentWorkspaces) recent.removeLast();
  settings.setValue("workspaces/recent", recent);
  updateRecentWorkspaces();
}

void MainWindow::updateRecentWorkspaces() {
  recent_workspaces_->clear();
  const QStringList recent = QSettings().value("workspaces/recent").toStringList();
  for (const QString& dir : recent) {
    recent_workspaces_->addAction(dir, this, [this, dir] { openWorkspace(dir); });
  }
  recent_workspaces_->setEnabled(!recent.isEmpty());
}

void MainWindow::updateMemoryLabel() {
  const double mib = processResidentBytes() / (1024.0 * 1024.0);
  memory_label_->setText(mib >= 1024 ? QString("RSS %1 GiB").arg(mib / 1024, 0, 'f', 2)
                                     : QString("RSS %1 MiB").arg(mib, 0, 'f', 0));
}

}  // namespace autoqvis::gui
