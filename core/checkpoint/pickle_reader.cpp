#include "core/checkpoint/pickle_reader.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/checkpoint/pickle_globals.h"
#include "core/checkpoint/pickle_opcodes.h"
#include "core/checkpoint/pickle_tensor.h"
#include "core/util/error.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the .pth reader reinterprets storage bytes in place; torch.save writes them little-endian"
#endif

namespace autoqvis {
namespace {


// Real checkpoints nest a handful of levels; the limit keeps the recursive destruction of a hostile,
// deeply nested tree far from the end of the stack.
constexpr int kMaxDepth = 256;
constexpr size_t kMaxGlobalLineLength = 512;

using namespace pickle_detail;

class Decoder {
 public:
  Decoder(std::string_view data, const StorageBytesLoader& load_storage)
      : data_(data), load_storage_(load_storage) {}

  PickleValue run() {
    while (pos_ < data_.size()) {
      op_pos_ = pos_;
      op_ = readByte();
      if (op_ == kStop) return pop();
      step();
    }
    fail("unexpected end of the pickle (no STOP opcode; the file is truncated)");
  }

 private:
  // Bookkeeping per container while decoding. A container is frozen once it is stored in another one,
  // so the value graph is built bottom-up: it can have no cycles and its depth is known exactly.
  struct NodeState {
    int depth = 1;
    bool frozen = false;
    std::unordered_map<std::string, size_t> key_index;  // dicts: canonical key -> position
  };

  void step();
  bool scalarStep();

  [[noreturn]] void fail(const std::string& message, const std::string& key = "data.pkl") const {
    char where[64];
    std::snprintf(where, sizeof(where), " (opcode 0x%02x at byte %zu)", op_, op_pos_);
    ErrorContext context;
    context.key = key;
    throw Error(message + where, context);
  }

  // --- input ---
  uint8_t readByte() { return static_cast<uint8_t>(readBytes(1)[0]); }

  std::string_view readBytes(uint64_t n) {
    if (n > data_.size() - pos_) {
      fail("truncated pickle: an argument of " + std::to_string(n) + " bytes exceeds the " +
           std::to_string(data_.size() - pos_) + " bytes left");
    }
    std::string_view out = data_.substr(pos_, n);
    pos_ += n;
    return out;
  }

  uint64_t readUnsigned(int n) {
    std::string_view bytes = readBytes(n);
    uint64_t value = 0;
    for (int i = n - 1; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(bytes[i]);
    return value;
  }

  // Little-endian two's complement of `n` bytes (LONG1 / LONG4).
  int64_t readLong(uint64_t n) {
    if (n > 8) fail("integer of " + std::to_string(n) + " bytes does not fit in 64 bits");
    if (n == 0) return 0;
    uint64_t value = readUnsigned(static_cast<int>(n));
    if (n < 8 && (value >> (8 * n - 1)) != 0) value |= ~uint64_t{0} << (8 * n);
    return static_cast<int64_t>(value);
  }

  double readBigEndianDouble() {
    std::string_view bytes = readBytes(8);
    uint64_t bits = 0;
    for (char c : bytes) bits = (bits << 8) | static_cast<uint8_t>(c);
    double value;
    std::memcpy(&value, &bits, sizeof(value));
    return value;
  }

  std::string readLine() {
    const size_t end = data_.find('\n', pos_);
    if (end == std::string_view::npos || end - pos_ > kMaxGlobalLineLength) fail("malformed GLOBAL name");
    std::string line(data_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return line;
  }

  // --- stack ---
  size_t markBase() const { return marks_.empty() ? 0 : marks_.back(); }

  void push(PickleValue value) { stack_.push_back(std::move(value)); }

  PickleValue pop() {
    if (stack_.size() <= markBase()) fail("pickle stack underflow");
    PickleValue value = std::move(stack_.back());
    stack_.pop_back();
    return value;
  }

  PickleValue& top() {
    if (stack_.size() <= markBase()) fail("pickle stack underflow");
    return stack_.back();
  }

  PickleValue::Items popToMark() {
    if (marks_.empty()) fail("pickle stack underflow: no MARK");
    const size_t mark = marks_.back();
    marks_.pop_back();
    PickleValue::Items items(std::make_move_iterator(stack_.begin() + static_cast<std::ptrdiff_t>(mark)),
                             std::make_move_iterator(stack_.end()));
    stack_.resize(mark);
    return items;
  }

  // --- memo ---
  void memoPut(uint64_t index) { memo_[index] = top(); }

  void memoGet(uint64_t index) {
    auto it = memo_.find(index);
    if (it == memo_.end()) fail("memo entry " + std::to_string(index) + " is read before it was written");
    push(it->second);
  }

  // --- containers ---
  PickleValue registerContainer(PickleValue container) {
    nodes_.emplace(container.identity(), NodeState{});
    containers_.push_back(container);
    return container;
  }

  NodeState& state(const PickleValue& container) {
    auto it = nodes_.find(container.identity());
    if (it == nodes_.end()) fail("internal: unregistered container");
    return it->second;
  }

  // Records that `child` is now stored inside `parent` (freezing the child first, so a container stored
  // into itself is caught as a modification of a frozen one).
  void adopt(const PickleValue& parent, const PickleValue& child) {
    int child_depth = 0;
    if (child.isContainer()) {
      NodeState& child_state = state(child);
      child_state.frozen = true;
      child_depth = child_state.depth;
    }
    NodeState& parent_state = state(parent);
    if (parent_state.frozen) {
      fail("a " + parent.typeName() + " is modified after being stored in another container " +
           "(recursive structures are not supported)");
    }
    parent_state.depth = std::max(parent_state.depth, child_depth + 1);
    if (parent_state.depth > kMaxDepth) fail("containers nested deeper than " + std::to_string(kMaxDepth));
  }

  PickleValue makeTuple(PickleValue::Items items) {
    PickleValue tuple = registerContainer(PickleValue::tuple({}));
    for (const PickleValue& item : items) adopt(tuple, item);
    tuple.mutableItems() = std::move(items);
    return tuple;
  }

  void pushTupleOf(size_t n) {
    if (stack_.size() < markBase() + n) fail("pickle stack underflow");
    PickleValue::Items items(std::make_move_iterator(stack_.end() - static_cast<std::ptrdiff_t>(n)),
                             std::make_move_iterator(stack_.end()));
    stack_.resize(stack_.size() - n);
    push(makeTuple(std::move(items)));
  }

  void appendItems(PickleValue::Items items) {
    PickleValue& list = top();
    if (list.kind() != PickleValue::Kind::List) fail("APPEND to a " + list.typeName() + ", not a list");
    for (PickleValue& item : items) {
      adopt(list, item);
      list.mutableItems().push_back(std::move(item));
    }
  }

  void setItems(PickleValue::Items pairs) {
    if (pairs.size() % 2 != 0) fail("SETITEMS with an odd number of keys and values");
    PickleValue& dict = top();
    if (!dict.isDict()) fail("SETITEM on a " + dict.typeName() + ", not a dict");
    for (size_t i = 0; i < pairs.size(); i += 2) setItem(dict, std::move(pairs[i]), std::move(pairs[i + 1]));
  }

  void setItem(PickleValue& dict, PickleValue key, PickleValue value) {
    adopt(dict, key);
    adopt(dict, value);
    auto& items = dict.mutableDict().items;
    std::optional<std::string> canonical = canonicalKey(key);
    if (canonical) {
      auto& index = state(dict).key_index;
      auto [it, inserted] = index.emplace(*canonical, items.size());
      if (!inserted) {
        items[it->second].second = std::move(value);
        return;
      }
    }
    items.emplace_back(std::move(key), std::move(value));
  }

  // --- globals, calls and storages ---
  void pushGlobal(const std::string& module, const std::string& name) {
    const std::string qualified = module + "." + name;
    if (!lookupPickleGlobal(qualified)) {
      fail("refusing the Python global '" + printable(qualified) +
           "': a checkpoint may only name OrderedDict, the " +
           "torch tensor-rebuild functions and torch storage types (nothing was executed)");
    }
    push(PickleValue::global(qualified));
  }

  void reduce();
  void build();
  void persistentLoad();
  // Tensor helpers (pickle_tensor.h) report problems as Errors; add the opcode position to them.
  template <class F>
  auto withPosition(F&& f) -> decltype(f()) {
    try {
      return f();
    } catch (const Error& e) {
      fail(e.message(), e.context().key);
    }
  }

  std::string_view data_;
  size_t pos_ = 0;
  size_t op_pos_ = 0;
  uint8_t op_ = 0;
  const StorageBytesLoader& load_storage_;
  std::vector<PickleValue> stack_;
  std::vector<size_t> marks_;
  std::unordered_map<uint64_t, PickleValue> memo_;
  std::unordered_map<const void*, NodeState> nodes_;
  std::vector<PickleValue> containers_;  // keeps every container alive, so identities stay unique
  std::unordered_map<std::string, at::Tensor> storage_bytes_;
};

// Opcodes that push a scalar, a string or bytes, or carry no value (PROTO, FRAME). Returns false for
// any other opcode.
bool Decoder::scalarStep() {
  switch (op_) {
    case kProto: {
      const uint8_t protocol = readByte();
      if (protocol > 5) fail("unsupported pickle protocol " + std::to_string(protocol));
      break;
    }
    case kFrame:  // protocol 4 framing hint, no semantics
      readBytes(8);
      break;
    case kNone:
      push(PickleValue());
      break;
    case kNewTrue:
      push(PickleValue::boolean(true));
      break;
    case kNewFalse:
      push(PickleValue::boolean(false));
      break;
    case kBinInt:
      push(PickleValue::integer(static_cast<int32_t>(readUnsigned(4))));
      break;
    case kBinInt1:
      push(PickleValue::integer(readUnsigned(1)));
      break;
    case kBinInt2:
      push(PickleValue::integer(readUnsigned(2)));
      break;
    case kLong1:
      push(PickleValue::integer(readLong(readUnsigned(1))));
      break;
    case kLong4: {
      const int64_t n = static_cast<int32_t>(readUnsigned(4));
      if (n < 0) fail("negative LONG4 length");
      push(PickleValue::integer(readLong(static_cast<uint64_t>(n))));
      break;
    }
    case kBinFloat:
      push(PickleValue::real(readBigEndianDouble()));
      break;
    case kShortBinUnicode:
      push(PickleValue::string(std::string(readBytes(readUnsigned(1)))));
      break;
    case kBinUnicode:
      push(PickleValue::string(std::string(readBytes(readUnsigned(4)))));
      break;
    case kBinUnicode8:
      push(PickleValue::string(std::string(readBytes(readUnsigned(8)))));
      break;
    case kShortBinString:
      push(PickleValue::string(std::string(readBytes(readUnsigned(1)))));
      break;
    case kBinString: {
      const int64_t n = static_cast<int32_t>(readUnsigned(4));
      if (n < 0) fail("negative BINSTRING length");
      push(PickleValue::string(std::string(readBytes(static_cast<uint64_t>(n)))));
      break;
    }
    case kShortBinBytes:
      push(PickleValue::bytes(std::string(readBytes(readUnsigned(1)))));
      break;
    case kBinBytes:
      push(PickleValue::bytes(std::string(readBytes(readUnsigned(4)))));
      break;
    case kBinBytes8:
      push(PickleValue::bytes(std::string(readBytes(readUnsigned(8)))));
      break;
    default:
      return false;
  }
  return true;
}

// One opcode: containers, memo, globals and calls are handled here, values by scalarStep().
void Decoder::step() {
  if (scalarStep()) return;
  switch (op_) {
    case kMark:
      marks_.push_back(stack_.size());
      break;
    case kPop:
      if (stack_.size() > markBase()) {
        stack_.pop_back();
      } else {
        popToMark();
      }
      break;
    case kPopMark:
      popToMark();
      break;
    case kDup:
      push(top());
      break;
    case kEmptyTuple:
      push(makeTuple({}));
      break;
    case kTuple1:
      pushTupleOf(1);
      break;
    case kTuple2:
      pushTupleOf(2);
      break;
    case kTuple3:
      pushTupleOf(3);
      break;
    case kTuple:
      push(makeTuple(popToMark()));
      break;
    case kEmptyList:
      push(registerContainer(PickleValue::list()));
      break;
    case kList: {
      PickleValue::Items items = popToMark();
      push(registerContainer(PickleValue::list()));
      appendItems(std::move(items));
      break;
    }
    case kAppend: {
      PickleValue item = pop();
      PickleValue::Items items;
      items.push_back(std::move(item));
      appendItems(std::move(items));
      break;
    }
    case kAppends:
      appendItems(popToMark());
      break;
    case kEmptyDict:
      push(registerContainer(PickleValue::emptyDict()));
      break;
    case kDict: {
      PickleValue::Items pairs = popToMark();
      push(registerContainer(PickleValue::emptyDict()));
      setItems(std::move(pairs));
      break;
    }
    case kSetItem: {
      PickleValue value = pop();
      PickleValue key = pop();
      PickleValue::Items pair;
      pair.push_back(std::move(key));
      pair.push_back(std::move(value));
      setItems(std::move(pair));
      break;
    }
    case kSetItems:
      setItems(popToMark());
      break;
    case kBinPut:
      memoPut(readUnsigned(1));
      break;
    case kLongBinPut:
      memoPut(readUnsigned(4));
      break;
    case kMemoize:
      memoPut(memo_.size());
      break;
    case kBinGet:
      memoGet(readUnsigned(1));
      break;
    case kLongBinGet:
      memoGet(readUnsigned(4));
      break;
    case kGlobal: {
      const std::string module = readLine();
      const std::string name = readLine();
      pushGlobal(module, name);
      break;
    }
    case kStackGlobal: {
      PickleValue name = pop();
      PickleValue module = pop();
      if (!name.isString() || !module.isString()) fail("STACK_GLOBAL needs two strings");
      pushGlobal(module.toString(), name.toString());
      break;
    }
    case kReduce:
      reduce();
      break;
    case kBuild:
      build();
      break;
    case kBinPersId:
      persistentLoad();
      break;
    default: {
      const char* name = unsupportedOpcodeName(op_);
      fail(name ? std::string("unsupported pickle opcode ") + name + " (not used by torch.save for tensors)"
                : std::string("unknown pickle opcode (corrupt data.pkl)"));
    }
  }
}

void Decoder::reduce() {
  PickleValue args = pop();
  PickleValue callable = pop();
  if (callable.kind() != PickleValue::Kind::Global) fail("REDUCE calls a " + callable.typeName());
  if (args.kind() != PickleValue::Kind::Tuple) fail("REDUCE arguments are a " + args.typeName());
  const std::string& name = callable.toString();
  const PickleValue::Items& a = args.items();
  const std::optional<PickleGlobal> global = lookupPickleGlobal(name);
  if (!global) fail("'" + name + "' is not whitelisted");
  switch (global->callable) {
    case PickleCallable::kOrderedDict:
      if (!a.empty()) fail("collections.OrderedDict called with arguments");
      push(registerContainer(PickleValue::emptyDict("collections.OrderedDict")));
      return;
    case PickleCallable::kRebuildTensorV2:
      if (a.size() != 6 && a.size() != 7) fail(name + " expects 6 or 7 arguments");
      push(PickleValue::tensor(withPosition([&] { return rebuildTensor(a); })));
      return;
    case PickleCallable::kRebuildTensor:
      if (a.size() != 4) fail(name + " expects 4 arguments");
      push(PickleValue::tensor(withPosition([&] { return rebuildTensor(a); })));
      return;
    case PickleCallable::kRebuildParameter:
    case PickleCallable::kRebuildParameterWithState: {
      const size_t expected = global->callable == PickleCallable::kRebuildParameter ? 3 : 4;
      if (a.size() != expected || !a[0].isTensor()) {
        fail(name + " expects a tensor and " + std::to_string(expected - 1) + " more arguments");
      }
      push(a[0]);  // a Parameter is its data here; requires_grad and hooks are dropped
      return;
    }
    case PickleCallable::kNotCallable:
      break;
  }
  fail("'" + name + "' cannot be called");
}

// BUILD sets instance attributes; in torch checkpoints only on a state-dict OrderedDict (`_metadata`).
void Decoder::build() {
  PickleValue state_value = pop();
  PickleValue& instance = top();
  if (!instance.isDict() || instance.dict().class_name != "collections.OrderedDict") {
    fail("BUILD on a " + instance.typeName() + " (only OrderedDict attributes are supported)");
  }
  PickleValue attributes = state_value;
  if (state_value.kind() == PickleValue::Kind::Tuple && state_value.items().size() == 2) {
    if (!state_value.items()[1].isNone()) fail("BUILD with slot state is not supported");
    attributes = state_value.items()[0];
  }
  if (attributes.isNone()) return;
  if (!attributes.isDict()) fail("BUILD state is a " + attributes.typeName() + ", not a dict");
  for (const auto& [key, value] : attributes.dict().items) {
    if (!key.isString()) fail("attribute name is a " + key.typeName());
    adopt(instance, value);
    auto& list = instance.mutableDict().attributes;
    auto it =
        std::find_if(list.begin(), list.end(), [&](const auto& kv) { return kv.first == key.toString(); });
    if (it != list.end()) {
      it->second = value;
    } else {
      list.emplace_back(key.toString(), value);
    }
  }
}

// torch.save's persistent id: ('storage', storage_type, key, location, numel).
void Decoder::persistentLoad() {
  PickleValue pid = pop();
  if (pid.kind() != PickleValue::Kind::Tuple || pid.items().size() != 5) {
    fail("persistent id is not a 5-tuple ('storage', type, key, location, numel)");
  }
  const PickleValue::Items& p = pid.items();
  if (!p[0].isString() || p[0].toString() != "storage") fail("persistent id does not name a storage");
  if (p[1].kind() != PickleValue::Kind::Global) fail("storage type is a " + p[1].typeName());
  std::optional<PickleGlobal> type = lookupPickleGlobal(p[1].toString());
  if (!type || !type->storage_dtype) fail("'" + p[1].toString() + "' is not a storage type");
  if (!p[2].isString() || p[2].toString().empty()) fail("storage key is not a non-empty string");
  if (p[4].kind() != PickleValue::Kind::Int) fail("storage size is a " + p[4].typeName());
  // p[3] is the device the storage was saved from; everything is loaded onto the CPU.
  const std::string& key = p[2].toString();
  auto bytes = storage_bytes_.find(key);
  if (bytes == storage_bytes_.end()) bytes = storage_bytes_.emplace(key, load_storage_(key)).first;
  push(PickleValue::storage(
      withPosition([&] { return typedStorage(bytes->second, key, *type->storage_dtype, p[4].toInt()); })));
}

}  // namespace

PickleValue decodeTorchPickle(std::string_view pickle, const StorageBytesLoader& load_storage) {
  return Decoder(pickle, load_storage).run();
}

}  // namespace autoqvis
