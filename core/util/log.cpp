#include "core/util/log.h"

#include <cstdio>
#include <map>
#include <memory>
#include <vector>
#include <mutex>

#include "core/util/error.h"

namespace autoqvis {
namespace {

struct LogState {
  std::mutex mutex;
  LogLevel level = LogLevel::Info;
  bool to_stderr = true;
  std::map<int, std::shared_ptr<const LogSink>> sinks;
  int next_handle = 1;
};

LogState& state() {
  static LogState instance;
  return instance;
}

}  // namespace

const char* logLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warning: return "warning";
    case LogLevel::Error: return "error";
  }
  return "?";
}

LogLevel parseLogLevel(const std::string& name) {
  for (LogLevel level : {LogLevel::Debug, LogLevel::Info, LogLevel::Warning, LogLevel::Error}) {
    if (name == logLevelName(level)) return level;
  }
  throw Error("unknown log level '" + name + "' (allowed: debug, info, warning, error)");
}

void logMessage(LogLevel level, const std::string& message) {
  auto& s = state();
  std::vector<std::shared_ptr<const LogSink>> sinks;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (level < s.level) return;
    if (s.to_stderr) std::fprintf(stderr, "[%s] %s\n", logLevelName(level), message.c_str());
    for (const auto& [handle, sink] : s.sinks) sinks.push_back(sink);
  }
  // Sinks run outside the lock, so one that logs (or is slow) cannot deadlock or stall the others;
  // a throwing sink must not take down the thread that logged (FFmpeg's decoder threads log too).
  for (const auto& sink : sinks) {
    try {
      (*sink)(level, message);
    } catch (...) {
    }
  }
}

void setLogLevel(LogLevel level) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().level = level;
}

LogLevel logLevel() {
  std::lock_guard<std::mutex> lock(state().mutex);
  return state().level;
}

void setStderrLogging(bool enabled) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().to_stderr = enabled;
}

int addLogSink(LogSink sink) {
  std::lock_guard<std::mutex> lock(state().mutex);
  int handle = state().next_handle++;
  state().sinks.emplace(handle, std::make_shared<const LogSink>(std::move(sink)));
  return handle;
}

void removeLogSink(int handle) {
  std::lock_guard<std::mutex> lock(state().mutex);
  state().sinks.erase(handle);
}

}  // namespace autoqvis
