#include "widgets/viewer/playback_controller.h"

#include <algorithm>
#include <cmath>

namespace autoqvis::widgets {

PlaybackController::PlaybackController(QObject* parent) : QObject(parent) {
  timer_.setTimerType(Qt::PreciseTimer);
  connect(&timer_, &QTimer::timeout, this, &PlaybackController::tick);
}

void PlaybackController::setFrameCount(int frames) {
  frames_ = std::max(0, frames);
  if (frames_ == 0) pause();
  const int clamped = std::clamp(frame_, 0, std::max(0, frames_ - 1));
  if (clamped != frame_) {
    frame_ = clamped;
    emit frameChanged(frame_);
  }
}

void PlaybackController::setFps(double fps) {
  fps_ = (fps > 0 && std::isfinite(fps)) ? std::min(fps, 240.0) : 25.0;
  timer_.setInterval(std::max(1, static_cast<int>(std::lround(1000.0 / fps_))));
}

void PlaybackController::seek(int frame) {
  if (frames_ <= 0) return;
  const int clamped = std::clamp(frame, 0, frames_ - 1);
  if (clamped == frame_) return;
  frame_ = clamped;
  emit frameChanged(frame_);
}

void PlaybackController::step(int delta) { seek(frame_ + delta); }

void PlaybackController::play() {
  if (frames_ <= 1 || isPlaying()) return;
  if (frame_ >= frames_ - 1) seek(0);  // play at the end starts over, as media players do
  setFps(fps_);
  waiting_ = false;
  fps_clock_.start();
  fps_frames_ = 0;
  timer_.start();
  emit playingChanged(true);
}

void PlaybackController::pause() {
  if (!isPlaying()) return;
  timer_.stop();
  waiting_ = false;
  measured_fps_ = 0;
  emit playingChanged(false);
}

void PlaybackController::togglePlay() { isPlaying() ? pause() : play(); }

void PlaybackController::tick() {
  if (frame_ >= frames_ - 1) {
    pause();
    return;
  }
  if (is_ready_ && !is_ready_(frame_ + 1)) {
    waiting_ = true;  // notifyReady() continues; the timer keeps the pace afterwards
    return;
  }
  advance();
}

void PlaybackController::notifyReady(int frame) {
  if (!waiting_ || !isPlaying() || frame != frame_ + 1) return;
  waiting_ = false;
  advance();
  timer_.start();  // restart the interval: the next frame is due one period after this one
}

void PlaybackController::advance() {
  seek(frame_ + 1);
  ++fps_frames_;
  const qint64 elapsed = fps_clock_.elapsed();
  if (elapsed >= 1000) {
    measured_fps_ = fps_frames_ * 1000.0 / elapsed;
    fps_frames_ = 0;
    fps_clock_.restart();
  }
  if (frame_ >= frames_ - 1) pause();
}

}  // namespace autoqvis::widgets
