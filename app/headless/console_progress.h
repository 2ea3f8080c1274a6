// Shows controller progress on the console: a redrawn bar on a terminal, plain lines when stderr is
// not a terminal, or one JSON object per line on stdout for scripts (--progress=jsonl).
#pragma once

#include <string>

#include "core/util/progress.h"

namespace autoqvis::cli {

enum class ProgressStyle { Auto, Bar, Lines, Jsonl, None };

ProgressStyle parseProgressStyle(const std::string& text);

class ConsoleProgress {
 public:
  explicit ConsoleProgress(ProgressStyle style);
  ~ConsoleProgress();
  /// A callback to hand to Controller::setProgressCallback.
  ProgressCallback callback();
  /// Ends a bar line so later output starts on a fresh line.
  void finish();
  /// Writes one JSON event line in jsonl mode (e.g. {"event":"done",...}); no-op otherwise.
  void event(const std::string& json_object);
  bool jsonl() const { return style_ == ProgressStyle::Jsonl; }

 private:
  void show(const Progress& progress);
  ProgressStyle style_;
  bool bar_open_ = false;
  std::string last_stage_;
};

}  // namespace autoqvis::cli
