// Checkpoints of a training run, under <workdir>/checkpoints/:
//   model_<iteration>.pth   the weights in detectron2's format (loadable by the official code as well),
//   state_<iteration>.pt    what an exact resume needs besides the weights: optimiser moments, iteration,
//                           data-loader position, RNG state, loss-scaler state, skipped-step count,
//   last_checkpoint         the iteration of the newest complete pair (written last, atomically),
// so a run stopped at any moment resumes from the last complete checkpoint.
#pragma once

#include <torch/optim/adamw.h>

#include <cstdint>
#include <filesystem>
#include <optional>

#include "core/config/model_options.h"
#include "core/data/clip_loader.h"
#include "core/model/video_mask_former.h"
#include "core/train/grad_scaler.h"

namespace autoqvis {

struct TrainingState {
  int64_t iteration = 0;  ///< iterations completed
  ClipLoaderState loader;
  GradScalerState scaler;
  int64_t skipped_steps = 0;
  torch::Tensor cpu_rng;  ///< the default CPU generator's state (criterion point sampling, dropout)
};

/// Writes weights, state and then last_checkpoint. Returns the weights file.
std::filesystem::path saveTrainingCheckpoint(const std::filesystem::path& workdir, VideoMaskFormer& model,
                                             const ModelOptions& options, const torch::optim::AdamW& optimizer,
                                             const TrainingState& state);

/// The newest complete checkpoint's iteration, if any.
std::optional<int64_t> lastCheckpoint(const std::filesystem::path& workdir);

/// Loads the checkpoint of `iteration` into model and optimiser; returns the rest of the state.
TrainingState loadTrainingCheckpoint(const std::filesystem::path& workdir, int64_t iteration, VideoMaskFormer& model,
                                     torch::optim::AdamW& optimizer);

}  // namespace autoqvis
