// The main window: the video view in the centre with its play controls, the track timeline at the
// bottom, the video list on the left, the labels table and the properties panel on the right, and
// the log dock. Every dock can be closed, moved and restored from the View menu; the layout is
// remembered. Opening runs in the background; errors go to a dialog and the log, and the window
// keeps what it showed.
#pragma once

#include <QMainWindow>
#include <QString>
#include <memory>
#include <vector>

#include "widgets/viewer_document.h"

class QLabel;
class QTableView;
class QSortFilterProxyModel;
class QAction;
class QItemSelection;

namespace autoqvis::widgets {
class DocumentLoader;
class FrameLoader;
class LogView;
class PlaybackController;
class PropertiesPanel;
class TimelineView;
class TrackListModel;
class TransportBar;
class VideoListModel;
class VideoView;
}  // namespace autoqvis::widgets

namespace autoqvis::gui {

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  /// Opens in the background; then shows `video` (an id or a folder/file name; default the first)
  /// at `frame`, with the track of id `track` selected (0: none). A failure shows a dialog and leaves
  /// the current document open.
  void openDocument(const widgets::OpenRequest& request, const QString& video = {}, int frame = 0,
                    qint64 track = 0);
  /// Shows videos[index] of the open document; false when out of range.
  bool selectVideo(int index);
  /// Selects the track in row `row` of the current video's track list (-1: none), in every view.
  void selectTrack(int row);

  // For tests and the command line.
  const widgets::ViewerDocument* document() const { return document_.get(); }
  int currentVideo() const { return video_index_; }
  int selectedTrack() const { return selected_track_; }
  widgets::PlaybackController* playback() const { return playback_; }
  widgets::VideoView* videoView() const { return video_view_; }
  widgets::TimelineView* timeline() const { return timeline_; }
  widgets::FrameLoader* frameLoader() const { return frames_; }
  widgets::PropertiesPanel* properties() const { return properties_; }
  bool isOpening() const;

 signals:
  /// A document finished opening (or failed: `ok` false); for tests and scripts.
  void documentOpened(bool ok);

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildCentre();
  void buildDocks();
  void buildMenus();
  void buildPlaybackMenu(QMenu* menu);
  void buildStatusBar();
  void showAbout();
  void showShortcuts();
  void restoreLayout();
  void showOpenDialog(bool video_file);
  void showError(const QString& title, const QString& message);

  void documentLoaded(std::shared_ptr<const widgets::ViewerDocument> document);
  void documentFailed(const QString& message);
  void videoListSelectionChanged();
  void framesOpened(int frame_count, double fps, QSize size);
  void frameChanged(int frame);
  void packetReady(int frame);
  void trackSelectionChanged(const QItemSelection& selected, bool from_timeline);

  QString trackLabel(int row, int frame) const;
  void updateFileProperties();
  void updateVideoProperties();
  void updateFrameProperties();
  void updateTrackProperties();
  void updateZoomLabel(double zoom);

  // Engine side of the viewer.
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

  // Views.
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
  widgets::LogView* log_view_ = nullptr;
  QAction* colour_by_quality_ = nullptr;
  QLabel* video_label_ = nullptr;
  QLabel* zoom_label_ = nullptr;
  QLabel* fps_label_ = nullptr;
  QLabel* device_label_ = nullptr;
  QByteArray default_state_;
};

}  // namespace autoqvis::gui
