// Model weights on disk, in two formats:
//  - detectron2 .pth ({"model": {name: tensor}, "iteration": N}, a torch.save zip): what VideoCutLER and
//    AutoQ-VIS publish and what the official Python code loads. Read by our own safe pickle reader.
//  - native .pt (a LibTorch archive): the parameters plus the model options they were trained with, so a
//    model can be rebuilt from the file alone and loaded with LibTorch's own reader.
// Loading is strict about what would silently give a wrong model (missing or mis-shaped parameters, a
// checkpoint of another architecture) and lenient where the official code is: a checkpoint without the
// quality head (VideoCutLER) loads with the head freshly initialised; extra keys are reported.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/config/model_options.h"
#include "core/model/state_dict_loading.h"
#include "core/model/video_mask_former.h"

namespace autoqvis {

enum class WeightsFormat { Detectron2Pth, Native };

/// `.pth` is detectron2's format, `.pt` the native one; anything else is an Error naming the file.
WeightsFormat weightsFormatOf(const std::filesystem::path& path);

struct WeightsReport {
  WeightsFormat format = WeightsFormat::Detectron2Pth;
  StateDictReport state;
  bool quality_head_fresh = false;    ///< the file had no quality head; it keeps its initialisation
  std::vector<std::string> warnings;  ///< human-readable, for the log
};

/// Loads weights into `model`. Throws Error naming the file and the offending keys when parameters are
/// missing (other than the whole quality head) or shapes differ.
WeightsReport loadModelWeights(VideoMaskFormer& model, const std::filesystem::path& path);

/// The model options stored in a native file (nullopt for a .pth, which has none).
std::optional<ModelOptions> readWeightsModelOptions(const std::filesystem::path& path);

/// Writes the model's parameters and buffers atomically in the format the extension names.
void saveModelWeights(VideoMaskFormer& model, const ModelOptions& options, const std::filesystem::path& path,
                      int64_t iteration = 0);

}  // namespace autoqvis
