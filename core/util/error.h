// autoqvis::Error: the one exception type of the engine. It carries the context a user needs to fix
// the input (file, key, video id, annotation id, frame) and prints it in a single readable line.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace autoqvis {

struct ErrorContext {
  std::string file;                  ///< path of the offending file, if any
  std::string key;                   ///< config key or JSON field, if any
  std::optional<int64_t> video_id;   ///< YouTube-VIS video id
  std::optional<int64_t> annotation_id;
  std::optional<int64_t> frame;      ///< frame index inside the video
};

class Error : public std::runtime_error {
 public:
  explicit Error(std::string message, ErrorContext context = {});

  /// The bare message without context.
  const std::string& message() const { return message_; }
  const ErrorContext& context() const { return context_; }

  /// Returns a copy with missing context fields filled in from `outer` (inner context wins).
  Error withContext(const ErrorContext& outer) const;

 private:
  static std::string format(const std::string& message, const ErrorContext& context);
  std::string message_;
  ErrorContext context_;
};

/// Builder-style helpers so call sites read as sentences: throw Error("bad counts", inFile(path)).
ErrorContext inFile(std::string file);
ErrorContext atKey(std::string file, std::string key);

}  // namespace autoqvis
