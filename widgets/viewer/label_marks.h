// What the review decides about each label of the current video, for the views to show: per track
// row and frame, whether the label is in the pseudo-label set (painted solid) or left out (hatched),
// and which frames the frame filter drops (shaded on the timeline's ruler). Built by the review page
// after each tau change; the viewer only paints it.
#pragma once

#include <QString>
#include <cstdint>
#include <memory>
#include <vector>

namespace autoqvis::widgets {

struct LabelMarks {
  enum Mark : uint8_t { None = 0, Accepted = 1, Rejected = 2 };

  int rows = 0;
  int frames = 0;
  std::vector<uint8_t> marks;           ///< rows x frames, row-major
  std::vector<uint8_t> dropped_frames;  ///< per frame: 1 when the frame does not enter the set
  /// Per frame: why it is dropped ("#3 Q 0.61 < τ 0.75"), empty when it is kept or has no label.
  std::vector<QString> frame_notes;

  Mark at(int row, int frame) const {
    if (row < 0 || row >= rows || frame < 0 || frame >= frames) return None;
    return static_cast<Mark>(marks[static_cast<size_t>(row) * frames + frame]);
  }
  bool dropped(int frame) const {
    return frame >= 0 && frame < static_cast<int>(dropped_frames.size()) && dropped_frames[frame] != 0;
  }
  QString note(int frame) const {
    return frame >= 0 && frame < static_cast<int>(frame_notes.size()) ? frame_notes[frame] : QString();
  }
};

using LabelMarksPtr = std::shared_ptr<const LabelMarks>;

}  // namespace autoqvis::widgets
