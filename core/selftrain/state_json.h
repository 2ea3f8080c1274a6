// Field readers for the self-training files (round state, selection file). They use ordered_json:
// the order of videos and objects in a state decides later merges, so it must survive a round trip.
// Only included by .cpp files (keeps json.hpp local).
#pragma once

#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>
#include <string>

#include "core/selftrain/round_state.h"
#include "core/util/error.h"

namespace autoqvis::state_json {

using ojson = nlohmann::ordered_json;

inline ErrorContext withKey(ErrorContext context, const std::string& key) {
  context.key = context.key.empty() ? key : context.key + "." + key;
  return context;
}

inline ErrorContext contextFor(const std::string& source, const std::string& key) { return atKey(source, key); }

inline ojson parse(const std::string& text, const std::string& source) {
  try {
    return ojson::parse(text);
  } catch (const ojson::parse_error& e) {
    throw Error(std::string("malformed JSON at byte ") + std::to_string(e.byte) + ": " + e.what(), inFile(source));
  }
}

inline const ojson& require(const ojson& object, const char* key, const ErrorContext& context) {
  if (!object.is_object()) throw Error("expected a JSON object", context);
  auto it = object.find(key);
  if (it == object.end()) throw Error("missing field", withKey(context, key));
  return *it;
}

inline double number(const ojson& value, const ErrorContext& context) {
  if (value.is_number()) return value.get<double>();
  const std::string text = value.is_structured() ? std::string("a JSON ") + value.type_name() : value.dump();
  throw Error("expected a number, got " + text.substr(0, 40), context);
}

inline std::optional<double> optionalNumber(const ojson& object, const char* key, const ErrorContext& context) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return number(*it, withKey(context, key));
}

inline std::string optionalString(const ojson& object, const char* key, const ErrorContext& context) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  if (!it->is_string()) throw Error("expected a string", withKey(context, key));
  return it->get<std::string>();
}

/// JSON object keys that stand for integers ("12"): json.dump's spelling of Python int keys.
inline int64_t intKey(const std::string& key, const ErrorContext& context) {
  size_t used = 0;
  int64_t value = 0;
  try {
    value = std::stoll(key, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != key.size()) throw Error("key '" + key + "' is not an integer", context);
  return value;
}

inline Decision parseDecision(const ojson& value, const ErrorContext& context) {
  if (value.is_string() && value.get<std::string>() == "accept") return Decision::Accept;
  if (value.is_string() && value.get<std::string>() == "reject") return Decision::Reject;
  throw Error("decision must be \"accept\" or \"reject\"", context);
}

inline UserDecision parseUserDecision(const ojson& value, const ErrorContext& context) {
  if (!value.is_object()) throw Error("expected a JSON object", context);
  UserDecision d;
  d.decision = parseDecision(require(value, "decision", context), withKey(context, "decision"));
  d.user = optionalString(value, "user", context);
  d.time = optionalString(value, "time", context);
  if (auto r = optionalNumber(value, "round", context)) d.round = static_cast<int>(*r);
  d.replaced = optionalString(value, "replaced", context);
  return d;
}

inline ojson userDecisionJson(const UserDecision& d) {
  return {{"decision", decisionName(d.decision)}, {"user", d.user}, {"time", d.time}, {"round", d.round},
          {"replaced", d.replaced}};
}

}  // namespace autoqvis::state_json
