// Small helpers for reading typed fields out of nlohmann::json with errors that name the field,
// shared by the YouTube-VIS and COCO readers. Only included by .cpp files (keeps json.hpp local).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/io/rle.h"
#include "core/util/error.h"

namespace autoqvis::json_fields {

using nlohmann::json;

inline ErrorContext withKey(ErrorContext context, const std::string& key) {
  context.key = context.key.empty() ? key : context.key + "." + key;
  return context;
}

inline const json& require(const json& object, const char* key, const ErrorContext& context) {
  if (!object.is_object()) throw Error("expected a JSON object", context);
  auto it = object.find(key);
  if (it == object.end()) {
    throw Error("missing field", withKey(context, key));
  }
  return *it;
}

inline int64_t asInt(const json& value, const ErrorContext& context) {
  if (value.is_number_integer() || value.is_number_unsigned()) return value.get<int64_t>();
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (d == static_cast<double>(static_cast<int64_t>(d))) return static_cast<int64_t>(d);
  }
  throw Error("expected an integer, got " + value.dump(), context);
}

inline double asNumber(const json& value, const ErrorContext& context) {
  if (value.is_number()) return value.get<double>();
  throw Error("expected a number, got " + value.dump().substr(0, 40), context);
}

inline int64_t requireInt(const json& object, const char* key, const ErrorContext& context) {
  return asInt(require(object, key, context), withKey(context, key));
}

inline std::string optionalString(const json& object, const char* key, const std::string& fallback) {
  auto it = object.find(key);
  return (it != object.end() && it->is_string()) ? it->get<std::string>() : fallback;
}

/// Parses {"size": [h, w], "counts": "..." | [..]} into a validated compressed RLE. Uncompressed
/// counts are compressed; string counts are taken over without a copy (moved out of the DOM).
inline CompressedRle parseRle(json& value, const ErrorContext& context) {
  if (value.is_array()) throw Error("polygon segmentations are not supported; convert them to RLE", context);
  if (!value.is_object()) throw Error("expected an RLE object {size, counts}", context);
  const json& size = require(value, "size", context);
  if (!size.is_array() || size.size() != 2) throw Error("RLE 'size' must be [height, width]", context);
  const int64_t h = asInt(size[0], context), w = asInt(size[1], context);
  if (h < 0 || w < 0 || h > (1 << 20) || w > (1 << 20)) throw Error("RLE size out of range", context);
  json& counts = value.at("counts");
  try {
    if (counts.is_string()) {
      std::string& text = counts.get_ref<std::string&>();
      rleFromString(text, static_cast<int>(h), static_cast<int>(w));  // validates
      return {static_cast<int32_t>(h), static_cast<int32_t>(w), std::move(text)};
    }
    if (counts.is_array()) {
      std::vector<uint32_t> runs;
      runs.reserve(counts.size());
      for (const json& run : counts) {
        const int64_t x = asInt(run, context);
        if (x < 0) throw Error("negative run " + std::to_string(x) + " in uncompressed counts");
        if (x > static_cast<int64_t>(UINT32_MAX)) throw Error("run too long in uncompressed counts");
        runs.push_back(static_cast<uint32_t>(x));
      }
      return compress(rleFromCounts(std::move(runs), static_cast<int>(h), static_cast<int>(w)));
    }
  } catch (const Error& e) {
    throw e.withContext(context);
  }
  throw Error("RLE 'counts' must be a string or a list of integers", context);
}

inline json rleToJson(const CompressedRle& rle) {
  return json{{"size", {rle.h, rle.w}}, {"counts", rle.counts}};
}

inline json parseDocument(std::string& text, const std::string& source) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw Error(std::string("malformed JSON: ") + e.what(), inFile(source));
  }
}

}  // namespace autoqvis::json_fields
