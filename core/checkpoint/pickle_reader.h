// The safe pickle decoder behind the .pth reader: interprets the opcode subset torch.save writes, builds
// tensors from storages, never imports or calls anything (globals outside pickle_globals.h are refused).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/checkpoint/pickle_value.h"

namespace autoqvis {

/// Supplies the raw bytes of storage record `key` (torch.save's `data/<key>`) as a 1-D uint8 CPU tensor.
/// Called at most once per key. Throws Error if there is no such record.
using StorageBytesLoader = std::function<at::Tensor(const std::string& key)>;

/// Decodes `pickle` (the bytes of a torch.save `data.pkl`, protocols 2 to 4) into a value tree. Tensors
/// come back on the CPU with the dtype of their storage, contiguous, sharing memory where the file shares
/// a storage; requires_grad, backward hooks and device locations are dropped. Throws Error (with key
/// "data.pkl" or the storage record; the caller adds the file) for malformed input, unsupported opcodes,
/// non-whitelisted globals and tensors that do not fit their storage.
PickleValue decodeTorchPickle(std::string_view pickle, const StorageBytesLoader& load_storage);

}  // namespace autoqvis
