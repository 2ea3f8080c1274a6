// Per-video training targets, as VideoMaskFormer.prepare_targets builds them from a mapped clip
// (method.md §3.1): one entry per instance slot that is present in at least one frame, masks pasted
// into the padded input size at full resolution.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/data/training_clip.h"

namespace autoqvis {

struct VideoTargets {
  torch::Tensor labels;  ///< [K] int64: the class of the LAST frame (1 = "no object" if absent there)
  torch::Tensor ids;     ///< [K, T] int64 annotation ids, -1 where the instance is absent
  torch::Tensor masks;   ///< [K, T, H_pad, W_pad] float32 0/1, zero outside each frame's own size

  int64_t numInstances() const { return labels.defined() ? labels.size(0) : 0; }
};

/// Targets of one clip. `padded_h` x `padded_w` is the model input size after padding (the batch's
/// largest frame rounded up to the size divisibility); every frame must fit in it.
VideoTargets prepareTargets(const TrainingClip& clip, int64_t padded_h, int64_t padded_w);

/// The same from per-frame tensors: ids and classes [T, S] int64, one [S, H_t, W_t] bool mask stack per
/// frame (frames may differ in size).
VideoTargets prepareTargets(const torch::Tensor& ids, const torch::Tensor& classes,
                            const std::vector<torch::Tensor>& frame_masks, int64_t padded_h, int64_t padded_w);

/// The same from stacked tensors of equally sized frames: masks [T, S, H, W] bool.
VideoTargets prepareTargetsStacked(const torch::Tensor& ids, const torch::Tensor& classes, const torch::Tensor& masks,
                                   int64_t padded_h, int64_t padded_w);

}  // namespace autoqvis
