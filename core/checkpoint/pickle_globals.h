// The whitelist of Python globals a checkpoint pickle may name: the .pth reader's security policy in one
// place. Nothing is ever imported or executed; a name only selects a built-in behaviour of the decoder.
#pragma once

#include <c10/core/ScalarType.h>

#include <optional>
#include <string>

namespace autoqvis {

/// What the decoder does when a whitelisted global is called by REDUCE.
enum class PickleCallable {
  kNotCallable,       ///< storage types: only used as data inside persistent ids
  kOrderedDict,       ///< collections.OrderedDict() -> empty ordered dict
  kRebuildTensorV2,   ///< torch._utils._rebuild_tensor_v2(storage, offset, size, stride, grad, hooks[, meta])
  kRebuildTensor,     ///< torch._utils._rebuild_tensor(storage, offset, size, stride)
  kRebuildParameter,  ///< torch._utils._rebuild_parameter(data, requires_grad, hooks)
  kRebuildParameterWithState,  ///< torch._utils._rebuild_parameter_with_state(data, grad, hooks, state)
};

struct PickleGlobal {
  PickleCallable callable = PickleCallable::kNotCallable;
  std::optional<c10::ScalarType> storage_dtype;  ///< set for torch.*Storage types
};

/// Looks up a global by "module.name"; nullopt if it is not on the whitelist.
std::optional<PickleGlobal> lookupPickleGlobal(const std::string& qualified_name);

}  // namespace autoqvis
