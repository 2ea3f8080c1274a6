#include "core/data/clip_sampling.h"

#include <algorithm>
#include <string>

#include "core/util/error.h"

namespace autoqvis {

void checkClipSamplable(int video_length, const ClipSamplingOptions& options) {
  if (options.num_frames < 1) throw Error("a clip needs at least one frame (sampling_frames)");
  if (video_length < 1) throw Error("a video without frames cannot give a training clip");
  if (options.num_frames == 1) return;  // only the reference is drawn
  // The other frames come from the window without the reference; np.random.choice fails on an empty window.
  if (video_length < 2) {
    throw Error("a video of 1 frame cannot give a clip of " + std::to_string(options.num_frames) +
                " frames: the other frames are drawn near the reference and never equal it");
  }
  if (options.frame_range < 1) {
    throw Error("sampling_frame_range must be >= 1 when a clip has more than one frame");
  }
}

std::vector<int> sampleClipFrames(int video_length, const ClipSamplingOptions& options, Rng& rng) {
  checkClipSamplable(video_length, options);
  const int ref = static_cast<int>(rng.uniformInt(0, video_length - 1));
  const int start = std::max(0, ref - options.frame_range);
  const int end = std::min(video_length, ref + options.frame_range + 1);  // exclusive
  // The window [start, end) without ref has (end - start - 1) candidates; index past ref by skipping it.
  const int candidates = end - start - 1;
  std::vector<int> frames;
  frames.reserve(options.num_frames);
  for (int i = 1; i < options.num_frames; ++i) {
    int pick = start + static_cast<int>(rng.uniformInt(0, candidates - 1));
    if (pick >= ref) ++pick;
    frames.push_back(pick);
  }
  frames.push_back(ref);
  std::sort(frames.begin(), frames.end());
  if (options.shuffle) {
    for (int i = static_cast<int>(frames.size()) - 1; i > 0; --i) {
      std::swap(frames[i], frames[static_cast<size_t>(rng.uniformInt(0, i))]);
    }
  }
  return frames;
}

}  // namespace autoqvis
