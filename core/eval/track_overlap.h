// Spatio-temporal overlap of two mask tracks, computed on the runs of the compressed masks (no pixel is
// ever decoded), with the exact per-frame rules of the official YouTube-VIS evaluator (iou_seq).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/dataset/rle.h"
#include "core/dataset/ytvis_json.h"

namespace autoqvis {

/// One frame's mask as its foreground intervals [bounds[2i], bounds[2i+1]) of column-major pixel
/// indices (index x*h + y, as COCO RLE). Intersections are then a merge of two sorted interval lists
/// that starts where the two masks begin to overlap, instead of a walk over every run from pixel 0.
struct FrameRuns {
  int32_t h = 0;
  int32_t w = 0;
  uint64_t area = 0;
  std::vector<uint32_t> bounds;

  size_t numIntervals() const { return bounds.size() / 2; }
};

/// A track's frames; std::nullopt where the track has no mask (JSON null).
using TrackRuns = std::vector<std::optional<FrameRuns>>;

FrameRuns toFrameRuns(const Rle& rle);
/// Decodes a compressed mask straight into intervals (one pass, no intermediate run list), with the
/// checks of rleFromString: valid characters, no negative run, runs adding up to h*w.
FrameRuns decodeFrameRuns(const CompressedRle& rle);
/// Decodes every present frame. A malformed mask raises Error naming the video, annotation and frame.
TrackRuns decodeTrackRuns(const YtvisTrack& track);

/// |a AND b| of two masks of the same size.
uint64_t intersectionArea(const FrameRuns& a, const FrameRuns& b);

/// What one frame adds to the intersection and union sums of iou_seq. Null frames are nullptr:
///  both present:  |d AND g| and |d OR g|, or 0 and 0 when the sizes differ (maskApi's rleMerge gives
///                 an empty mask for a size mismatch);
///  one present:   0 and its area;  neither: 0 and 0.
/// A present empty mask counts as present (it adds 0).
Overlap frameOverlap(const FrameRuns* d, const FrameRuns* g);

/// iou_seq: the sums over the first min(len(d), len(g)) frames, i / u, or 0 when u is 0. Crowd ground
/// truth gets no special case (unlike COCO image evaluation).
double spatioTemporalIou(const TrackRuns& d, const TrackRuns& g);

}  // namespace autoqvis
