// Batches of training clips, prepared by background threads (detectron2's training loader, AutoQ-VIS's
// CombinedLoader and copy-paste step, method.md §4.1, §4.5, §6):
//  - per batch, the whole batch comes from source 0 with probability first_source_prob, else from source 1
//    (never mixed inside a batch; with one source, always source 0);
//  - each source walks its items in a fresh random permutation per epoch (TrainingSampler) and, with
//    aspect-ratio grouping, puts each item into a landscape or portrait bucket, emitting a batch when a
//    bucket holds batch_size items (AspectRatioGroupedDataset);
//  - batches of a copy-paste source (the synthetic stills) get ImageCut2Video at the batch level.
//
// Determinism: batch k is a pure function of (seed, k). Which source and which items it holds is planned
// in batch order from seed-derived generators that depend on nothing loaded; clip j of batch k draws its
// augmentation from Rng::forStream(batch seed, j), and copy-paste from its own stream of the batch seed.
// So the same seed gives the same batches whatever the number of workers or the thread timing, and resuming
// at batch k (state() -> constructor) continues exactly as an uninterrupted run would.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/data/image_cut2video.h"
#include "core/data/training_clip.h"
#include "core/data/training_sources.h"

namespace autoqvis {

struct ClipLoaderOptions {
  int batch_size = 2;               ///< clips per batch (per process)
  double first_source_prob = 0.5;   ///< chance that a batch comes from source 0 (AutoQ-VIS: pseudo-labels)
  bool aspect_ratio_grouping = true;  ///< batches hold only landscape or only portrait items
  int workers = 2;                  ///< loading threads; 0 loads on the caller's thread inside next()
  int prefetch_batches = 4;         ///< batches ready or being made ahead of the consumer, at most
  uint64_t seed = 1;
};

struct ClipBatch {
  int64_t index = 0;  ///< 0-based batch number
  int source = 0;     ///< index of the source it came from
  std::vector<int64_t> items;  ///< the source's item indices, one per clip
  std::vector<TrainingClip> clips;
};

/// Everything needed to resume: construct a loader with this seed and start at next_batch.
struct ClipLoaderState {
  uint64_t seed = 1;
  int64_t next_batch = 0;
};

struct ClipLoaderStats {
  int64_t ready = 0;        ///< finished batches waiting for the consumer
  int64_t in_progress = 0;  ///< batches being made now
  int64_t produced = 0;     ///< batches finished since construction
};

class ClipLoader {
 public:
  /// One or two sources. Starts the workers at once; `start_batch` resumes (see ClipLoaderState).
  ClipLoader(std::vector<std::shared_ptr<const ClipSource>> sources, ClipLoaderOptions options,
             CopyPasteOptions copy_paste = {}, int64_t start_batch = 0);
  ~ClipLoader();
  ClipLoader(const ClipLoader&) = delete;
  ClipLoader& operator=(const ClipLoader&) = delete;

  /// The next batch, in order. Blocks only while that batch is still being made. A worker's failure on this
  /// batch (e.g. a corrupt image) is rethrown here, naming the file; the loader stays usable and the next
  /// call returns the following batch. Throws Error once closed.
  ClipBatch next();
  /// Stops the workers and joins them: each finishes at most the clip it is on. Idempotent.
  void close();

  ClipLoaderState state() const;
  ClipLoaderStats stats() const;

 private:
  struct Plan {
    int64_t index = 0;
    int source = 0;
    uint64_t seed = 0;
    std::vector<int64_t> items;
  };
  struct Stream;  // one source's epoch order and buckets
  struct Result {
    ClipBatch batch;
    std::exception_ptr error;
  };

  Plan planNext();  // the plan of batch next_plan_; caller holds mutex_ (or runs without workers)
  int64_t nextItem(int source);
  Result produce(const Plan& plan) const;
  void workerLoop();

  std::vector<std::shared_ptr<const ClipSource>> sources_;
  ClipLoaderOptions options_;
  CopyPasteOptions copy_paste_;
  std::vector<std::unique_ptr<Stream>> streams_;

  bool background_ = false;  // workers > 0; fixed at construction
  std::mutex close_mutex_;
  mutable std::mutex mutex_;
  std::condition_variable room_;   // workers wait for room ahead of the consumer
  std::condition_variable ready_;  // the consumer waits for its batch
  std::map<int64_t, Result> results_;
  int64_t next_batch_ = 0;  // next batch handed to the consumer
  int64_t next_plan_ = 0;   // next batch planned (claimed by a worker)
  int64_t in_progress_ = 0;
  int64_t produced_ = 0;
  std::atomic<bool> closed_{false};
  std::vector<std::thread> threads_;
};

}  // namespace autoqvis
