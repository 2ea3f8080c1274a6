#include "core/model/model_weights.h"

#include <torch/torch.h>

#include "core/config/config.h"
#include "core/checkpoint/pth_state_dict.h"
#include "core/checkpoint/pth_writer.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace autoqvis {
namespace fs = std::filesystem;
namespace {

constexpr const char* kNativeFormatTag = "autoqvis-weights/1";
constexpr const char* kQualityHeadPrefix = "sem_seg_head.predictor.maskiou_feature_extractor.";

bool isQualityHeadKey(const std::string& key) { return key.rfind(kQualityHeadPrefix, 0) == 0; }

NamedTensors modelTensors(VideoMaskFormer& model) {
  NamedTensors tensors;
  for (const auto& p : model->named_parameters()) tensors.emplace_back(p.key(), p.value().detach().cpu());
  for (const auto& b : model->named_buffers()) tensors.emplace_back(b.key(), b.value().detach().cpu());
  return tensors;
}

std::string joined(const std::vector<std::string>& names, size_t limit = 8) {
  std::string text;
  for (size_t i = 0; i < names.size() && i < limit; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > limit) text += ", ... (" + std::to_string(names.size()) + " in all)";
  return text;
}

// Opens a native file and checks its format tag; anything else is an Error naming the file.
void openNative(const fs::path& path, torch::serialize::InputArchive& archive) {
  try {
    archive.load_from(path.string());
  } catch (const c10::Error& e) {
    throw Error("not a readable LibTorch archive: " + std::string(e.what_without_backtrace()), inFile(path.string()));
  }
  c10::IValue tag;
  if (!archive.try_read("autoqvis_format", tag) || !tag.isString() || tag.toStringRef() != kNativeFormatTag) {
    throw Error(std::string("not an AutoQ-VIS weights file (no \"autoqvis_format\": \"") + kNativeFormatTag + "\")",
                inFile(path.string()));
  }
}

NamedTensors readNative(const fs::path& path) {
  torch::serialize::InputArchive archive;
  openNative(path, archive);
  c10::IValue names;
  archive.read("tensor_names", names);
  NamedTensors tensors;
  const auto list = names.toList();
  for (size_t i = 0; i < list.size(); ++i) {
    torch::Tensor t;
    archive.read("t" + std::to_string(i), t);
    tensors.emplace_back(list.get(i).toStringRef(), t);
  }
  return tensors;
}

void writeNative(VideoMaskFormer& model, const ModelOptions& options, const fs::path& path, int64_t iteration) {
  torch::serialize::OutputArchive archive;
  archive.write("autoqvis_format", c10::IValue(std::string(kNativeFormatTag)));
  Config config;
  config.model = options;
  archive.write("model_config", c10::IValue(configToYaml(config)));
  archive.write("iteration", c10::IValue(iteration));
  // Tensors go under index keys: LibTorch archive keys may not contain the dots of parameter names.
  c10::List<std::string> names;
  const NamedTensors tensors = modelTensors(model);
  for (size_t i = 0; i < tensors.size(); ++i) {
    names.push_back(tensors[i].first);
    archive.write("t" + std::to_string(i), tensors[i].second);
  }
  archive.write("tensor_names", c10::IValue(names));
  std::ostringstream bytes;
  archive.save_to(bytes);
  writeFileAtomically(path, bytes.str());
}

}  // namespace

WeightsFormat weightsFormatOf(const fs::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".pth" || ext == ".pkl") return WeightsFormat::Detectron2Pth;
  if (ext == ".pt") return WeightsFormat::Native;
  throw Error("unknown weights format \"" + ext + "\": use .pth (detectron2) or .pt (native)", inFile(path.string()));
}

WeightsReport loadModelWeights(VideoMaskFormer& model, const fs::path& path) {
  if (!fs::exists(path)) throw Error("weights file not found", inFile(path.string()));
  WeightsReport report;
  report.format = weightsFormatOf(path);
  const NamedTensors state = report.format == WeightsFormat::Native ? readNative(path) : readPthStateDict(path);
  report.state = loadStateDict(*model, state);
  const auto& missing = report.state.missing;
  const bool only_head_missing =
      !missing.empty() && std::all_of(missing.begin(), missing.end(), isQualityHeadKey);
  if (!report.state.mismatched.empty()) {
    throw Error("weights do not fit the model (" + joined(report.state.mismatched) +
                "): check the model options against the checkpoint", inFile(path.string()));
  }
  if (!missing.empty() && !only_head_missing) {
    std::vector<std::string> not_head;
    for (const auto& key : missing) {
      if (!isQualityHeadKey(key)) not_head.push_back(key);
    }
    throw Error("weights lack " + std::to_string(not_head.size()) + " model parameters: " + joined(not_head), inFile(path.string()));
  }
  if (only_head_missing) {
    report.quality_head_fresh = true;
    report.warnings.push_back("no quality head in " + path.string() +
                              " (a VideoCutLER checkpoint?): the head starts from its initialisation");
  }
  std::vector<std::string> unexpected;
  for (const auto& key : report.state.unexpected) {
    if (key.rfind("criterion.", 0) != 0) unexpected.push_back(key);  // the loss's class weights are expected
  }
  if (!unexpected.empty()) {
    report.warnings.push_back(std::to_string(unexpected.size()) + " tensors in " + path.string() +
                              " are not part of the model and were ignored: " + joined(unexpected));
  }
  return report;
}

std::optional<ModelOptions> readWeightsModelOptions(const fs::path& path) {
  if (weightsFormatOf(path) != WeightsFormat::Native) return std::nullopt;
  if (!fs::exists(path)) throw Error("weights file not found", inFile(path.string()));
  torch::serialize::InputArchive archive;
  openNative(path, archive);
  c10::IValue yaml;
  if (!archive.try_read("model_config", yaml)) return std::nullopt;
  return parseConfig(yaml.toStringRef(), path.string() + " (model_config)").model;
}

void saveModelWeights(VideoMaskFormer& model, const ModelOptions& options, const fs::path& path, int64_t iteration) {
  if (weightsFormatOf(path) == WeightsFormat::Native) {
    writeNative(model, options, path, iteration);
  } else {
    savePth(path, modelTensors(model), iteration);
  }
}

}  // namespace autoqvis
