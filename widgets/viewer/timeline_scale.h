// The time axis of the track timeline: maps frame indices to x pixels and back, with zoom and
// scrolling. Frame f occupies the pixel span [xForFrame(f), xForFrame(f + 1)). Qt-free and free of
// painting so that the mapping is tested on its own.
#pragma once

namespace autoqvis::widgets {

class TimelineScale {
 public:
  /// Frames on the axis (at least 1); keeps the zoom when possible and re-clamps the scroll position.
  void setFrameCount(int frames);
  int frameCount() const { return frames_; }
  /// The pixel span of the time area: it starts at `left` and is `width` pixels wide.
  void setArea(double left, double width);
  double left() const { return left_; }
  double width() const { return width_; }

  /// Zoom: pixels per frame, clamped between "whole video fits" and kMaxPixelsPerFrame.
  double pixelsPerFrame() const { return pixels_per_frame_; }
  void setPixelsPerFrame(double pixels);
  /// The frame (fractional) shown at the left edge of the area.
  double firstVisibleFrame() const { return first_frame_; }
  void setFirstVisibleFrame(double frame);
  /// Total width of the axis at the current zoom (for scroll bars).
  double contentWidth() const { return frames_ * pixels_per_frame_; }

  double xForFrame(double frame) const { return left_ + (frame - first_frame_) * pixels_per_frame_; }
  /// The frame drawn at x, clamped to [0, frameCount() - 1].
  int frameAt(double x) const;
  /// Whether the frame's span lies (at least partly) inside the area.
  bool isVisible(int frame) const;

  /// Shows the whole video in the area.
  void fit();
  bool isFitted() const;
  /// Multiplies the zoom by `factor` keeping the time under x where it is.
  void zoomAbout(double x, double factor);
  /// Scrolls the least needed so that `frame` is inside the area (with a small margin).
  void ensureVisible(int frame);

  static constexpr double kMaxPixelsPerFrame = 48.0;

 private:
  double minPixelsPerFrame() const;
  void clampFirstFrame();

  int frames_ = 1;
  double left_ = 0;
  double width_ = 1;
  double pixels_per_frame_ = 1;
  double first_frame_ = 0;
};

}  // namespace autoqvis::widgets
