#include "app/gui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "core/util/blas_info.h"
#include "core/util/log.h"
#include "core/util/torch_runtime.h"
#include "core/util/version.h"
#include "widgets/document_loader.h"
#include "widgets/frame_loader.h"
#include "widgets/log_view.h"
#include "widgets/open_dialog.h"
#include "widgets/playback_controller.h"
#include "widgets/properties_panel.h"
#include "widgets/timeline_delegate.h"
#include "widgets/timeline_view.h"
#include "widgets/track_list_model.h"
#include "widgets/track_summary.h"
#include "widgets/transport_bar.h"
#include "widgets/video_list_model.h"
#include "widgets/video_view.h"

namespace autoqvis::gui {

namespace {

constexpr int kLayoutVersion = 2;  // bump when docks change, so that an old saved layout is ignored
const char kPlaceholder[] =
    "Open a YouTube-VIS dataset with File → Open dataset… (Ctrl+O),\n"
    "or a video file with its results with File → Open video file… (Ctrl+Shift+O).\n\n"
    "From a terminal: autoqvis DATASET.json [--results RESULTS.json] [--video N] [--frame F]";

QString toQString(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }

QString formatNumber(double value) { return QString::number(value, 'f', 3); }

// A checkable action whose state is kept in QSettings under `key`.
QAction* addRememberedToggle(QMenu* menu, const QString& text, const QString& key, bool default_on) {
  QAction* action = menu->addAction(text);
  action->setCheckable(true);
  action->setChecked(QSettings().value(key, default_on).toBool());
  QObject::connect(action, &QAction::toggled, action, [key](bool on) { QSettings().setValue(key, on); });
  return action;
}

QTableView* makeTable(QAbstractItemModel* model, const QString& name) {
  auto* table = new QTableView;
  table->setObjectName(name);
  table->setModel(model);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setSelectionMode(QAbstractItemView::SingleSelection);
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setSortingEnabled(true);
  table->setAlternatingRowColors(true);
  table->setWordWrap(false);
  table->verticalHeader()->hide();
  table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
  table->horizontalHeader()->setHighlightSections(false);
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  return table;
}

QSortFilterProxyModel* makeProxy(QAbstractItemModel* source, int sort_role, QObject* parent) {
  auto* proxy = new QSortFilterProxyModel(parent);
  proxy->setSourceModel(source);
  proxy->setSortRole(sort_role);
  return proxy;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("AutoQ-VIS Studio");
  setObjectName("mainWindow");
  resize(1440, 900);
  loader_ = new widgets::DocumentLoader(this);
  frames_ = new widgets::FrameLoader(this);
  playback_ = new widgets::PlaybackController(this);
  playback_->setReadyCheck([this](int frame) { return frames_->packet(frame) != nullptr; });
  buildCentre();
  buildDocks();
  buildMenus();
  buildStatusBar();

  connect(loader_, &widgets::DocumentLoader::loaded, this, &MainWindow::documentLoaded);
  connect(loader_, &widgets::DocumentLoader::failed, this, &MainWindow::documentFailed);
  connect(frames_, &widgets::FrameLoader::opened, this, &MainWindow::framesOpened);
  connect(frames_, &widgets::FrameLoader::openFailed, this, [this](const QString& message) {
    video_view_->setPlaceholder("The frames of this video cannot be read.");
    video_view_->setFrameSize({});
    showError("Cannot read the video's frames", message);
  });
  connect(frames_, &widgets::FrameLoader::packetReady, this, &MainWindow::packetReady);
  connect(playback_, &widgets::PlaybackController::frameChanged, this, &MainWindow::frameChanged);
  connect(playback_, &widgets::PlaybackController::playingChanged, this,
          [this](bool playing) { fps_label_->setVisible(playing); });
  // The measured rate, refreshed twice a second while playing.
  auto* fps_timer = new QTimer(this);
  connect(fps_timer, &QTimer::timeout, this, [this] {
    if (playback_->isPlaying() && playback_->measuredFps() > 0) {
      fps_label_->setText(QString("▶ %1 fps").arg(playback_->measuredFps(), 0, 'f', 1));
    }
  });
  fps_timer->start(500);

  default_state_ = saveState(kLayoutVersion);
  restoreLayout();
  logInfo("AutoQ-VIS Studio " + versionString() + " started");
}

MainWindow::~MainWindow() = default;

bool MainWindow::isOpening() const { return loader_->isLoading(); }

void MainWindow::buildCentre() {
  auto* centre = new QWidget;
  auto* layout = new QVBoxLayout(centre);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  video_view_ = new widgets::VideoView;
  video_view_->setPlaceholder(kPlaceholder);
  video_view_->setLabelFunction([this](int row, int frame) { return trackLabel(row, frame); });
  connect(video_view_, &widgets::VideoView::trackClicked, this, &MainWindow::selectTrack);
  connect(video_view_, &widgets::VideoView::zoomChanged, this, &MainWindow::updateZoomLabel);
  transport_ = new widgets::TransportBar(playback_);
  layout->addWidget(video_view_, 1);
  layout->addWidget(transport_);
  setCentralWidget(centre);
}

void MainWindow::buildDocks() {
  setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  setDockNestingEnabled(true);
  auto makeDock = [this](const QString& title, const QString& name, QWidget* widget,
                         Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);
    dock->setWidget(widget);
    addDockWidget(area, dock);
    return dock;
  };

  video_model_ = new widgets::VideoListModel(this);
  video_proxy_ = makeProxy(video_model_, widgets::VideoListModel::SortRole, this);
  video_list_ = makeTable(video_proxy_, "videoList");
  video_list_->horizontalHeader()->setSectionResizeMode(widgets::VideoListModel::NameColumn,
                                                        QHeaderView::Stretch);
  // Counts are short; header-sized columns leave the names room in a narrow dock.
  for (int column = widgets::VideoListModel::FramesColumn; column < widgets::VideoListModel::ColumnCount;
       ++column) {
    const QString title = video_model_->headerData(column, Qt::Horizontal).toString();
    video_list_->horizontalHeader()->setSectionResizeMode(column, QHeaderView::Fixed);
    video_list_->setColumnWidth(column, video_list_->fontMetrics().horizontalAdvance(title) + 14);
  }
  video_list_->sortByColumn(-1, Qt::AscendingOrder);  // file order until the user sorts
  connect(video_list_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &MainWindow::videoListSelectionChanged);
  QDockWidget* videos = makeDock("Videos", "videosDock", video_list_, Qt::LeftDockWidgetArea);

  track_model_ = new widgets::TrackListModel(this);
  track_proxy_ = makeProxy(track_model_, widgets::TrackListModel::SortRole, this);
  labels_table_ = makeTable(track_proxy_, "labelsTable");
  labels_table_->sortByColumn(-1, Qt::AscendingOrder);
  connect(labels_table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this](const QItemSelection& selected) { trackSelectionChanged(selected, false); });
  QDockWidget* labels = makeDock("Labels", "labelsDock", labels_table_, Qt::RightDockWidgetArea);

  properties_ = new widgets::PropertiesPanel;
  properties_->setSectionOrder({"Selected track", "Frame", "Video", "Files"});
  QDockWidget* properties = makeDock("Properties", "propertiesDock", properties_, Qt::RightDockWidgetArea);
  splitDockWidget(labels, properties, Qt::Vertical);

  timeline_ = new widgets::TimelineView;
  timeline_->setObjectName("timeline");
  timeline_->setModel(track_model_);
  timeline_->setToolTip({});
  connect(timeline_, &widgets::TimelineView::seekRequested, playback_, &widgets::PlaybackController::seek);
  connect(timeline_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this](const QItemSelection& selected) { trackSelectionChanged(selected, true); });
  QDockWidget* timeline = makeDock("Timeline", "timelineDock", timeline_, Qt::BottomDockWidgetArea);

  log_view_ = new widgets::LogView;
  QDockWidget* log = makeDock("Log", "logDock", log_view_, Qt::BottomDockWidgetArea);
  splitDockWidget(timeline, log, Qt::Horizontal);

  resizeDocks({videos, labels}, {270, 470}, Qt::Horizontal);
  resizeDocks({timeline, log}, {1000, 420}, Qt::Horizontal);
  resizeDocks({timeline}, {230}, Qt::Vertical);
  resizeDocks({labels, properties}, {330, 300}, Qt::Vertical);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&Open dataset…", QKeySequence::Open, this, [this] { showOpenDialog(false); });
  file->addAction("Open &video file…", QKeySequence("Ctrl+Shift+O"), this, [this] { showOpenDialog(true); });
  file->addSeparator();
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

  QMenu* view = menuBar()->addMenu("&View");
  view->addAction("&Fit to window", QKeySequence(Qt::Key_F), video_view_, &widgets::VideoView::fitToWindow);
  view->addAction("Zoom &in", QKeySequence(Qt::Key_Plus), video_view_, &widgets::VideoView::zoomIn);
  view->addAction("Zoom &out", QKeySequence(Qt::Key_Minus), video_view_, &widgets::VideoView::zoomOut);
  view->addAction("&Actual size", QKeySequence(Qt::Key_1), video_view_, &widgets::VideoView::zoomActualSize);
  view->addSeparator();
  QAction* masks = addRememberedToggle(view, "Show &masks", "view/showMasks", true);
  masks->setShortcut(QKeySequence(Qt::Key_M));
  connect(masks, &QAction::toggled, video_view_, &widgets::VideoView::setShowMasks);
  video_view_->setShowMasks(masks->isChecked());
  QAction* labels = addRememberedToggle(view, "Show mask &labels", "view/showLabels", true);
  connect(labels, &QAction::toggled, video_view_, &widgets::VideoView::setShowLabels);
  video_view_->setShowLabels(labels->isChecked());
  colour_by_quality_ =
      addRememberedToggle(view, "Colour timeline by &quality", "view/timelineQuality", false);
  colour_by_quality_->setToolTip("Paint each track's bar as a heat strip of its per-frame quality");
  const auto colour_timeline = [this] {
    const bool on = colour_by_quality_->isChecked() && colour_by_quality_->isEnabled();
    timeline_->timelineDelegate()->setValueName(on ? "quality" : QString());
    timeline_->viewport()->update();
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
  });

  buildPlaybackMenu(menuBar()->addMenu("&Playback"));

  QMenu* help = menuBar()->addMenu("&Help");
  help->addAction("&Keyboard shortcuts", QKeySequence::HelpContents, this, &MainWindow::showShortcuts);
  help->addAction("&About", this, &MainWindow::showAbout);
}

void MainWindow::buildPlaybackMenu(QMenu* menu) {
  using widgets::PlaybackController;
  menu->addAction("&Play / pause", QKeySequence(Qt::Key_Space), playback_, &PlaybackController::togglePlay);
  menu->addAction("&Next frame", QKeySequence(Qt::Key_Right), playback_, [this] { playback_->step(1); });
  menu->addAction("P&revious frame", QKeySequence(Qt::Key_Left), playback_, [this] { playback_->step(-1); });
  menu->addAction("Forward 10 frames", QKeySequence(Qt::SHIFT | Qt::Key_Right), playback_,
                  [this] { playback_->step(10); });
  menu->addAction("Back 10 frames", QKeySequence(Qt::SHIFT | Qt::Key_Left), playback_,
                  [this] { playback_->step(-10); });
  menu->addAction("&First frame", QKeySequence(Qt::Key_Home), playback_, &PlaybackController::first);
  menu->addAction("&Last frame", QKeySequence(Qt::Key_End), playback_, &PlaybackController::last);
  menu->addSeparator();
  menu->addAction("Fit &timeline", QKeySequence("Ctrl+0"), timeline_, &widgets::TimelineView::fitTime);
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
  for (QLabel* label : {video_label_, fps_label_, zoom_label_, device_label_})
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
  restoreState(settings.value("mainWindow/viewerState").toByteArray(), kLayoutVersion);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  playback_->pause();
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
  if (document_) {
    widgets::OpenRequest current = document_->request;
    // Show the default frames folder as the placeholder, not as a fixed choice.
    if (current.frames_root == widgets::defaultFramesRoot(current.dataset)) current.frames_root.clear();
    if (video_file == !current.video_file.empty()) dialog.setRequest(current);
  }
  if (dialog.exec() == QDialog::Accepted) openDocument(dialog.request());
}

void MainWindow::openDocument(const widgets::OpenRequest& request, const QString& video, int frame,
                              qint64 track) {
  pending_video_ = video;
  pending_frame_ = frame;
  pending_track_ = track;
  const std::filesystem::path& main = request.video_file.empty() ? request.dataset : request.video_file;
  statusBar()->showMessage("Opening " + toQString(main) + "…");
  logInfo("opening " + main.string() + (request.results.empty() ? "" : " with " + request.results.string()));
  if (!loader_->isLoading()) QApplication::setOverrideCursor(Qt::BusyCursor);  // one per load in flight
  loader_->load(request);
}

void MainWindow::documentFailed(const QString& message) {
  QApplication::restoreOverrideCursor();
  showError("Cannot open", message);
  emit documentOpened(false);
}

void MainWindow::documentLoaded(std::shared_ptr<const widgets::ViewerDocument> document) {
  QApplication::restoreOverrideCursor();
  playback_->pause();
  document_ = std::move(document);
  video_index_ = -1;
  video_model_->setDocument(document_);
  setWindowTitle(QString::fromStdString(document_->title()) + " — AutoQ-VIS Studio");
  const bool has_quality =
      std::count(document_->frame_value_names.begin(), document_->frame_value_names.end(), "quality") > 0;
  colour_by_quality_->setEnabled(has_quality);
  updateFileProperties();
  logInfo("opened " + document_->title() + ": " + std::to_string(document_->videos.size()) + " videos, " +
          std::to_string(document_->tracks.size()) + " tracks");
  int index = 0;
  if (!pending_video_.isEmpty()) {
    index = document_->findVideo(pending_video_.toStdString());
    if (index < 0) {
      showError("No such video", "The document has no video with id or name \"" + pending_video_ +
                                     "\"; showing the first video.");
      index = 0;
    }
  }
  if (document_->videos.empty()) {
    showError("Nothing to show", "The dataset lists no videos.");
  } else {
    selectVideo(index);
    if (pending_track_ != 0) {
      const int row = track_model_->rowForKey(pending_track_);
      if (row < 0) logWarning("no track #" + std::to_string(pending_track_) + " in this video");
      selectTrack(row);
    }
  }
  pending_track_ = 0;
  statusBar()->showMessage("Opened " + QString::fromStdString(document_->title()), 5000);
  emit documentOpened(true);
}

void MainWindow::videoListSelectionChanged() {
  const QModelIndexList rows = video_list_->selectionModel()->selectedRows();
  if (rows.isEmpty()) return;
  const int index = video_proxy_->mapToSource(rows.front()).row();
  if (index != video_index_) selectVideo(index);
}

bool MainWindow::selectVideo(int index) {
  if (!document_ || index < 0 || index >= static_cast<int>(document_->videos.size())) return false;
  playback_->pause();
  video_index_ = index;
  unreadable_frames_ = 0;
  const widgets::ViewerVideo& video = document_->videos[static_cast<size_t>(index)];
  {
    // Keep the list in step when the video was chosen another way (command line, tests).
    const QModelIndex row = video_proxy_->mapFromSource(video_model_->index(index, 0));
    if (!video_list_->selectionModel()->isRowSelected(row.row(), {})) {
      video_list_->selectionModel()->select(row,
                                            QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    video_list_->scrollTo(row);
  }
  tracks_ = document_->videoTracks(index);
  std::vector<int64_t> keys;
  for (int t : video.tracks) keys.push_back(document_->track_keys[static_cast<size_t>(t)]);
  selected_track_ = -1;
  track_model_->setTracks(tracks_, keys, video.frames);
  labels_table_->setColumnHidden(widgets::TrackListModel::ScoreColumn, !track_model_->hasScores());
  QVector<QColor> colors;
  for (int row = 0; row < track_model_->rowCount(); ++row) colors.append(track_model_->color(row));

  video_view_->setPlaceholder("Loading " + QString::fromStdString(video.name) + "…");
  video_view_->setFrameSize(QSize(video.width, video.height));
  video_view_->setTrackColors(colors);
  video_view_->setSelectedTrack(-1);
  timeline_->setFrameCount(video.frames);
  const int frame = pending_frame_;
  pending_frame_ = 0;
  playback_->setFrameCount(video.frames);
  playback_->setFps(document_->fps > 0 ? document_->fps : kDefaultFrameFolderFps);
  playback_->seek(frame);

  widgets::FrameLoader::Video load;
  const std::shared_ptr<const widgets::ViewerDocument> document = document_;
  load.open = [document, index] { return document->openFrames(index); };
  load.tracks = tracks_;
  load.colors = std::vector<QColor>(colors.begin(), colors.end());
  load.keep_alive = document_;
  frames_->setVideo(std::move(load));
  frameChanged(playback_->frame());
  transport_->refresh();
  video_label_->setText(QString("%1 (%2/%3) · %4×%5")
                            .arg(QString::fromStdString(video.name))
                            .arg(index + 1)
                            .arg(document_->videos.size())
                            .arg(video.width)
                            .arg(video.height));
  updateVideoProperties();
  updateTrackProperties();
  return true;
}

void MainWindow::framesOpened(int frame_count, double fps, QSize size) {
  if (!document_ || video_index_ < 0) return;
  const widgets::ViewerVideo& video = document_->videos[static_cast<size_t>(video_index_)];
  if (frame_count != playback_->frameCount()) {
    logWarning(video.name + ": the source has " + std::to_string(frame_count) + " frames, the JSON lists " +
               std::to_string(video.frames));
    playback_->setFrameCount(frame_count);
    timeline_->setFrameCount(frame_count);
  }
  if (size != video_view_->frameSize()) {
    logWarning(video.name + ": frames are " + std::to_string(size.width()) + "x" +
               std::to_string(size.height()) + " but the JSON says " + std::to_string(video.width) + "x" +
               std::to_string(video.height));
    video_view_->setFrameSize(size);
  }
  if (document_->fps <= 0) playback_->setFps(fps);
  transport_->refresh();
  updateVideoProperties();
  frameChanged(playback_->frame());
}

void MainWindow::frameChanged(int frame) {
  frames_->setPlayhead(frame);
  if (widgets::FramePacketPtr packet = frames_->packet(frame)) {
    video_view_->setPacket(packet);
  } else {
    video_view_->setPendingFrame(frame);
  }
  timeline_->setPlayhead(frame);
  updateFrameProperties();
}

void MainWindow::packetReady(int frame) {
  const widgets::FramePacketPtr packet = frames_->packet(frame);
  if (packet && !packet->error.isEmpty() && ++unreadable_frames_ <= 3) {
    logWarning(packet->error.toStdString());
  }
  if (frame != playback_->frame()) return;
  video_view_->setPacket(packet);
  playback_->notifyReady(frame);
  updateFrameProperties();
}

void MainWindow::selectTrack(int row) {
  if (row >= track_model_->rowCount()) row = -1;
  selected_track_ = row;
  syncing_selection_ = true;
  const auto select = [row](QItemSelectionModel* selection, const QModelIndex& index) {
    if (row < 0) {
      selection->clearSelection();
    } else {
      selection->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
      selection->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    }
  };
  const QModelIndex source = track_model_->index(row, 0);
  select(timeline_->selectionModel(), source);
  select(labels_table_->selectionModel(), track_proxy_->mapFromSource(source));
  if (row >= 0) {
    timeline_->scrollTo(source);
    labels_table_->scrollTo(track_proxy_->mapFromSource(source));
  }
  syncing_selection_ = false;
  video_view_->setSelectedTrack(row);
  updateTrackProperties();
}

void MainWindow::trackSelectionChanged(const QItemSelection& selected, bool from_timeline) {
  if (syncing_selection_) return;
  int row = -1;
  if (!selected.isEmpty()) {
    const QModelIndex index = selected.indexes().front();
    row = from_timeline ? index.row() : track_proxy_->mapToSource(index).row();
  } else {
    QItemSelectionModel* model =
        from_timeline ? timeline_->selectionModel() : labels_table_->selectionModel();
    if (model->hasSelection()) return;
  }
  selectTrack(row);
}

QString MainWindow::trackLabel(int row, int frame) const {
  if (row < 0 || row >= track_model_->rowCount()) return {};
  const widgets::TrackSummary& summary = track_model_->summary(row);
  QString text = QString("#%1").arg(summary.key);
  if (summary.score) text += "  s " + QString::number(*summary.score, 'f', 2);
  const YtvisTrack& track = *tracks_[static_cast<size_t>(row)];
  if (auto iou = widgets::frameValue(track, "pred_iou", frame))
    text += "  IoU " + QString::number(*iou, 'f', 2);
  if (auto quality = widgets::frameValue(track, "quality", frame))
    text += "  Q " + QString::number(*quality, 'f', 2);
  return text;
}

void MainWindow::updateFileProperties() {
  const widgets::OpenRequest& request = document_->request;
  widgets::PropertiesPanel::Rows rows;
  if (!request.video_file.empty()) {
    rows.append({"Video file", toQString(request.video_file)});
  } else {
    rows.append({"Dataset", toQString(request.dataset)});
    rows.append({"Frames", toQString(request.frames_root)});
  }
  if (!request.results.empty()) rows.append({"Results", toQString(request.results)});
  const char* origin = document_->origin == widgets::TrackOrigin::GroundTruth ? "annotations (ground truth)"
                       : document_->origin == widgets::TrackOrigin::Results   ? "results / pseudo-labels"
                                                                              : "none";
  rows.append({"Masks shown", QString(origin)});
  rows.append({"Videos", QString::number(document_->videos.size())});
  rows.append({"Tracks", QString::number(document_->tracks.size())});
  QStringList values;
  for (const std::string& name : document_->frame_value_names) values.append(QString::fromStdString(name));
  if (!values.isEmpty()) rows.append({"Per-frame values", values.join(", ")});
  properties_->setSection("Files", rows);
}

void MainWindow::updateVideoProperties() {
  if (!document_ || video_index_ < 0) return;
  const widgets::ViewerVideo& video = document_->videos[static_cast<size_t>(video_index_)];
  properties_->setSection("Video", {{"Name", QString::fromStdString(video.name)},
                                    {"Id", QString::number(video.id)},
                                    {"Size", QString("%1 × %2").arg(video.width).arg(video.height)},
                                    {"Frames", QString::number(playback_->frameCount())},
                                    {"Frame rate", QString("%1 fps").arg(playback_->fps(), 0, 'g', 4)},
                                    {"Tracks", QString::number(video.tracks.size())},
                                    {"Masks", QString::number(video.masks)}});
}

void MainWindow::updateFrameProperties() {
  if (!document_ || video_index_ < 0) return;
  const int frame = playback_->frame();
  const widgets::FramePacketPtr packet = frames_->packet(frame);
  int masks = 0;
  for (const YtvisTrack* track : tracks_)
    masks += frame < track->numFrames() && track->segmentations[frame] ? 1 : 0;
  properties_->setSection("Frame", {{"Index", QString::number(frame)},
                                    {"Time", QString("%1 s").arg(frame / playback_->fps(), 0, 'f', 2)},
                                    {"Masks", QString::number(masks)},
                                    {"Picture", !packet                   ? "decoding…"
                                                : packet->error.isEmpty() ? "ok"
                                                                          : packet->error}});
  updateTrackProperties();
}

void MainWindow::updateTrackProperties() {
  if (selected_track_ < 0 || selected_track_ >= track_model_->rowCount()) {
    properties_->setSection("Selected track", {{"Track", "none: click a mask or a row"}});
    return;
  }
  const widgets::TrackSummary& summary = track_model_->summary(selected_track_);
  const YtvisTrack& track = *tracks_[static_cast<size_t>(selected_track_)];
  const int frame = playback_->frame();
  widgets::PropertiesPanel::Rows rows = {{"Track", QString("#%1").arg(summary.key)},
                                         {"Frames with a mask", QString::number(summary.frames_present)},
                                         {"Mean area", QString("%1 px").arg(std::lround(summary.mean_area))}};
  if (!summary.spans.empty()) {
    rows.append({"Span", QString("%1–%2 (%3 runs)")
                             .arg(summary.spans.front().first)
                             .arg(summary.spans.back().last)
                             .arg(summary.spans.size())});
  }
  if (summary.score) rows.append({"Score", formatNumber(*summary.score)});
  const bool present = frame < track.numFrames() && track.segmentations[frame];
  rows.append(
      {"At this frame", present ? QString("mask, %1 px").arg(track.areas[frame].value_or(0)) : "no mask"});
  for (const std::string& name : document_->frame_value_names) {
    const QString title = widgets::TrackListModel::valueTitle(QString::fromStdString(name));
    const auto mean = summary.mean_values.find(name);
    if (mean != summary.mean_values.end()) rows.append({title + " (mean)", formatNumber(mean->second)});
    if (auto value = widgets::frameValue(track, name, frame))
      rows.append({title + " (this frame)", formatNumber(*value)});
  }
  properties_->setSection("Selected track", rows);
}

void MainWindow::updateZoomLabel(double zoom) {
  if (video_view_->frameSize().isEmpty()) {
    zoom_label_->clear();
    return;
  }
  zoom_label_->setText(QString("%1%").arg(std::lround(zoom * 100)) +
                       (video_view_->isFitted() ? " (fit)" : ""));
}

}  // namespace autoqvis::gui
