// A value decoded from a Python pickle by the safe checkpoint reader: the plain containers and scalars
// torch.save writes (None, bool, int, float, str, bytes, tuple, list, dict/OrderedDict) plus tensors.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace autoqvis {

class PickleValue {
 public:
  enum class Kind {
    None,
    Bool,
    Int,
    Float,
    String,
    Bytes,
    Tuple,
    List,
    Dict,
    Tensor,
    Storage,  ///< a bare storage (1-D tensor); inside files it only feeds tensor rebuilds
    Global,   ///< the name of a whitelisted Python global, e.g. "torch.FloatStorage"
  };
  using Items = std::vector<PickleValue>;

  /// A dict's entries in insertion order (Python dicts keep it), the class that built it, and the
  /// attributes BUILD set on it (a state-dict OrderedDict carries `_metadata` there).
  struct Dict {
    std::string class_name = "dict";
    std::vector<std::pair<PickleValue, PickleValue>> items;
    std::vector<std::pair<std::string, PickleValue>> attributes;
  };

  PickleValue() = default;  // None
  static PickleValue boolean(bool value);
  static PickleValue integer(int64_t value);
  static PickleValue real(double value);
  static PickleValue string(std::string value);
  static PickleValue bytes(std::string value);
  static PickleValue tuple(Items items);
  static PickleValue list(Items items = {});
  static PickleValue emptyDict(std::string class_name = "dict");
  static PickleValue tensor(at::Tensor value);
  static PickleValue storage(at::Tensor value);
  static PickleValue global(std::string qualified_name);

  Kind kind() const { return kind_; }
  bool isNone() const { return kind_ == Kind::None; }
  bool isString() const { return kind_ == Kind::String; }
  bool isTensor() const { return kind_ == Kind::Tensor; }
  bool isDict() const { return kind_ == Kind::Dict; }
  bool isContainer() const { return kind_ == Kind::Tuple || kind_ == Kind::List || kind_ == Kind::Dict; }

  // Typed access; each throws Error naming the expected and the actual kind on a mismatch.
  bool toBool() const;
  int64_t toInt() const;
  double toDouble() const;              ///< Float, or Int converted
  const std::string& toString() const;  ///< String, Bytes, or a Global's qualified name
  const at::Tensor& toTensor() const;   ///< Tensor, or Storage as a 1-D tensor
  const Items& items() const;           ///< Tuple or List
  const Dict& dict() const;

  /// Entry of a dict under a string key; nullptr if absent or if this is not a dict.
  const PickleValue* find(std::string_view key) const;

  /// Python-style name for messages: "dict", "collections.OrderedDict", "tensor", "int", ...
  std::string typeName() const;
  static const char* kindName(Kind kind);

  // For the decoder: containers are shared like Python objects, so a memoised dict filled later is
  // the same object wherever it was referenced.
  Items& mutableItems();
  Dict& mutableDict();
  /// Address of the shared container (its identity while decoding); nullptr for other kinds.
  const void* identity() const;

 private:
  using Payload = std::variant<std::monostate, bool, int64_t, double, std::string, std::shared_ptr<Items>,
                               std::shared_ptr<Dict>, at::Tensor>;
  PickleValue(Kind kind, Payload payload) : kind_(kind), payload_(std::move(payload)) {}
  [[noreturn]] void throwKindMismatch(const char* expected) const;

  Kind kind_ = Kind::None;
  Payload payload_;
};

}  // namespace autoqvis
