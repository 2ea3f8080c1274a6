// The model state dict inside a checkpoint: parameter names with their tensors, in file order. Finds it
// in both layouts our weights come in: detectron2's {"model": state_dict, ...} and a bare state dict.
#pragma once

#include <ATen/core/Tensor.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/checkpoint/pickle_value.h"

namespace autoqvis {

/// Parameter and buffer tensors by their reference names ("backbone.res2.0.conv1.weight"), in order.
using NamedTensors = std::vector<std::pair<std::string, at::Tensor>>;

/// The state dict of a decoded checkpoint: the top-level "model" entry if there is one (detectron2,
/// VideoCutLER, AutoQ-VIS), otherwise the top-level dict itself when every value is a tensor. Keys keep
/// their order. Throws Error (key = the offending entry) if neither layout fits or an entry is no tensor.
NamedTensors stateDictFromCheckpoint(const PickleValue& checkpoint);

/// readPth + stateDictFromCheckpoint, with errors naming the file.
NamedTensors readPthStateDict(const std::filesystem::path& path);

}  // namespace autoqvis
