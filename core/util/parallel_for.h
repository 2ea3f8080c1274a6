// A minimal parallel loop for independent work items (videos, evaluation cells): std::threads pulling
// indices from a shared counter, a stop token, and the first exception rethrown on the calling thread.
#pragma once

#include <cstddef>
#include <functional>

#include "core/util/progress.h"

namespace autoqvis {

/// Number of worker threads for a request: `requested` if > 0, else the hardware concurrency (at least 1).
int resolveThreadCount(int requested);

/// Runs work(i) for every i in [0, count) on up to `threads` threads (0 = hardware concurrency); the
/// calling thread works too. Items are claimed in increasing order, so results written to slot i are
/// deterministic whatever the thread count. `done(i)` runs after each item under a lock (for progress).
/// When `stop` is requested no new item starts and StoppedError is thrown; the first exception of any
/// item stops the others and is rethrown here.
void parallelFor(size_t count, int threads, const std::function<void(size_t)>& work,
                 const std::function<void(size_t)>& done = {}, const StopToken* stop = nullptr);

}  // namespace autoqvis
