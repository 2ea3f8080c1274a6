#include "core/selftrain/selection_file.h"

#include "core/selftrain/state_json.h"
#include "core/util/atomic_file.h"

namespace autoqvis {
namespace {

using state_json::ojson;
using state_json::require;
using state_json::withKey;

constexpr const char* kFormat = "autoqvis-selection";

Override parseOverride(const ojson& value, const ErrorContext& context) {
  if (!value.is_object()) throw Error("an override must be a JSON object", context);
  Override o;
  o.video_id = static_cast<int64_t>(state_json::number(require(value, "video_id", context), withKey(context, "video_id")));
  ErrorContext with_video = context;
  with_video.video_id = o.video_id;
  const ojson& target = require(value, "target", with_video);
  if (target == "prediction") {
    o.target = OverrideTarget::Prediction;
  } else if (target == "state") {
    o.target = OverrideTarget::PreviousState;
  } else {
    throw Error("target must be \"prediction\" or \"state\"", withKey(with_video, "target"));
  }
  const double object_id = state_json::number(require(value, "object_id", with_video), withKey(with_video, "object_id"));
  if (object_id < 0 || object_id != static_cast<double>(static_cast<int64_t>(object_id))) {
    throw Error("object_id must be a non-negative integer", withKey(with_video, "object_id"));
  }
  o.object_id = static_cast<int64_t>(object_id);
  if (auto frame = state_json::optionalNumber(value, "frame", with_video)) {
    if (*frame < 0 || *frame != static_cast<double>(static_cast<int>(*frame))) {
      throw Error("frame must be a non-negative integer", withKey(with_video, "frame"));
    }
    o.frame = static_cast<int>(*frame);
  }
  o.decision = state_json::parseUserDecision(value, with_video);
  return o;
}

}  // namespace

void checkTau(double tau, const ErrorContext& context) {
  if (!(tau >= 0.0 && tau <= 1.0)) throw Error("tau must be in [0, 1], got " + std::to_string(tau), context);
}

SelectionFile parseSelectionFile(const std::string& text, const std::string& source) {
  const ojson document = state_json::parse(text, source);
  const ErrorContext context = inFile(source);
  if (!document.is_object()) throw Error("a selection file must be a JSON object", context);
  auto format = document.find("format");
  if (format != document.end() && *format != kFormat) {
    throw Error(std::string("not a selection file (format must be \"") + kFormat + "\")", withKey(context, "format"));
  }
  SelectionFile file;
  file.tau = state_json::number(require(document, "tau", context), withKey(context, "tau"));
  checkTau(file.tau, withKey(context, "tau"));
  if (auto round = state_json::optionalNumber(document, "round", context)) file.round = static_cast<int>(*round);
  if (auto tau_source = document.find("tau_source"); tau_source != document.end()) {
    if (*tau_source != "user" && *tau_source != "config") {
      throw Error("tau_source must be \"user\" or \"config\"", withKey(context, "tau_source"));
    }
    file.tau_from_config = *tau_source == "config";
  }
  auto overrides = document.find("overrides");
  if (overrides != document.end() && !overrides->is_null()) {
    if (!overrides->is_array()) throw Error("'overrides' must be a list", withKey(context, "overrides"));
    for (size_t i = 0; i < overrides->size(); ++i) {
      file.overrides.push_back(parseOverride((*overrides)[i], withKey(context, "overrides[" + std::to_string(i) + "]")));
    }
  }
  return file;
}

SelectionFile loadSelectionFile(const std::filesystem::path& path) {
  return parseSelectionFile(readFile(path), path.string());
}

std::string selectionFileToJson(const SelectionFile& file) {
  ojson overrides = ojson::array();
  for (const Override& o : file.overrides) {
    ojson entry = {{"video_id", o.video_id},
                   {"target", o.target == OverrideTarget::Prediction ? "prediction" : "state"},
                   {"object_id", o.object_id}};
    if (o.frame) entry["frame"] = *o.frame;
    const ojson decision = state_json::userDecisionJson(o.decision);  // named: items() must not outlive it
    for (auto& [key, value] : decision.items()) entry[key] = value;
    overrides.push_back(std::move(entry));
  }
  const ojson document = {{"format", kFormat}, {"version", 1}, {"round", file.round}, {"tau", file.tau},
                          {"tau_source", file.tau_from_config ? "config" : "user"}, {"overrides", std::move(overrides)}};
  return document.dump(2) + "\n";
}

void saveSelectionFile(const SelectionFile& file, const std::filesystem::path& path) {
  writeFileAtomically(path, selectionFileToJson(file));
}

}  // namespace autoqvis
