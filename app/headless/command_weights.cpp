// `convert-weights`: loads model weights (detectron2 .pth or native .pt) into the model the config (or
// the native file) describes, reports what fitted, and writes them in the format of --out's extension:
// .pth for the official Python code, .pt for our native format (which carries the model options).
#include <iostream>

#include "app/headless/command.h"
#include "core/model/model_weights.h"
#include "core/util/log.h"

namespace autoqvis::cli {

int runConvertWeights(const Arguments& args, Environment& env) {
  const Config config = loadConfigFromArguments(args);
  const std::filesystem::path in = args.required("weights");
  const std::filesystem::path out = args.required("out");
  weightsFormatOf(out);  // an unknown output extension fails before reading anything
  const ModelOptions options = readWeightsModelOptions(in).value_or(config.model);
  VideoMaskFormer model(options);
  const WeightsReport report = loadModelWeights(model, in);
  for (const std::string& warning : report.warnings) logWarning(warning);
  saveModelWeights(model, options, out);
  std::cout << "read " << report.state.loaded.size() << " tensors from " << in.string() << "; wrote "
            << model->parameters().size() + model->buffers().size() << " to " << out.string()
            << (weightsFormatOf(out) == WeightsFormat::Native ? " (native)" : " (detectron2 .pth)") << "\n";
  return 0;
}

}  // namespace autoqvis::cli
