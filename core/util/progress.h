// Progress snapshots and the stop token that long jobs poll between steps (the controller contract
// itself is in core/util/controller.h). Qt-free.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/util/error.h"

namespace autoqvis {

/// One progress snapshot; a plain value so it can be queued across threads.
struct Progress {
  std::string job;        ///< e.g. "make-toy-data"
  std::string stage;      ///< e.g. "videos"
  std::string message;    ///< short human text, e.g. the current file
  int64_t done = 0;       ///< finished units of this stage
  int64_t total = 0;      ///< units in this stage; 0 when unknown
  double elapsed_s = 0;   ///< since the stage started
  double rate = 0;        ///< units per second (0 until known)
  double eta_s = -1;      ///< estimated seconds left; -1 when unknown
};

/// Thrown by StopToken::throwIfStopped so a cancelled job unwinds through its normal cleanup. It is
/// deliberately not an Error: a stop is never a failure, and every `catch (const Error&)` that adds
/// context (file, video, frame) lets it pass untouched.
class StoppedError : public std::runtime_error {
 public:
  StoppedError() : std::runtime_error("stopped on request") {}
};

/// Shared flag a caller sets to ask a running job to stop at its next check. Copies share the flag.
class StopToken {
 public:
  StopToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
  void requestStop() { flag_->store(true); }
  bool stopRequested() const { return flag_->load(); }
  void throwIfStopped() const {
    if (stopRequested()) throw StoppedError();
  }

 private:
  std::shared_ptr<std::atomic<bool>> flag_;
};

using ProgressCallback = std::function<void(const Progress&)>;

/// Measures rate and ETA of one stage and throttles reports to the callback (at most every
/// `min_interval`, plus always the first and the last unit), so tight loops may call step() freely.
class ProgressReporter {
 public:
  ProgressReporter(ProgressCallback callback, std::string job, std::string stage, int64_t total,
                   std::chrono::milliseconds min_interval = std::chrono::milliseconds(100));
  /// Records `count` more finished units with an optional message.
  void step(int64_t count = 1, const std::string& message = {});
  /// Reports the current state unconditionally.
  void flush(const std::string& message = {});
  const Progress& last() const { return progress_; }

 private:
  void publish(const std::string& message);
  ProgressCallback callback_;
  Progress progress_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_emit_;
  std::chrono::milliseconds min_interval_;
  bool emitted_once_ = false;
};

}  // namespace autoqvis
