#include "widgets/viewer/timeline_scale.h"

#include <algorithm>
#include <cmath>

namespace autoqvis::widgets {

void TimelineScale::setFrameCount(int frames) {
  const bool was_fitted = isFitted();
  frames_ = std::max(1, frames);
  if (was_fitted) {
    fit();
  } else {
    setPixelsPerFrame(pixels_per_frame_);
  }
}

void TimelineScale::setArea(double left, double width) {
  const bool was_fitted = isFitted();
  left_ = left;
  width_ = std::max(1.0, width);
  // A fitted axis stays fitted when the window is resized; a zoomed one keeps its zoom.
  if (was_fitted) {
    fit();
  } else {
    setPixelsPerFrame(pixels_per_frame_);
  }
}

double TimelineScale::minPixelsPerFrame() const { return width_ / frames_; }

void TimelineScale::setPixelsPerFrame(double pixels) {
  pixels_per_frame_ =
      std::clamp(pixels, minPixelsPerFrame(), std::max(minPixelsPerFrame(), kMaxPixelsPerFrame));
  clampFirstFrame();
}

void TimelineScale::setFirstVisibleFrame(double frame) {
  first_frame_ = frame;
  clampFirstFrame();
}

void TimelineScale::clampFirstFrame() {
  const double visible_frames = width_ / pixels_per_frame_;
  first_frame_ = std::clamp(first_frame_, 0.0, std::max(0.0, frames_ - visible_frames));
}

int TimelineScale::frameAt(double x) const {
  const double frame = first_frame_ + (x - left_) / pixels_per_frame_;
  return std::clamp(static_cast<int>(std::floor(frame)), 0, frames_ - 1);
}

bool TimelineScale::isVisible(int frame) const {
  return xForFrame(frame + 1) > left_ && xForFrame(frame) < left_ + width_;
}

void TimelineScale::fit() {
  pixels_per_frame_ = minPixelsPerFrame();
  first_frame_ = 0;
}

bool TimelineScale::isFitted() const {
  return std::fabs(pixels_per_frame_ - minPixelsPerFrame()) <= 1e-9 * std::max(1.0, pixels_per_frame_);
}

void TimelineScale::zoomAbout(double x, double factor) {
  if (!(factor > 0)) return;
  const double anchor = first_frame_ + (x - left_) / pixels_per_frame_;
  setPixelsPerFrame(pixels_per_frame_ * factor);
  first_frame_ = anchor - (x - left_) / pixels_per_frame_;
  clampFirstFrame();
}

void TimelineScale::ensureVisible(int frame) {
  const double margin = std::min(2.0, 0.1 * width_ / pixels_per_frame_);
  const double visible_frames = width_ / pixels_per_frame_;
  if (frame < first_frame_ + margin) {
    setFirstVisibleFrame(frame - margin);
  } else if (frame + 1 > first_frame_ + visible_frames - margin) {
    setFirstVisibleFrame(frame + 1 - visible_frames + margin);
  }
}

}  // namespace autoqvis::widgets
