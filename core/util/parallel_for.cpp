#include "core/util/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace autoqvis {

int resolveThreadCount(int requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

void parallelFor(size_t count, int threads, const std::function<void(size_t)>& work,
                 const std::function<void(size_t)>& done, const StopToken* stop) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mutex;
  std::exception_ptr error;
  auto worker = [&] {
    for (;;) {
      if (failed.load() || (stop && stop->stopRequested())) return;
      const size_t i = next.fetch_add(1);
      if (i >= count) return;
      try {
        work(i);
        if (done) {
          std::lock_guard<std::mutex> lock(mutex);
          done(i);
        }
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!error) error = std::current_exception();
        failed.store(true);
        return;
      }
    }
  };
  const size_t helpers =
      std::min<size_t>(static_cast<size_t>(resolveThreadCount(threads)), count) - (count > 0);
  std::vector<std::thread> pool;
  pool.reserve(helpers);
  for (size_t i = 0; i < helpers; ++i) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
  if (error) std::rethrow_exception(error);
  if (stop) stop->throwIfStopped();
}

}  // namespace autoqvis
