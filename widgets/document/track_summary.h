// What the labels table and the timeline show about one track: where it has masks (as runs of
// frames), how many frames, its mean area, its score and the means of its per-frame values
// (predicted IoU, quality). Computed once per video from the compressed masks; Qt-free.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/dataset/ytvis_json.h"

namespace autoqvis::widgets {

/// Frames first..last (inclusive) where a track has a mask without a gap.
struct FrameSpan {
  int first = 0;
  int last = 0;
  bool operator==(const FrameSpan& other) const { return first == other.first && last == other.last; }
};

struct TrackSummary {
  int64_t key = 0;               ///< the id shown to the user and the colour key (see trackColor)
  std::optional<double> score;   ///< results only
  int frames_present = 0;        ///< frames with a non-empty mask entry
  double mean_area = 0;          ///< mean pixels over the frames present
  std::vector<FrameSpan> spans;  ///< runs of frames present, in order
  /// Mean of each per-frame value over the frames where it is given, e.g. {"quality": 0.71}.
  std::map<std::string, double> mean_values;
};

TrackSummary summarizeTrack(const YtvisTrack& track, int64_t key);

/// The per-frame value names of these tracks, "pred_iou" and "quality" first, then the rest by name.
std::vector<std::string> frameValueNames(const std::vector<const YtvisTrack*>& tracks);

/// The value of `name` at `frame`, if the track has it there.
std::optional<double> frameValue(const YtvisTrack& track, const std::string& name, int frame);

}  // namespace autoqvis::widgets
