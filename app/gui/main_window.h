// The main window, the shell of the desktop app: it places the viewer page's views (the video with its
// play controls in the centre, the track timeline at the bottom, the video list on the left, the
// labels table and the properties panel on the right) and the log in docks, and owns the menus, the
// status bar and the remembered layout. Every dock can be closed, moved and restored from the View
// menu. Errors go to a dialog and the log, and the window keeps what it showed.
#pragma once

#include <QMainWindow>
#include <QString>
#include <memory>
#include <vector>

#include "widgets/document/viewer_document.h"

class QAction;
class QLabel;
class QMenu;

namespace autoqvis::widgets {
class FrameLoader;
class LogView;
class PlaybackController;
class PropertiesPanel;
class TimelineView;
class VideoView;
}  // namespace autoqvis::widgets

namespace autoqvis::gui {

class ReviewPage;
class ViewerPage;
class TrainingPage;

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
  ViewerPage* viewer() const { return viewer_; }
  const widgets::ViewerDocument* document() const;
  int currentVideo() const;
  int selectedTrack() const;
  widgets::PlaybackController* playback() const;
  widgets::VideoView* videoView() const;
  widgets::TimelineView* timeline() const;
  widgets::FrameLoader* frameLoader() const;
  widgets::PropertiesPanel* properties() const;
  bool isOpening() const;

  // --- Workspaces and the training page (issue #14) ---
  /// Opens a workspace (a folder with project.yaml): its runs on the training page (which remembers it
  /// among the recent workspaces and emits workspaceOpened) and its rounds on the review page, which
  /// shows `stage` (default: the remembered, else the latest) at `video`, `frame`, `track`. A failure
  /// shows a dialog and keeps what was open.
  void openWorkspace(const QString& dir, const QString& video = {}, int frame = 0, qint64 track = 0,
                     const QString& stage = {});
  TrainingPage* training() const { return training_; }
  ReviewPage* review() const { return review_; }
  /// File → New project…: the dialog, then the project is created and opened.
  void showNewProjectDialog();

 signals:
  /// A document finished opening (or failed: `ok` false); for tests and scripts.
  void documentOpened(bool ok);
  /// A workspace opened (its absolute path).
  void workspaceOpened(const QString& dir);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  void buildDocks();
  void buildMenus();
  void buildPlaybackMenu(QMenu* menu);
  void buildStatusBar();
  void showAbout();
  void showShortcuts();
  void restoreLayout();
  void applyDefaultDockSizes();
  void saveWorkspaceLayout();
  void showExportDialog(bool davis);
  void connectReview();
  void showOpenDialog(bool video_file);
  void showError(const QString& title, const QString& message);
  void updateZoomLabel(double zoom);
  // --- Workspaces and the training page (issue #14) ---
  void buildTrainingDock();
  void buildRunMenu();
  void buildWorkspaceMenuItems(QMenu* file);
  void rememberWorkspace(const QString& dir);
  void updateRecentWorkspaces();
  void showOpenWorkspaceDialog();
  void updateMemoryLabel();

  ViewerPage* viewer_ = nullptr;
  widgets::LogView* log_view_ = nullptr;
  QAction* colour_by_quality_ = nullptr;
  QLabel* video_label_ = nullptr;
  QLabel* zoom_label_ = nullptr;
  QLabel* fps_label_ = nullptr;
  QLabel* device_label_ = nullptr;
  QByteArray default_state_;
  bool layout_restored_ = false;
  bool sized_docks_ = false;
  ReviewPage* review_ = nullptr;
  QString continue_after_commit_;  ///< the round whose Continue waits for the review's commit
  // --- Workspaces and the training page (issue #14) ---
  TrainingPage* training_ = nullptr;
  QMenu* recent_workspaces_ = nullptr;
  QLabel* job_label_ = nullptr;
  QLabel* memory_label_ = nullptr;
};

}  // namespace autoqvis::gui
