// Reads PyTorch `torch.save` files (the zip format of PyTorch >= 1.6, e.g. detectron2 / VideoCutLER /
// AutoQ-VIS `.pth` checkpoints) into a value tree, safely: the pickle is interpreted, never executed.
#pragma once

#include <filesystem>

#include "core/checkpoint/pickle_value.h"

namespace autoqvis {

/// Reads the whole object saved in `path` (tensors land on the CPU). Throws Error naming the file for a
/// missing, truncated or corrupt archive, a missing data.pkl or storage record, an unsupported pickle
/// construct or a Python global outside the whitelist. The legacy pre-1.6 format is refused.
PickleValue readPth(const std::filesystem::path& path);

}  // namespace autoqvis
