// Which frames of a video make one training clip (YTVISDatasetMapper, method.md §4.2): a uniform reference
// frame plus num_frames - 1 others drawn with replacement from [ref - range, ref + range] ∩ [0, length),
// never the reference itself, then sorted.
#pragma once

#include <cstdint>
#include <vector>

#include "core/util/rng.h"

namespace autoqvis {

struct ClipSamplingOptions {
  int num_frames = 3;    ///< SAMPLING_FRAME_NUM: frames per clip (duplicates possible)
  int frame_range = 20;  ///< SAMPLING_FRAME_RANGE: max distance of the other frames from the reference
  bool shuffle = false;  ///< SAMPLING_FRAME_SHUFFLE: shuffle the sorted indices
};

/// Frame indices of one clip, sorted unless `shuffle`. Draw order: reference, then the others in turn.
/// A video of length 1 (or a range of 0) leaves no frame to draw besides the reference, which the official
/// sampler cannot handle either: it throws an Error saying so, unless num_frames is 1.
std::vector<int> sampleClipFrames(int video_length, const ClipSamplingOptions& options, Rng& rng);

/// Throws the same Error sampleClipFrames would, without drawing: lets a source reject unusable videos when
/// it is built instead of in the middle of training.
void checkClipSamplable(int video_length, const ClipSamplingOptions& options);

}  // namespace autoqvis
