#include "core/checkpoint/pickle_globals.h"

#include <unordered_map>

namespace autoqvis {

std::optional<PickleGlobal> lookupPickleGlobal(const std::string& qualified_name) {
  using C = PickleCallable;
  auto storage = [](c10::ScalarType dtype) { return PickleGlobal{C::kNotCallable, dtype}; };
  // torch.save names storages by their legacy typed classes (torch.FloatStorage, ...) in every version
  // from 1.6 to 2.x, also for CUDA tensors; UntypedStorage only appears when a bare untyped storage is
  // saved (its class lives in torch.storage). Complex, quantized and float8 storages are not needed for
  // model weights and stay refused.
  static const std::unordered_map<std::string, PickleGlobal> table = {
      {"collections.OrderedDict", {C::kOrderedDict, std::nullopt}},
      {"torch._utils._rebuild_tensor_v2", {C::kRebuildTensorV2, std::nullopt}},
      {"torch._utils._rebuild_tensor", {C::kRebuildTensor, std::nullopt}},
      {"torch._utils._rebuild_parameter", {C::kRebuildParameter, std::nullopt}},
      {"torch._utils._rebuild_parameter_with_state", {C::kRebuildParameterWithState, std::nullopt}},
      {"torch.FloatStorage", storage(c10::kFloat)},
      {"torch.DoubleStorage", storage(c10::kDouble)},
      {"torch.HalfStorage", storage(c10::kHalf)},
      {"torch.BFloat16Storage", storage(c10::kBFloat16)},
      {"torch.LongStorage", storage(c10::kLong)},
      {"torch.IntStorage", storage(c10::kInt)},
      {"torch.ShortStorage", storage(c10::kShort)},
      {"torch.CharStorage", storage(c10::kChar)},
      {"torch.ByteStorage", storage(c10::kByte)},
      {"torch.BoolStorage", storage(c10::kBool)},
      {"torch.UntypedStorage", storage(c10::kByte)},
      {"torch.storage.UntypedStorage", storage(c10::kByte)},
  };
  auto it = table.find(qualified_name);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

}  // namespace autoqvis
