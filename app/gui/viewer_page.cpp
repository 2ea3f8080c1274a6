#include "app/gui/viewer_page.h"

#include <QApplication>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "app/gui/viewer_properties.h"
#include "core/dataset/frame_fields.h"
#include "core/util/log.h"
#include "widgets/document/document_loader.h"
#include "widgets/document/track_list_model.h"
#include "widgets/document/video_list_model.h"
#include "widgets/viewer/frame_loader.h"
#include "widgets/viewer/playback_controller.h"
#include "widgets/viewer/properties_panel.h"
#include "widgets/viewer/timeline_view.h"
#include "widgets/viewer/transport_bar.h"
#include "widgets/viewer/video_view.h"

namespace autoqvis::gui {
namespace {

const char kPlaceholder[] =
    "Open a YouTube-VIS dataset with File → Open dataset… (Ctrl+O),\n"
    "or a video file with its results with File → Open video file… (Ctrl+Shift+O).\n\n"
    "From a terminal: autoqvis DATASET.json [--results RESULTS.json] [--video N] [--frame F]";

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

ViewerPage::ViewerPage(QObject* parent) : QObject(parent) {
  loader_ = new widgets::DocumentLoader(this);
  frames_ = new widgets::FrameLoader(this);
  playback_ = new widgets::PlaybackController(this);
  playback_->setReadyCheck([this](int frame) { return frames_->packet(frame) != nullptr; });
  buildViews();
  connect(loader_, &widgets::DocumentLoader::loaded, this, &ViewerPage::documentLoaded);
  connect(loader_, &widgets::DocumentLoader::failed, this, &ViewerPage::documentFailed);
  connect(frames_, &widgets::FrameLoader::opened, this, &ViewerPage::framesOpened);
  connect(frames_, &widgets::FrameLoader::openFailed, this, [this](const QString& message) {
    video_view_->setPlaceholder("The frames of this video cannot be read.");
    video_view_->setFrameSize({});
    emit problem("Cannot read the video's frames", message);
  });
  connect(frames_, &widgets::FrameLoader::packetReady, this, &ViewerPage::packetReady);
  connect(playback_, &widgets::PlaybackController::frameChanged, this, &ViewerPage::frameChanged);
}

ViewerPage::~ViewerPage() = default;

bool ViewerPage::isOpening() const { return loader_->isLoading(); }

bool ViewerPage::hasQuality() const {
  return document_ && std::count(document_->frame_value_names.begin(), document_->frame_value_names.end(),
                                 frame_fields::kQuality) > 0;
}

void ViewerPage::buildViews() {
  centre_ = new QWidget;
  auto* layout = new QVBoxLayout(centre_);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  video_view_ = new widgets::VideoView;
  video_view_->setPlaceholder(kPlaceholder);
  video_view_->setLabelFunction([this](int row, int frame) { return labelOf(row, frame); });
  connect(video_view_, &widgets::VideoView::trackClicked, this, &ViewerPage::selectTrack);
  transport_ = new widgets::TransportBar(playback_);
  layout->addWidget(video_view_, 1);
  layout->addWidget(transport_);

  video_model_ = new widgets::VideoListModel(this);
  video_proxy_ = makeProxy(video_model_, widgets::VideoListModel::SortRole, this);
  video_list_ = makeTable(video_proxy_, "videoList");
  video_list_->horizontalHeader()->setSectionResizeMode(widgets::VideoListModel::NameColumn, QHeaderView::Stretch);
  // Counts are short; header-sized columns leave the names room in a narrow dock.
  for (int column = widgets::VideoListModel::FramesColumn; column < widgets::VideoListModel::ColumnCount; ++column) {
    const QString title = video_model_->headerData(column, Qt::Horizontal).toString();
    video_list_->horizontalHeader()->setSectionResizeMode(column, QHeaderView::Fixed);
    video_list_->setColumnWidth(column, video_list_->fontMetrics().horizontalAdvance(title) + 14);
  }
  video_list_->sortByColumn(-1, Qt::AscendingOrder);  // file order until the user sorts
  connect(video_list_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &ViewerPage::videoListSelectionChanged);

  track_model_ = new widgets::TrackListModel(this);
  track_proxy_ = makeProxy(track_model_, widgets::TrackListModel::SortRole, this);
  labels_table_ = makeTable(track_proxy_, "labelsTable");
  labels_table_->sortByColumn(-1, Qt::AscendingOrder);
  connect(labels_table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this](const QItemSelection& selected) { trackSelectionChanged(selected, false); });

  properties_ = new widgets::PropertiesPanel;
  properties_->setSectionOrder({"Review", "Selected track", "Frame", "Video", "Files"});

  timeline_ = new widgets::TimelineView;
  timeline_->setObjectName("timeline");
  timeline_->setModel(track_model_);
  timeline_->setToolTip({});
  connect(timeline_, &widgets::TimelineView::seekRequested, playback_, &widgets::PlaybackController::seek);
  connect(timeline_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          [this](const QItemSelection& selected) { trackSelectionChanged(selected, true); });
}

void ViewerPage::openDocument(const widgets::OpenRequest& request, const QString& video, int frame, qint64 track) {
  pending_video_ = video;
  pending_frame_ = frame;
  pending_track_ = track;
  const std::filesystem::path& main = request.video_file.empty() ? request.dataset : request.video_file;
  emit statusMessage("Opening " + QString::fromStdString(main.string()) + "…", 0);
  logInfo("opening " + main.string() + (request.results.empty() ? "" : " with " + request.results.string()));
  if (!loader_->isLoading()) QApplication::setOverrideCursor(Qt::BusyCursor);  // one per load in flight
  loader_->load(request);
}

void ViewerPage::documentFailed(const QString& message) {
  QApplication::restoreOverrideCursor();
  emit problem("Cannot open", message);
  emit documentOpened(false);
}

void ViewerPage::showDocument(std::shared_ptr<const widgets::ViewerDocument> document, const QString& video,
                              int frame, qint64 track) {
  pending_video_ = video;
  pending_frame_ = frame;
  pending_track_ = track;
  QApplication::setOverrideCursor(Qt::BusyCursor);  // documentLoaded restores it
  documentLoaded(std::move(document));
}

void ViewerPage::seek(int frame) { playback_->seek(frame); }

int ViewerPage::tableRowOf(int track_row) const {
  return track_proxy_->mapFromSource(track_model_->index(track_row, 0)).row();
}

void ViewerPage::documentLoaded(std::shared_ptr<const widgets::ViewerDocument> document) {
  QApplication::restoreOverrideCursor();
  playback_->pause();
  document_ = std::move(document);
  video_index_ = -1;
  video_model_->setDocument(document_);
  emit titleChanged(QString::fromStdString(document_->title()));
  properties_->setSection("Files", fileProperties(*document_));
  logInfo("opened " + document_->title() + ": " + std::to_string(document_->videos.size()) + " videos, " +
          std::to_string(document_->tracks.size()) + " tracks");
  int index = 0;
  if (!pending_video_.isEmpty()) {
    index = document_->findVideo(pending_video_.toStdString());
    if (index < 0) {
      emit problem("No such video",
                   "The document has no video with id or name \"" + pending_video_ + "\"; showing the first video.");
      index = 0;
    }
  }
  if (document_->videos.empty()) {
    emit problem("Nothing to show", "The dataset lists no videos.");
  } else {
    selectVideo(index);
    if (pending_track_ != 0) {
      const int row = track_model_->rowForKey(pending_track_);
      if (row < 0) logWarning("no track #" + std::to_string(pending_track_) + " in this video");
      selectTrack(row);
    }
  }
  pending_track_ = 0;
  emit statusMessage("Opened " + QString::fromStdString(document_->title()), 5000);
  emit documentOpened(true);
}

void ViewerPage::videoListSelectionChanged() {
  const QModelIndexList rows = video_list_->selectionModel()->selectedRows();
  if (rows.isEmpty()) return;
  const int index = video_proxy_->mapToSource(rows.front()).row();
  if (index != video_index_) selectVideo(index);
}

bool ViewerPage::selectVideo(int index) {
  if (!document_ || index < 0 || index >= static_cast<int>(document_->videos.size())) return false;
  playback_->pause();
  video_index_ = index;
  unreadable_frames_ = 0;
  const widgets::ViewerVideo& video = document_->videos[static_cast<size_t>(index)];
  {
    // Keep the list in step when the video was chosen another way (command line, tests).
    const QModelIndex row = video_proxy_->mapFromSource(video_model_->index(index, 0));
    if (!video_list_->selectionModel()->isRowSelected(row.row(), {})) {
      video_list_->selectionModel()->select(row, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
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
  emit videoLabelChanged(QString("%1 (%2/%3) · %4×%5")
                             .arg(QString::fromStdString(video.name))
                             .arg(index + 1)
                             .arg(document_->videos.size())
                             .arg(video.width)
                             .arg(video.height));
  updateVideoProperties();
  updateTrackProperties();
  emit videoShown(index);
  return true;
}

void ViewerPage::framesOpened(int frame_count, double fps, QSize size) {
  if (!document_ || video_index_ < 0) return;
  const widgets::ViewerVideo& video = document_->videos[static_cast<size_t>(video_index_)];
  if (frame_count != playback_->frameCount()) {
    logWarning(video.name + ": the source has " + std::to_string(frame_count) + " frames, the JSON lists " +
               std::to_string(video.frames));
    playback_->setFrameCount(frame_count);
    timeline_->setFrameCount(frame_count);
  }
  if (size != video_view_->frameSize()) {
    logWarning(video.name + ": frames are " + std::to_string(size.width()) + "x" + std::to_string(size.height()) +
               " but the JSON says " + std::to_string(video.width) + "x" + std::to_string(video.height));
    video_view_->setFrameSize(size);
  }
  if (document_->fps <= 0) playback_->setFps(fps);
  transport_->refresh();
  updateVideoProperties();
  frameChanged(playback_->frame());
}

void ViewerPage::frameChanged(int frame) {
  frames_->setPlayhead(frame);
  if (widgets::FramePacketPtr packet = frames_->packet(frame)) {
    video_view_->setPacket(packet);
  } else {
    video_view_->setPendingFrame(frame);
  }
  timeline_->setPlayhead(frame);
  updateFrameProperties();
  emit frameShown(frame);
}

void ViewerPage::packetReady(int frame) {
  const widgets::FramePacketPtr packet = frames_->packet(frame);
  if (packet && !packet->error.isEmpty() && ++unreadable_frames_ <= 3) logWarning(packet->error.toStdString());
  if (frame != playback_->frame()) return;
  video_view_->setPacket(packet);
  playback_->notifyReady(frame);
  updateFrameProperties();
}

void ViewerPage::selectTrack(int row) {
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
  emit trackSelected(row);
}

void ViewerPage::trackSelectionChanged(const QItemSelection& selected, bool from_timeline) {
  if (syncing_selection_) return;
  int row = -1;
  if (!selected.isEmpty()) {
    const QModelIndex index = selected.indexes().front();
    row = from_timeline ? index.row() : track_proxy_->mapToSource(index).row();
  } else {
    QItemSelectionModel* model = from_timeline ? timeline_->selectionModel() : labels_table_->selectionModel();
    if (model->hasSelection()) return;
  }
  selectTrack(row);
}

QString ViewerPage::labelOf(int row, int frame) const {
  if (row < 0 || row >= track_model_->rowCount()) return {};
  return trackLabel(track_model_->summary(row), *tracks_[static_cast<size_t>(row)], frame);
}

void ViewerPage::updateVideoProperties() {
  if (!document_ || video_index_ < 0) return;
  properties_->setSection("Video", videoProperties(document_->videos[static_cast<size_t>(video_index_)],
                                                   playback_->frameCount(), playback_->fps()));
}

void ViewerPage::updateFrameProperties() {
  if (!document_ || video_index_ < 0) return;
  const int frame = playback_->frame();
  const widgets::FramePacketPtr packet = frames_->packet(frame);
  properties_->setSection("Frame", frameProperties(frame, playback_->fps(), tracks_, packet.get()));
  updateTrackProperties();
}

void ViewerPage::updateTrackProperties() {
  const bool selected = selected_track_ >= 0 && selected_track_ < track_model_->rowCount();
  const std::vector<std::string> no_values;
  properties_->setSection(
      "Selected track",
      trackProperties(selected ? &track_model_->summary(selected_track_) : nullptr,
                      selected ? tracks_[static_cast<size_t>(selected_track_)] : nullptr, playback_->frame(),
                      document_ ? document_->frame_value_names : no_values));
}

}  // namespace autoqvis::gui
