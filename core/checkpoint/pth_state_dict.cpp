#include "core/checkpoint/pth_state_dict.h"

#include "core/checkpoint/pth_reader.h"
#include "core/util/error.h"

namespace autoqvis {
namespace {

ErrorContext atEntry(std::string key) {
  ErrorContext context;
  context.key = std::move(key);
  return context;
}

bool isTensorDict(const PickleValue& value) {
  if (!value.isDict()) return false;
  for (const auto& [key, entry] : value.dict().items) {
    if (!key.isString() || !entry.isTensor()) return false;
  }
  return true;
}

// Names the top-level keys in the error, so a user sees at once what kind of file it was instead.
std::string describeKeys(const PickleValue& dict) {
  std::string out;
  size_t shown = 0;
  for (const auto& [key, entry] : dict.dict().items) {
    if (shown == 8) return out + ", ...";
    out += (shown++ ? ", " : "") + (key.isString() ? key.toString() : key.typeName());
  }
  return out.empty() ? "none" : out;
}

NamedTensors toNamedTensors(const PickleValue& dict, const std::string& where) {
  if (!dict.isDict()) throw Error("expected a dict of tensors, found a " + dict.typeName(), atEntry(where));
  NamedTensors out;
  out.reserve(dict.dict().items.size());
  for (const auto& [key, entry] : dict.dict().items) {
    if (!key.isString()) throw Error("state-dict key is a " + key.typeName() + ", not a str", atEntry(where));
    if (!entry.isTensor())
      throw Error("entry is a " + entry.typeName() + ", not a tensor", atEntry(key.toString()));
    out.emplace_back(key.toString(), entry.toTensor());
  }
  return out;
}

}  // namespace

NamedTensors stateDictFromCheckpoint(const PickleValue& checkpoint) {
  if (!checkpoint.isDict()) throw Error("the checkpoint holds a " + checkpoint.typeName() + ", not a dict");
  if (const PickleValue* model = checkpoint.find("model")) return toNamedTensors(*model, "model");
  if (isTensorDict(checkpoint)) return toNamedTensors(checkpoint, "");
  throw Error("no state dict found: neither a 'model' entry nor a dict of tensors (top-level keys: " +
              describeKeys(checkpoint) + ")");
}

NamedTensors readPthStateDict(const std::filesystem::path& path) {
  const PickleValue checkpoint = readPth(path);
  try {
    return stateDictFromCheckpoint(checkpoint);
  } catch (const Error& e) {
    throw e.withContext(inFile(path.string()));
  }
}

}  // namespace autoqvis
