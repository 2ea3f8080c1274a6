// Play controls under the video: first / previous / play-pause / next / last, a frame slider, and the
// position as frame and time. Drives a PlaybackController and follows it. Its buttons take no focus
// so that Space and the arrow keys always reach the window's shortcuts.
#pragma once

#include <QStyle>
#include <QWidget>

class QLabel;
class QSlider;
class QToolButton;

namespace autoqvis::widgets {

class PlaybackController;

class TransportBar : public QWidget {
  Q_OBJECT

 public:
  explicit TransportBar(PlaybackController* playback, QWidget* parent = nullptr);

  /// Re-reads frame count and fps (after a video is loaded).
  void refresh();
  QString positionText() const;

 private:
  void showFrame(int frame);
  void showPlaying(bool playing);
  QToolButton* button(const QString& icon_name, QStyle::StandardPixmap fallback, const QString& tip);

  PlaybackController* playback_;
  QToolButton* play_button_ = nullptr;
  QSlider* slider_ = nullptr;
  QLabel* position_ = nullptr;
};

}  // namespace autoqvis::widgets
