// FrameCache: keeps the last N decoded frames of one VideoSource so that scrubbing back and forth on
// the GUI timeline, or a data loader revisiting frames, does not decode the same frame twice.
//
// Single-threaded by design: like the source it wraps it keeps decoder state, and the GUI drives it
// from its one worker thread. Use one cache per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <unordered_map>

#include "core/video/video_source.h"

namespace autoqvis {

class FrameCache {
 public:
  /// Takes ownership of `source`; keeps up to `capacity` frames (at least 1).
  explicit FrameCache(std::unique_ptr<VideoSource> source, size_t capacity = 16);

  /// Frame `index` (RGB), from the cache or decoded. Errors of the source propagate and are not
  /// cached. The returned image shares its pixels with the cache entry: treat it as read-only and
  /// clone() it before modifying.
  cv::Mat frame(int index);

  VideoSource& source() { return *source_; }
  size_t capacity() const { return capacity_; }
  size_t size() const { return entries_.size(); }
  int64_t hits() const { return hits_; }
  int64_t misses() const { return misses_; }
  int64_t evictions() const { return evictions_; }
  /// Drops all cached frames; the counters stay.
  void clear();

 private:
  struct Entry {
    int index;
    cv::Mat image;
  };
  std::unique_ptr<VideoSource> source_;
  size_t capacity_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<int, std::list<Entry>::iterator> by_index_;
  int64_t hits_ = 0;
  int64_t misses_ = 0;
  int64_t evictions_ = 0;
};

}  // namespace autoqvis
