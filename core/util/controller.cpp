#include "core/util/controller.h"

#include <c10/util/Exception.h>

namespace autoqvis {

const char* outcomeName(JobOutcome outcome) {
  switch (outcome) {
    case JobOutcome::Finished: return "finished";
    case JobOutcome::Failed: return "failed";
    case JobOutcome::Stopped: return "stopped";
  }
  return "unknown";
}

std::string describeCurrentException() {
  try {
    throw;
  } catch (const c10::Error& e) {
    return std::string("LibTorch: ") + e.what_without_backtrace();
  } catch (const std::bad_alloc&) {
    return "out of memory";
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

void Controller::runChild(Controller& child, const std::string& label) {
  JobEvents forwarded;
  forwarded.progress = [this, label](const Progress& p) {
    if (!events_.progress) return;
    Progress tagged = p;
    tagged.job = job_name_;
    tagged.stage = label + " " + p.job + " " + p.stage;
    events_.progress(tagged);
  };
  forwarded.metrics = [this](const IterationMetrics& m) { reportMetrics(m); };
  forwarded.artifact = [this](const std::filesystem::path& path) { reportArtifact(path); };
  child.setEvents(std::move(forwarded));
  child.setStopToken(stop_);
  child.run();
}

JobResult Controller::execute() {
  if (events_.started) events_.started(job_name_);
  JobResult result;
  try {
    run();
  } catch (const StoppedError&) {
    result.outcome = JobOutcome::Stopped;
    result.message = "stopped on request";
  } catch (...) {
    result.outcome = JobOutcome::Failed;
    result.message = describeCurrentException();
  }
  if (events_.ended) events_.ended(result);
  return result;
}

}  // namespace autoqvis
