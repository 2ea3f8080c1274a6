// A batch of training clips as the model and the criterion take it: every frame of every clip normalised
// and zero-padded to one size (detectron2's ImageList over all B*T frames), and one VideoTargets per clip
// with its masks pasted into that padded size (method.md §3.1).
#pragma once

#include <torch/types.h>

#include <vector>

#include "core/data/training_clip.h"
#include "core/train/video_targets.h"

namespace autoqvis {

struct TrainingInputs {
  torch::Tensor images;               ///< [B*T, 3, Hp, Wp], video-major (b*T + t)
  std::vector<VideoTargets> targets;  ///< one per clip, on the same device
  int64_t batch = 0;
  int64_t frames = 0;
};

/// All clips must have the same number of frames. Frames may differ in size.
TrainingInputs prepareTrainingInputs(const std::vector<TrainingClip>& clips, int64_t size_divisibility,
                                     const torch::Device& device);

}  // namespace autoqvis
