#include "core/util/progress.h"

namespace autoqvis {

ProgressReporter::ProgressReporter(ProgressCallback callback, std::string job, std::string stage, int64_t total,
                                   std::chrono::milliseconds min_interval)
    : callback_(std::move(callback)), start_(std::chrono::steady_clock::now()), min_interval_(min_interval) {
  progress_.job = std::move(job);
  progress_.stage = std::move(stage);
  progress_.total = total;
  last_emit_ = start_;
}

void ProgressReporter::step(int64_t count, const std::string& message) {
  progress_.done += count;
  auto now = std::chrono::steady_clock::now();
  bool finished = progress_.total > 0 && progress_.done >= progress_.total;
  if (!emitted_once_ || finished || now - last_emit_ >= min_interval_) publish(message);
}

void ProgressReporter::flush(const std::string& message) { publish(message); }

void ProgressReporter::publish(const std::string& message) {
  auto now = std::chrono::steady_clock::now();
  progress_.elapsed_s = std::chrono::duration<double>(now - start_).count();
  progress_.message = message;
  progress_.rate = progress_.elapsed_s > 0 ? progress_.done / progress_.elapsed_s : 0.0;
  progress_.eta_s = (progress_.rate > 0 && progress_.total > 0)
                        ? static_cast<double>(progress_.total - progress_.done) / progress_.rate
                        : -1.0;
  last_emit_ = now;
  emitted_once_ = true;
  if (callback_) callback_(progress_);
}

}  // namespace autoqvis
