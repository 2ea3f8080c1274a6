// The recipe "config + stage + stage folder -> TrainerSetup", written once for the `train` command, the
// demo, the round controller, the GUI and the tests. Stage 1 (initial) trains on the synthetic videos with
// the initial_training options; a round trains on its pseudo-labels (the loader's source 0, drawn with
// round_training.pseudo_label_prob) mixed with the synthetic videos, with the round_training options.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/train/trainer.h"

namespace autoqvis {

enum class TrainingStage { Initial, Round };

/// "initial" or "round"; throws Error for anything else.
TrainingStage parseTrainingStage(const std::string& text);
/// The stage's training options of the config.
const TrainOptions& trainOptionsFor(const Config& config, TrainingStage stage);

/// The synthetic-video source (stills + COCO pseudo-masks of config.data) with the stage's clip mapping.
std::shared_ptr<const ClipSource> syntheticSource(const Config& config, TrainingStage stage);
/// A YouTube-VIS pseudo-label dataset whose frames are under `frames` as a training source.
std::shared_ptr<const ClipSource> pseudoLabelSource(const Config& config, const std::filesystem::path& labels,
                                                    const std::filesystem::path& frames);

/// Everything the trainer needs for this stage into `workdir`. `first_sources` come before the synthetic
/// source (a round passes its pseudo-label source). The run resumes from workdir's last checkpoint when
/// `resume` is set; `init_weights` may be empty (random initialisation).
TrainerSetup trainerSetupForStage(const Config& config, TrainingStage stage, const std::filesystem::path& workdir,
                                  std::vector<std::shared_ptr<const ClipSource>> first_sources = {},
                                  const std::filesystem::path& init_weights = {}, bool resume = false);

}  // namespace autoqvis
