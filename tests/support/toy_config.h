// The small toy world and demo-stage1 model that the controller, job-runner and training tests share:
// CPU, one loader thread, no periodic checkpoints, a world of a few videos under `data_root`.
#pragma once

#include <filesystem>

#include "core/config/config.h"
#include "core/config/presets.h"

namespace autoqvis::test {

inline Config tinyStage1Config(const std::filesystem::path& data_root, int val_videos = 3) {
  Config config = parseConfig(presetYaml("demo-stage1"), "demo-stage1");
  config.data.root = data_root.string();
  config.runtime.device = "cpu";
  config.initial_training.checkpoint_period = 0;
  config.augmentation.loader_workers = 1;
  config.toy_world.num_unlabeled_videos = 1;
  config.toy_world.num_val_videos = val_videos;
  return config;
}

}  // namespace autoqvis::test
