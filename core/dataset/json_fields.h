// Small helpers for reading typed fields out of nlohmann::json with errors that name the field,
// shared by the YouTube-VIS and COCO readers. Only included by .cpp files (keeps json.hpp local).
#pragma once

#include <nlohmann/json.hpp>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "core/dataset/rle.h"
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

/// A short description of a value for error messages: scalars as text (cut), containers by type
/// only (dumping a deeply nested value could exhaust the stack).
inline std::string describe(const json& value) {
  if (value.is_structured()) return std::string("a JSON ") + value.type_name();
  std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
  return text.size() > 40 ? text.substr(0, 40) + "..." : text;
}

inline int64_t asInt(const json& value, const ErrorContext& context) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (u <= static_cast<uint64_t>(INT64_MAX)) return static_cast<int64_t>(u);
  } else if (value.is_number_float()) {
    const double d = value.get<double>();
    // Whole numbers written as floats (1.0) are accepted; the range check keeps the cast defined.
    if (d >= -9.2e18 && d <= 9.2e18 && d == std::floor(d)) return static_cast<int64_t>(d);
  }
  throw Error("expected an integer, got " + describe(value), context);
}

/// An integer in [lo, hi], e.g. an image side; larger values would overflow sizes computed from it.
inline int asIntIn(const json& value, int64_t lo, int64_t hi, const ErrorContext& context) {
  const int64_t x = asInt(value, context);
  if (x < lo || x > hi) {
    throw Error("value " + std::to_string(x) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]",
                context);
  }
  return static_cast<int>(x);
}

/// Largest accepted side and area of an image or mask: far beyond any video, small enough that
/// h * w and buffers of that size stay sane.
constexpr int64_t kMaxSide = 1 << 16;
constexpr int64_t kMaxPixels = int64_t{1} << 28;

inline void checkArea(int64_t h, int64_t w, const ErrorContext& context) {
  if (h * w > kMaxPixels) {
    throw Error("size " + std::to_string(h) + "x" + std::to_string(w) + " exceeds " + std::to_string(kMaxPixels) + " pixels",
                context);
  }
}

inline double asNumber(const json& value, const ErrorContext& context) {
  if (value.is_number()) return value.get<double>();
  throw Error("expected a number, got " + describe(value), context);
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
  const int h = asIntIn(size[0], 0, kMaxSide, withKey(context, "size"));
  const int w = asIntIn(size[1], 0, kMaxSide, withKey(context, "size"));
  checkArea(h, w, withKey(context, "size"));
  json& counts = const_cast<json&>(require(value, "counts", context));
  try {
    if (counts.is_string()) {
      std::string& text = counts.get_ref<std::string&>();
      rleFromString(text, h, w);  // validates
      return {h, w, std::move(text)};
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
      return compress(rleFromCounts(std::move(runs), h, w));
    }
  } catch (const Error& e) {
    throw e.withContext(context);
  }
  throw Error("RLE 'counts' must be a string or a list of integers", context);
}

inline json rleToJson(const CompressedRle& rle) {
  return json{{"size", {rle.h, rle.w}}, {"counts", rle.counts}};
}


}  // namespace autoqvis::json_fields
