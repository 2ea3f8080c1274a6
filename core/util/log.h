// Process-wide logging: levels, a default stderr sink, and extra sinks (the GUI log dock, a file)
// that may be called from any thread. Sinks must be quick and thread-safe themselves.
#pragma once

#include <functional>
#include <string>

namespace autoqvis {

enum class LogLevel { Debug = 0, Info = 1, Warning = 2, Error = 3 };

using LogSink = std::function<void(LogLevel, const std::string&)>;

void logMessage(LogLevel level, const std::string& message);
inline void logDebug(const std::string& message) { logMessage(LogLevel::Debug, message); }
inline void logInfo(const std::string& message) { logMessage(LogLevel::Info, message); }
inline void logWarning(const std::string& message) { logMessage(LogLevel::Warning, message); }
inline void logError(const std::string& message) { logMessage(LogLevel::Error, message); }

/// Messages below this level are dropped everywhere (default Info).
void setLogLevel(LogLevel level);
LogLevel logLevel();
/// Turns the built-in stderr sink on or off (on by default).
void setStderrLogging(bool enabled);
/// Adds a sink and returns its handle for removeLogSink. Sinks are called outside the logger's lock,
/// so a message logged concurrently may still reach a sink just after its removal.
int addLogSink(LogSink sink);
void removeLogSink(int handle);

const char* logLevelName(LogLevel level);
/// Parses "debug", "info", "warning", "error"; throws Error otherwise.
LogLevel parseLogLevel(const std::string& name);

}  // namespace autoqvis
