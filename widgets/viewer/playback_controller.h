// The playhead of the viewer: the current frame, stepping and seeking (clamped to the video), and
// playback at the video's frame rate. Playback never skips a frame and never blocks: when the next
// frame is not decoded yet it waits for notifyReady() instead of showing a stale frame.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <functional>

namespace autoqvis::widgets {

class PlaybackController : public QObject {
  Q_OBJECT

 public:
  explicit PlaybackController(QObject* parent = nullptr);

  /// Number of frames (0 = nothing loaded); the playhead is clamped into the new range.
  void setFrameCount(int frames);
  int frameCount() const { return frames_; }
  /// Playback rate in frames per second (> 0).
  void setFps(double fps);
  double fps() const { return fps_; }
  /// Which frames are ready to show; playback waits on the others. Default: all are.
  void setReadyCheck(std::function<bool(int)> is_ready) { is_ready_ = std::move(is_ready); }

  int frame() const { return frame_; }
  bool isPlaying() const { return timer_.isActive(); }
  /// Frames per second actually shown over the last second of playback (0 when stopped).
  double measuredFps() const { return measured_fps_; }

 public slots:
  void seek(int frame);
  void step(int delta);
  void first() { seek(0); }
  void last() { seek(frames_ - 1); }
  void play();
  void pause();
  void togglePlay();
  /// A frame became ready: a playback waiting for it continues at once.
  void notifyReady(int frame);

 signals:
  void frameChanged(int frame);
  void playingChanged(bool playing);

 private:
  void tick();
  void advance();

  int frames_ = 0;
  int frame_ = 0;
  double fps_ = 25.0;
  bool waiting_ = false;
  std::function<bool(int)> is_ready_;
  QTimer timer_;
  QElapsedTimer fps_clock_;
  int fps_frames_ = 0;
  double measured_fps_ = 0;
};

}  // namespace autoqvis::widgets
