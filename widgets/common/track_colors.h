// Stable, well-separated colours for instance tracks: a track keeps its colour across frames, videos
// and sessions because the colour depends only on the track's key (its id), never on its position in
// a list. Qt-free so that exports and tests can share it.
#pragma once

#include <cstdint>

namespace autoqvis::widgets {

struct TrackRgb {
  uint8_t r = 0;
  uint8_t g = 0;
  uint8_t b = 0;
};

/// The colour of the track with this key. Consecutive keys get hues far apart (golden-angle steps),
/// bright enough to read over dark footage when blended at half opacity.
TrackRgb trackColor(int64_t key);

}  // namespace autoqvis::widgets
