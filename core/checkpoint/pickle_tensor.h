// Tensors out of torch.save storages, for the pickle decoder: a storage record's bytes viewed as its
// dtype, and _rebuild_tensor_v2's strided view, each checked against the bytes really there (as_strided
// and view trust their arguments). Errors carry the record ("data/<key>") or "data.pkl" as their key.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>

#include <string>

#include "core/checkpoint/pickle_value.h"

namespace autoqvis {

/// The first `numel` elements of `bytes` (a storage record, 1-D uint8) viewed as `dtype`.
at::Tensor typedStorage(const at::Tensor& bytes, const std::string& key, c10::ScalarType dtype, int64_t numel);
/// _rebuild_tensor(_v2)'s (storage, offset, size, stride, ...) as a contiguous tensor.
at::Tensor rebuildTensor(const PickleValue::Items& args);

}  // namespace autoqvis
