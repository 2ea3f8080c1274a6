#include "core/checkpoint/pickle_tensor.h"

#include <ATen/ATen.h>

#include <string>
#include <vector>

#include "core/util/error.h"

namespace autoqvis {
namespace {

constexpr size_t kMaxDims = 64;

[[noreturn]] void fail(const std::string& message, const std::string& key = "data.pkl") {
  ErrorContext context;
  context.key = key;
  throw Error(message, context);
}

std::vector<int64_t> intTuple(const PickleValue& value, const char* what) {
  if (value.kind() != PickleValue::Kind::Tuple && value.kind() != PickleValue::Kind::List) {
    fail(std::string("tensor ") + what + " is a " + value.typeName());
  }
  std::vector<int64_t> out;
  for (const PickleValue& item : value.items()) {
    if (item.kind() != PickleValue::Kind::Int || item.toInt() < 0) {
      fail(std::string("tensor ") + what + " holds a negative or non-integer entry");
    }
    out.push_back(item.toInt());
  }
  if (out.size() > kMaxDims) fail(std::string("tensor ") + what + " has too many dimensions");
  return out;
}

}  // namespace

at::Tensor typedStorage(const at::Tensor& bytes, const std::string& key, c10::ScalarType dtype, int64_t numel) {
  const std::string record = "data/" + key;
  const int64_t item_size = static_cast<int64_t>(c10::elementSize(dtype));
  int64_t nbytes = 0;
  if (numel < 0 || __builtin_mul_overflow(numel, item_size, &nbytes)) {
    fail("invalid storage size " + std::to_string(numel), record);
  }
  if (bytes.numel() < nbytes) {
    fail("storage record holds " + std::to_string(bytes.numel()) + " bytes, but the checkpoint declares " +
             std::to_string(numel) + " elements of " + c10::toString(dtype) + " (" + std::to_string(nbytes) +
             " bytes)",
         record);
  }
  if (numel == 0) return at::empty({0}, at::TensorOptions().dtype(dtype));
  at::Tensor typed = bytes.narrow(0, 0, nbytes).view(dtype);
  // Bytes other than 0 and 1 in a bool tensor are undefined behaviour for every kernel that reads them.
  if (dtype == c10::kBool && bytes.narrow(0, 0, nbytes).gt(1).any().item<bool>()) {
    fail("bool storage holds values other than 0 and 1", record);
  }
  return typed;
}

// The tensor is a strided view of its storage; check that every element it addresses lies inside the
// storage before asking LibTorch for the view, since as_strided trusts its arguments.
at::Tensor rebuildTensor(const PickleValue::Items& args) {
  if (args[0].kind() != PickleValue::Kind::Storage) fail("tensor rebuilt from a " + args[0].typeName());
  if (args[1].kind() != PickleValue::Kind::Int || args[1].toInt() < 0) fail("invalid tensor storage offset");
  const at::Tensor& storage = args[0].toTensor();
  const int64_t offset = args[1].toInt();
  const std::vector<int64_t> size = intTuple(args[2], "size");
  const std::vector<int64_t> stride = intTuple(args[3], "stride");
  if (size.size() != stride.size()) fail("tensor size and stride have different lengths");
  const int64_t available = storage.numel();
  bool empty = false;
  int64_t last = offset;  // index of the last addressed element
  for (size_t d = 0; d < size.size(); ++d) {
    int64_t span = 0;
    if (size[d] == 0) empty = true;
    if (size[d] > 0 && (__builtin_mul_overflow(size[d] - 1, stride[d], &span) ||
                        __builtin_add_overflow(last, span, &last))) {
      fail("tensor size/stride overflow");
    }
  }
  if (empty) {
    if (offset > available) fail("tensor storage offset lies past the end of its storage");
    return at::empty(size, storage.options());
  }
  if (last >= available) {
    fail("tensor of size/stride/offset addresses element " + std::to_string(last) + " of a storage with " +
         std::to_string(available) + " elements");
  }
  return storage.as_strided(size, stride, offset).contiguous();
}

}  // namespace autoqvis
