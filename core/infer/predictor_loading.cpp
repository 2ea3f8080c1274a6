#include "core/infer/predictor_loading.h"

#include "core/model/model_weights.h"
#include "core/util/log.h"
#include "core/util/torch_device.h"

namespace autoqvis {

LoadedModel loadModelForInference(const std::filesystem::path& weights, const Config& config) {
  weightsFormatOf(weights);  // an unknown extension fails before any work
  LoadedModel loaded;
  // A native weights file carries the options it was trained with; a .pth needs the config's.
  loaded.options = readWeightsModelOptions(weights).value_or(config.model);
  loaded.model = VideoMaskFormer(loaded.options);
  const WeightsReport report = loadModelWeights(loaded.model, weights);
  loaded.warnings = report.warnings;
  for (const std::string& warning : report.warnings) logWarning(warning);
  loaded.tensors_loaded = report.state.loaded.size();
  loaded.device = selectDevice(config.runtime.device);
  loaded.model->to(loaded.device);
  loaded.model->eval();
  logInfo("model: " + std::to_string(loaded.tensors_loaded) + " tensors from " + weights.string() + ", on " +
          loaded.device.str());
  return loaded;
}

VideoPredictor makePredictor(const LoadedModel& loaded, PredictorOptions options) {
  return VideoPredictor(loaded.model, loaded.options, options);
}

}  // namespace autoqvis
