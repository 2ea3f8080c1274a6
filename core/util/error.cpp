#include "core/util/error.h"

#include <sstream>

namespace autoqvis {

Error::Error(std::string message, ErrorContext context)
    : std::runtime_error(format(message, context)), message_(std::move(message)), context_(std::move(context)) {}

std::string Error::format(const std::string& message, const ErrorContext& context) {
  std::ostringstream out;
  if (!context.file.empty()) out << context.file << ": ";
  bool any = false;
  auto part = [&](const std::string& text) {
    out << (any ? ", " : "") << text;
    any = true;
  };
  if (!context.key.empty()) part("'" + context.key + "'");
  if (context.video_id) part("video " + std::to_string(*context.video_id));
  if (context.annotation_id) part("annotation " + std::to_string(*context.annotation_id));
  if (context.frame) part("frame " + std::to_string(*context.frame));
  if (any) out << ": ";
  out << message;
  return out.str();
}

Error Error::withContext(const ErrorContext& outer) const {
  ErrorContext merged = context_;
  if (merged.file.empty()) merged.file = outer.file;
  if (merged.key.empty()) merged.key = outer.key;
  if (!merged.video_id) merged.video_id = outer.video_id;
  if (!merged.annotation_id) merged.annotation_id = outer.annotation_id;
  if (!merged.frame) merged.frame = outer.frame;
  return Error(message_, merged);
}

ErrorContext inFile(std::string file) {
  ErrorContext context;
  context.file = std::move(file);
  return context;
}

ErrorContext atKey(std::string file, std::string key) {
  ErrorContext context;
  context.file = std::move(file);
  context.key = std::move(key);
  return context;
}

}  // namespace autoqvis
