// The recipe "weights file -> model ready for inference", written once for the CLI, the demo, the
// rounds and the GUI: the model options stored in a native .pt (else the config's), the tensors
// loaded strictly where a wrong model would result, warnings logged, the model on the configured device.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/infer/video_predictor.h"

namespace autoqvis {

struct LoadedModel {
  VideoMaskFormer model{nullptr};
  ModelOptions options;
  c10::Device device{c10::kCPU};
  std::vector<std::string> warnings;
  size_t tensors_loaded = 0;
};

/// Builds the model the weights describe and loads them onto `config.runtime.device`.
LoadedModel loadModelForInference(const std::filesystem::path& weights, const Config& config);

/// A predictor over the loaded model (evaluation mode).
VideoPredictor makePredictor(const LoadedModel& loaded, PredictorOptions options = {});

}  // namespace autoqvis
