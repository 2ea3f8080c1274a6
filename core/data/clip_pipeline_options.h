// The data pipeline's settings gathered from the run configuration: TrainOptions holds the paper's sizes
// and ranges (crop, short sides, jitter amplitudes, copy-paste ratios, batch size, source mix), and
// AugmentationOptions the rest (per-clip vs per-frame draws, rotation centre, copy-paste fidelity, loader).
#pragma once

#include <cstdint>

#include "core/config/augmentation_options.h"
#include "core/config/train_options.h"
#include "core/data/clip_loader.h"
#include "core/data/image_cut2video.h"
#include "core/data/training_sources.h"

namespace autoqvis {

struct ClipPipelineOptions {
  ClipMapperOptions mapper;
  CopyPasteOptions copy_paste;
  ClipLoaderOptions loader;
};

/// `seed` is the run's seed (RuntimeOptions::seed). first_source_prob is train.pseudo_label_prob, so the
/// pseudo-label source must be the loader's source 0.
ClipPipelineOptions clipPipelineOptions(const TrainOptions& train, const AugmentationOptions& augmentation,
                                        uint64_t seed);

}  // namespace autoqvis
