// Loads named tensors (a checkpoint's state dict) into a module by the reference parameter names,
// and reports what did not fit: keys the module lacks, parameters the checkpoint lacks, and shape
// mismatches, each by name. Like detectron2's non-strict checkpointer, the rest still loads.
#pragma once

#include <string>
#include <vector>

#include "core/checkpoint/pth_state_dict.h"

namespace torch::nn {
class Module;
}

namespace autoqvis {

struct StateDictReport {
  std::vector<std::string> loaded;
  std::vector<std::string> missing;      ///< in the module, not in the checkpoint (left as initialised)
  std::vector<std::string> unexpected;   ///< in the checkpoint, not in the module
  std::vector<std::string> mismatched;   ///< "name: checkpoint [a, b] vs model [c, d]"
  bool complete() const { return missing.empty() && unexpected.empty() && mismatched.empty(); }
  std::string summary() const;
};

/// Copies every checkpoint tensor whose name (after removing `prefix`, e.g. "backbone.") matches a
/// parameter or buffer of `module` with the same shape. Checkpoint keys outside `prefix` are ignored.
StateDictReport loadStateDict(torch::nn::Module& module, const NamedTensors& state, const std::string& prefix = "");

}  // namespace autoqvis
