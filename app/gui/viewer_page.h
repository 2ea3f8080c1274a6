// The viewer page: the open document with its video and track state, and the views that show it (the
// video with its play controls, the timeline, the video list, the labels table, the properties panel),
// with the selection kept in step across them. The main window places these views in its docks; the
// review and training pages of later issues sit beside this one.
#pragma once

#include <QObject>
#include <QSize>
#include <QString>
#include <memory>
#include <vector>

#include "widgets/document/viewer_document.h"

class QItemSelection;
class QSortFilterProxyModel;
class QTableView;
class QWidget;

namespace autoqvis::widgets {
class DocumentLoader;
class FrameLoader;
class PlaybackController;
class PropertiesPanel;
class TimelineView;
class TrackListModel;
class TransportBar;
class VideoListModel;
class VideoView;
}  // namespace autoqvis::widgets

namespace autoqvis::gui {

class ViewerPage : public QObject {
  Q_OBJECT

 public:
  explicit ViewerPage(QObject* parent = nullptr);
  ~ViewerPage() override;

  /// Opens in the background; then shows `video` (an id or a name; default the first) at `frame`, with
  /// the track of id `track` selected (0: none). A failure leaves the current document open.
  void openDocument(const widgets::OpenRequest& request, const QString& video = {}, int frame = 0, qint64 track = 0);
  /// Shows a document built elsewhere (the review's round), as if it had just been opened.
  void showDocument(std::shared_ptr<const widgets::ViewerDocument> document, const QString& video = {},
                    int frame = 0, qint64 track = 0);
  /// Shows videos[index] of the open document; false when out of range.
  bool selectVideo(int index);
  /// Moves the playhead.
  void seek(int frame);
  /// Selects the track in row `row` of the current video's track list (-1: none), in every view.
  void selectTrack(int row);

  const widgets::ViewerDocument* document() const { return document_.get(); }
  std::shared_ptr<const widgets::ViewerDocument> sharedDocument() const { return document_; }
  int currentVideo() const { return video_index_; }
  int selectedTrack() const { return selected_track_; }
  bool isOpening() const;
  /// True when the open document's tracks carry a per-frame quality.
  bool hasQuality() const;

  // The views, for the window's layout, menus and tests.
  QWidget* centre() const { return centre_; }
  QTableView* videoList() const { return video_list_; }
  QTableView* labelsTable() const { return labels_table_; }
  widgets::PlaybackController* playback() const { return playback_; }
  widgets::VideoView* videoView() const { return video_view_; }
  widgets::TimelineView* timeline() const { return timeline_; }
  widgets::FrameLoader* frameLoader() const { return frames_; }
  widgets::PropertiesPanel* properties() const { return properties_; }
  widgets::TrackListModel* trackModel() const { return track_model_; }
  /// The labels table row of a track row, and back (the table sorts through a proxy).
  int tableRowOf(int track_row) const;

 signals:
  /// A document finished opening (or failed: `ok` false).
  void documentOpened(bool ok);
  /// Something the user should see in a dialog and the log.
  void problem(const QString& title, const QString& message);
  void statusMessage(const QString& message, int timeout_ms);
  void titleChanged(const QString& title);
  /// "name (i/n) · w×h" of the current video.
  void videoLabelChanged(const QString& text);
  /// A video is shown (its tracks are in trackModel()).
  void videoShown(int index);
  /// The selected track row changed (-1: none).
  void trackSelected(int row);
  /// The playhead moved.
  void frameShown(int frame);

 private:
  void buildViews();
  void documentLoaded(std::shared_ptr<const widgets::ViewerDocument> document);
  void documentFailed(const QString& message);
  void videoListSelectionChanged();
  void framesOpened(int frame_count, double fps, QSize size);
  void frameChanged(int frame);
  void packetReady(int frame);
  void trackSelectionChanged(const QItemSelection& selected, bool from_timeline);
  QString labelOf(int row, int frame) const;
  void updateVideoProperties();
  void updateFrameProperties();
  void updateTrackProperties();

  // Engine side.
  widgets::DocumentLoader* loader_ = nullptr;
  widgets::FrameLoader* frames_ = nullptr;
  widgets::PlaybackController* playback_ = nullptr;
  std::shared_ptr<const widgets::ViewerDocument> document_;
  int video_index_ = -1;
  std::vector<const YtvisTrack*> tracks_;
  int selected_track_ = -1;
  bool syncing_selection_ = false;
  QString pending_video_;
  int pending_frame_ = 0;
  qint64 pending_track_ = 0;
  int unreadable_frames_ = 0;

  // Views (owned by the window's layout once placed; the centre until then by this page).
  QWidget* centre_ = nullptr;
  widgets::VideoView* video_view_ = nullptr;
  widgets::TransportBar* transport_ = nullptr;
  widgets::TimelineView* timeline_ = nullptr;
  widgets::TrackListModel* track_model_ = nullptr;
  QSortFilterProxyModel* track_proxy_ = nullptr;
  QTableView* labels_table_ = nullptr;
  widgets::VideoListModel* video_model_ = nullptr;
  QSortFilterProxyModel* video_proxy_ = nullptr;
  QTableView* video_list_ = nullptr;
  widgets::PropertiesPanel* properties_ = nullptr;
};

}  // namespace autoqvis::gui
