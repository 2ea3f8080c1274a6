#include "core/checkpoint/pickle_value.h"

#include "core/util/error.h"

namespace autoqvis {

PickleValue PickleValue::boolean(bool value) { return PickleValue(Kind::Bool, value); }
PickleValue PickleValue::integer(int64_t value) { return PickleValue(Kind::Int, value); }
PickleValue PickleValue::real(double value) { return PickleValue(Kind::Float, value); }
PickleValue PickleValue::string(std::string value) { return PickleValue(Kind::String, std::move(value)); }
PickleValue PickleValue::bytes(std::string value) { return PickleValue(Kind::Bytes, std::move(value)); }
PickleValue PickleValue::global(std::string name) { return PickleValue(Kind::Global, std::move(name)); }
PickleValue PickleValue::tensor(at::Tensor value) { return PickleValue(Kind::Tensor, std::move(value)); }
PickleValue PickleValue::storage(at::Tensor value) { return PickleValue(Kind::Storage, std::move(value)); }

PickleValue PickleValue::tuple(Items items) {
  return PickleValue(Kind::Tuple, std::make_shared<Items>(std::move(items)));
}

PickleValue PickleValue::list(Items items) {
  return PickleValue(Kind::List, std::make_shared<Items>(std::move(items)));
}

PickleValue PickleValue::emptyDict(std::string class_name) {
  auto data = std::make_shared<Dict>();
  data->class_name = std::move(class_name);
  return PickleValue(Kind::Dict, std::move(data));
}

bool PickleValue::toBool() const {
  if (kind_ != Kind::Bool) throwKindMismatch("bool");
  return std::get<bool>(payload_);
}

int64_t PickleValue::toInt() const {
  if (kind_ != Kind::Int) throwKindMismatch("int");
  return std::get<int64_t>(payload_);
}

double PickleValue::toDouble() const {
  if (kind_ == Kind::Int) return static_cast<double>(std::get<int64_t>(payload_));
  if (kind_ != Kind::Float) throwKindMismatch("float");
  return std::get<double>(payload_);
}

const std::string& PickleValue::toString() const {
  if (kind_ != Kind::String && kind_ != Kind::Bytes && kind_ != Kind::Global) throwKindMismatch("str");
  return std::get<std::string>(payload_);
}

const at::Tensor& PickleValue::toTensor() const {
  if (kind_ != Kind::Tensor && kind_ != Kind::Storage) throwKindMismatch("tensor");
  return std::get<at::Tensor>(payload_);
}

const PickleValue::Items& PickleValue::items() const {
  if (kind_ != Kind::Tuple && kind_ != Kind::List) throwKindMismatch("tuple or list");
  return *std::get<std::shared_ptr<Items>>(payload_);
}

const PickleValue::Dict& PickleValue::dict() const {
  if (kind_ != Kind::Dict) throwKindMismatch("dict");
  return *std::get<std::shared_ptr<Dict>>(payload_);
}

PickleValue::Items& PickleValue::mutableItems() {
  if (kind_ != Kind::Tuple && kind_ != Kind::List) throwKindMismatch("tuple or list");
  return *std::get<std::shared_ptr<Items>>(payload_);
}

PickleValue::Dict& PickleValue::mutableDict() {
  if (kind_ != Kind::Dict) throwKindMismatch("dict");
  return *std::get<std::shared_ptr<Dict>>(payload_);
}

const PickleValue* PickleValue::find(std::string_view key) const {
  if (kind_ != Kind::Dict) return nullptr;
  for (const auto& [k, v] : dict().items) {
    if (k.kind_ == Kind::String && std::get<std::string>(k.payload_) == key) return &v;
  }
  return nullptr;
}

const void* PickleValue::identity() const {
  if (kind_ == Kind::Tuple || kind_ == Kind::List) return std::get<std::shared_ptr<Items>>(payload_).get();
  if (kind_ == Kind::Dict) return std::get<std::shared_ptr<Dict>>(payload_).get();
  return nullptr;
}

const char* PickleValue::kindName(Kind kind) {
  switch (kind) {
    case Kind::None:
      return "None";
    case Kind::Bool:
      return "bool";
    case Kind::Int:
      return "int";
    case Kind::Float:
      return "float";
    case Kind::String:
      return "str";
    case Kind::Bytes:
      return "bytes";
    case Kind::Tuple:
      return "tuple";
    case Kind::List:
      return "list";
    case Kind::Dict:
      return "dict";
    case Kind::Tensor:
      return "tensor";
    case Kind::Storage:
      return "storage";
    case Kind::Global:
      return "global";
  }
  return "?";
}

std::string PickleValue::typeName() const {
  if (kind_ == Kind::Dict) return dict().class_name;
  if (kind_ == Kind::Global) return "global " + std::get<std::string>(payload_);
  return kindName(kind_);
}

void PickleValue::throwKindMismatch(const char* expected) const {
  throw Error(std::string("expected a ") + expected + " in the checkpoint, found a " + typeName());
}

}  // namespace autoqvis
