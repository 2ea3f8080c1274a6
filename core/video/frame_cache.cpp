#include "core/video/frame_cache.h"

#include <algorithm>

#include "core/util/error.h"

namespace autoqvis {

FrameCache::FrameCache(std::unique_ptr<VideoSource> source, size_t capacity)
    : source_(std::move(source)), capacity_(std::max<size_t>(capacity, 1)) {
  if (!source_) throw Error("FrameCache needs a video source");
}

cv::Mat FrameCache::frame(int index) {
  auto found = by_index_.find(index);
  if (found != by_index_.end()) {
    ++hits_;
    entries_.splice(entries_.begin(), entries_, found->second);
    return found->second->image;
  }
  ++misses_;
  cv::Mat image = source_->frame(index);  // may throw; the cache is unchanged then
  if (entries_.size() >= capacity_) {
    by_index_.erase(entries_.back().index);
    entries_.pop_back();
    ++evictions_;
  }
  entries_.push_front({index, image});
  by_index_[index] = entries_.begin();
  return image;
}

void FrameCache::clear() {
  entries_.clear();
  by_index_.clear();
}

}  // namespace autoqvis
