// Streaming JSON reading for large YouTube-VIS / COCO files: the document is built as usual except
// for one big array (e.g. "annotations"), whose elements are handed to a callback one at a time and
// then dropped. Peak memory is the rest of the document plus one element, not the whole DOM.
// Only included by .cpp files (keeps json.hpp local).
#pragma once

#include <functional>
#include <istream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace autoqvis::json_stream {

using nlohmann::json;

/// Which array to stream: the root array itself (results lists), or the array under this key of the
/// root object (datasets: "annotations").
struct Target {
  bool root_array = false;
  std::string key;
};

/// Called with each element of the streamed array and its index; it may move from the element.
using ElementCallback = std::function<void(json& element, size_t index)>;

/// Parses `input` (a string or an input stream) and returns the document without the streamed
/// array's elements (the array is left empty). Throws autoqvis::Error naming `source` and the byte
/// offset on malformed JSON.
json parseStreaming(std::istream& input, const std::string& source, const Target& target, const ElementCallback& on_element);
json parseStreaming(const std::string& text, const std::string& source, const Target& target, const ElementCallback& on_element);

}  // namespace autoqvis::json_stream
