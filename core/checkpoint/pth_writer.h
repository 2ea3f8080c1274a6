// Writes detectron2-style checkpoints ({"model": state_dict, "iteration": N}) in the torch.save zip
// format, so the official Python code (torch.load, detectron2's Checkpointer) loads what we train.
#pragma once

#include <cstdint>
#include <filesystem>

#include "core/checkpoint/pth_state_dict.h"

namespace autoqvis {

/// Writes `state_dict` atomically to `path` (temporary file, then rename). Names must be unique. Each
/// tensor is stored from a contiguous CPU copy with its dtype (float, double, half, bfloat16, int64, int32,
/// int16, int8, uint8, bool); other dtypes and sparse or quantized tensors throw Error. "model" is a plain
/// dict, which keeps its order in Python 3.7+ and is read by torch.load (also with weights_only=True),
/// by detectron2's Checkpointer and by LibTorch's torch::pickle_load.
void savePth(const std::filesystem::path& path, const NamedTensors& state_dict, int64_t iteration = 0);

}  // namespace autoqvis
