// The controller contract (architecture.md): a long job is a Qt-free class whose run() does the work,
// polls a StopToken between steps and reports through typed events. execute() wraps run() so that every
// job reports `started`, then progress / metrics / artifacts, then exactly one of finished, failed (with
// the message) or stopped -- a stop is never a failure. The same object runs synchronously under the CLI
// and inside the GUI's worker thread (COLMAP's BaseController); it knows nothing of threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/util/iteration_metrics.h"
#include "core/util/progress.h"

namespace autoqvis {

enum class JobOutcome { Finished, Failed, Stopped };
/// "finished", "failed" or "stopped" (the event names of --progress=jsonl).
const char* outcomeName(JobOutcome outcome);

struct JobResult {
  JobOutcome outcome = JobOutcome::Finished;
  std::string message;  ///< failed: what went wrong, with its context (file, key, video, frame)
};

/// The observer of a controller. Every member may be empty. They are called on the thread that runs
/// the controller, so a GUI turns them into queued signals.
struct JobEvents {
  std::function<void(const std::string& job)> started;
  ProgressCallback progress;
  std::function<void(const IterationMetrics&)> metrics;
  std::function<void(const std::filesystem::path&)> artifact;  ///< a file the job finished writing
  std::function<void(const JobResult&)> ended;                 ///< exactly once per execute()
};

class Controller {
 public:
  explicit Controller(std::string job_name) : job_name_(std::move(job_name)) {}
  virtual ~Controller() = default;
  /// The work. Throws StoppedError when stopped and Error (or another exception) when it fails.
  virtual void run() = 0;
  /// Runs run() and reports exactly one outcome through the events; never throws.
  JobResult execute();

  const std::string& jobName() const { return job_name_; }
  void setEvents(JobEvents events) { events_ = std::move(events); }
  const JobEvents& events() const { return events_; }
  void setProgressCallback(ProgressCallback callback) { events_.progress = std::move(callback); }
  void setMetricsCallback(std::function<void(const IterationMetrics&)> callback) {
    events_.metrics = std::move(callback);
  }
  void setStopToken(StopToken token) { stop_ = std::move(token); }
  const StopToken& stopToken() const { return stop_; }

 protected:
  ProgressReporter reporter(std::string job, std::string stage, int64_t total) const {
    return ProgressReporter(events_.progress, std::move(job), std::move(stage), total);
  }
  void checkStop() const { stop_.throwIfStopped(); }
  void reportMetrics(const IterationMetrics& metrics) const {
    if (events_.metrics) events_.metrics(metrics);
  }
  void reportArtifact(const std::filesystem::path& path) const {
    if (events_.artifact) events_.artifact(path);
  }
  /// Runs a sub-job inside run(): its progress is reported as this job's, its stage prefixed with
  /// `label` (e.g. "round-1 train iterations"); metrics and artifacts pass through; it shares the stop
  /// token. Throws as the child's run() does.
  void runChild(Controller& child, const std::string& label);

 private:
  std::string job_name_;
  JobEvents events_;
  StopToken stop_;
};

/// The message of the exception being handled (inside a catch block): an Error with its context, a
/// LibTorch error without its C++ backtrace, or what() of anything else.
std::string describeCurrentException();

}  // namespace autoqvis
