#include "core/data/clip_loader.h"

#include <deque>
#include <numeric>
#include <string>

#include "core/util/error.h"

namespace autoqvis {
namespace {

// Stream ids below Rng::forStream(batch seed, ·): clips use 0..batch_size-1.
constexpr uint64_t kCopyPasteStream = 0xC0'FFEEull << 20;
// Salt of the per-source epoch permutations, so they differ from the per-batch streams of the same seed.
constexpr uint64_t kEpochSalt = 0x5EED'0000'0000ull;

}  // namespace

struct ClipLoader::Stream {
  int64_t epoch = 0;
  size_t position = 0;
  std::vector<int64_t> order;
  std::deque<int64_t> buckets[2];  // landscape, portrait
};

ClipLoader::ClipLoader(std::vector<std::shared_ptr<const ClipSource>> sources, ClipLoaderOptions options,
                       CopyPasteOptions copy_paste, int64_t start_batch)
    : sources_(std::move(sources)), options_(options), copy_paste_(copy_paste) {
  if (sources_.empty() || sources_.size() > 2) throw Error("a clip loader takes one or two sources");
  for (const auto& source : sources_) {
    if (!source || source->size() == 0) throw Error("a training source has no items");
  }
  if (options_.batch_size < 1) throw Error("batch_size must be >= 1");
  if (options_.prefetch_batches < 1) throw Error("prefetch_batches must be >= 1");
  if (options_.workers < 0) throw Error("workers must be >= 0");
  if (start_batch < 0) throw Error("start_batch must be >= 0");
  for (size_t s = 0; s < sources_.size(); ++s) streams_.push_back(std::make_unique<Stream>());
  // Replaying the plans is cheap (no data is touched) and restores the epoch orders and buckets exactly.
  for (int64_t k = 0; k < start_batch; ++k) planNext();
  next_batch_ = start_batch;
  background_ = options_.workers > 0;
  for (int w = 0; w < options_.workers; ++w) threads_.emplace_back([this] { workerLoop(); });
}

ClipLoader::~ClipLoader() { close(); }

int64_t ClipLoader::nextItem(int source) {
  Stream& stream = *streams_[static_cast<size_t>(source)];
  if (stream.position == stream.order.size()) {
    // A fresh permutation per epoch, from a generator that depends only on (seed, source, epoch).
    const auto size = sources_[static_cast<size_t>(source)]->size();
    stream.order.resize(static_cast<size_t>(size));
    std::iota(stream.order.begin(), stream.order.end(), int64_t{0});
    Rng rng = Rng::forStream(options_.seed ^ (kEpochSalt + static_cast<uint64_t>(source)),
                             static_cast<uint64_t>(stream.epoch));
    for (int64_t i = size - 1; i > 0; --i) {
      std::swap(stream.order[static_cast<size_t>(i)], stream.order[static_cast<size_t>(rng.uniformInt(0, i))]);
    }
    ++stream.epoch;
    stream.position = 0;
  }
  return stream.order[stream.position++];
}

ClipLoader::Plan ClipLoader::planNext() {
  Plan plan;
  plan.index = next_plan_++;
  Rng rng = Rng::forStream(options_.seed, static_cast<uint64_t>(plan.index));
  const bool first = rng.uniform() < options_.first_source_prob;
  plan.source = sources_.size() == 1 || first ? 0 : 1;
  plan.seed = rng.next();
  const ClipSource& source = *sources_[static_cast<size_t>(plan.source)];
  Stream& stream = *streams_[static_cast<size_t>(plan.source)];
  const auto batch = static_cast<size_t>(options_.batch_size);
  for (;;) {
    const int64_t item = nextItem(plan.source);
    const int bucket = options_.aspect_ratio_grouping && !source.isLandscape(item) ? 1 : 0;
    std::deque<int64_t>& queue = stream.buckets[bucket];
    queue.push_back(item);
    if (queue.size() == batch) {
      plan.items.assign(queue.begin(), queue.end());
      queue.clear();
      return plan;
    }
  }
}

ClipLoader::Result ClipLoader::produce(const Plan& plan) const {
  Result result;
  try {
    torch::NoGradGuard no_grad;
    const ClipSource& source = *sources_[static_cast<size_t>(plan.source)];
    result.batch.index = plan.index;
    result.batch.source = plan.source;
    result.batch.items = plan.items;
    for (size_t j = 0; j < plan.items.size(); ++j) {
      if (closed_) return result;  // nobody will read it
      Rng rng = Rng::forStream(plan.seed, j);
      result.batch.clips.push_back(source.clip(plan.items[j], rng));
    }
    if (source.wantsCopyPaste() && copy_paste_.enabled) {
      Rng rng = Rng::forStream(plan.seed, kCopyPasteStream);
      imageCut2VideoBatch(result.batch.clips, copy_paste_, rng);
    }
  } catch (...) {
    result.error = std::current_exception();
  }
  return result;
}

void ClipLoader::workerLoop() {
  for (;;) {
    Plan plan;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      room_.wait(lock, [&] { return closed_ || next_plan_ < next_batch_ + options_.prefetch_batches; });
      if (closed_) return;
      plan = planNext();
      ++in_progress_;
    }
    Result result = produce(plan);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      results_[plan.index] = std::move(result);
      --in_progress_;
      ++produced_;
    }
    ready_.notify_all();
  }
}

ClipBatch ClipLoader::next() {
  if (closed_) throw Error("the clip loader is closed");
  Result result;
  if (!background_) {
    const Plan plan = planNext();
    result = produce(plan);
    std::lock_guard<std::mutex> lock(mutex_);
    ++next_batch_;
    ++produced_;
  } else {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return closed_ || results_.count(next_batch_) > 0; });
    if (closed_) throw Error("the clip loader is closed");
    auto it = results_.find(next_batch_);
    result = std::move(it->second);
    results_.erase(it);
    ++next_batch_;
    lock.unlock();
    room_.notify_all();
  }
  if (result.error) std::rethrow_exception(result.error);
  return std::move(result.batch);
}

void ClipLoader::close() {
  std::lock_guard<std::mutex> join_lock(close_mutex_);  // two closers must not join the same thread
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  room_.notify_all();
  ready_.notify_all();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  std::lock_guard<std::mutex> lock(mutex_);
  results_.clear();
}

ClipLoaderState ClipLoader::state() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {options_.seed, next_batch_};
}

ClipLoaderStats ClipLoader::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {static_cast<int64_t>(results_.size()), in_progress_, produced_};
}

}  // namespace autoqvis
