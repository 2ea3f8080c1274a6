#include "widgets/viewer/frame_loader.h"

#include <QMetaObject>
#include <algorithm>
#include <exception>

#include "widgets/viewer/mask_renderer.h"

namespace autoqvis::widgets {

namespace {

FramePacketPtr makePacket(VideoSource& source, const FrameLoader::Video& video, int index) {
  auto packet = std::make_shared<FramePacket>();
  packet->index = index;
  QSize size(source.frameSize().width, source.frameSize().height);
  try {
    packet->image = toPaintableImage(source.frame(index));
    size = packet->image.size();
  } catch (const std::exception& e) {
    packet->error = QString::fromStdString(e.what());
  }
  packet->masks = renderMaskOverlays(video.tracks, video.colors, index, size);
  return packet;
}

}  // namespace

FrameLoader::FrameLoader(QObject* parent) : QObject(parent) {
  worker_ = std::thread([this] { workerLoop(); });
}

FrameLoader::~FrameLoader() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

void FrameLoader::setVideo(Video video) { restart(std::move(video)); }

void FrameLoader::clear() { restart(Video{}); }

void FrameLoader::restart(std::optional<Video> video) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    ++generation_;
    pending_video_ = std::move(video);
    held_.clear();
    frame_count_ = 0;
    target_ = 0;
  }
  cache_.clear();
  gui_frame_count_ = 0;
  wake_.notify_all();
}

void FrameLoader::setPlayhead(int frame) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    target_ = frame;
    for (auto it = cache_.begin(); it != cache_.end();) {
      if (inWindowLocked(it.key())) {
        ++it;
      } else {
        held_.erase(it.key());
        it = cache_.erase(it);
      }
    }
  }
  wake_.notify_all();
}

void FrameLoader::setWindow(int behind, int ahead, int64_t memory_budget_bytes) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    behind_ = std::max(0, behind);
    ahead_ = std::max(0, ahead);
    memory_budget_ = std::max<int64_t>(1, memory_budget_bytes);
  }
  setPlayhead(target_);
}

FramePacketPtr FrameLoader::packet(int frame) const { return cache_.value(frame); }

int FrameLoader::effectiveAheadLocked() const {
  if (frame_bytes_ <= 0) return ahead_;
  const int64_t affordable = memory_budget_ / frame_bytes_ - behind_ - 1;
  return static_cast<int>(std::clamp<int64_t>(affordable, std::min(ahead_, 2), ahead_));
}

bool FrameLoader::inWindowLocked(int frame) const {
  return frame >= target_ - behind_ && frame <= target_ + effectiveAheadLocked();
}

int FrameLoader::nextWantedLocked() const {
  if (frame_count_ <= 0 || target_ < 0 || target_ >= frame_count_) return -1;
  const int ahead = effectiveAheadLocked();
  for (int f = target_; f <= std::min(frame_count_ - 1, target_ + ahead); ++f) {
    if (!held_.count(f)) return f;
  }
  for (int f = target_ - 1; f >= std::max(0, target_ - behind_); --f) {
    if (!held_.count(f)) return f;
  }
  return -1;
}

void FrameLoader::workerLoop() {
  std::unique_ptr<VideoSource> source;
  Video video;
  uint64_t generation = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || pending_video_ || (source && nextWantedLocked() >= 0); });
    if (stop_) return;
    if (pending_video_) {
      openPending(lock, source, video, generation);
      continue;
    }
    const int index = nextWantedLocked();
    held_.insert(index);
    lock.unlock();
    FramePacketPtr packet = makePacket(*source, video, index);
    lock.lock();
    const uint64_t packet_generation = generation;
    QMetaObject::invokeMethod(
        this, [this, packet_generation, packet] { deliver(packet_generation, packet); },
        Qt::QueuedConnection);
  }
}

void FrameLoader::openPending(std::unique_lock<std::mutex>& lock, std::unique_ptr<VideoSource>& source,
                              Video& video, uint64_t& generation) {
  video = std::move(*pending_video_);
  pending_video_.reset();
  generation = generation_;
  source.reset();
  if (!video.open) return;
  lock.unlock();
  std::unique_ptr<VideoSource> fresh;
  QString error;
  try {
    fresh = video.open();
  } catch (const std::exception& e) {
    error = QString::fromStdString(e.what());
  }
  lock.lock();
  if (generation != generation_) return;  // superseded while opening
  const uint64_t opened_generation = generation;
  if (!fresh) {
    QMetaObject::invokeMethod(
        this,
        [this, opened_generation, error] {
          {
            std::lock_guard<std::mutex> guard(mutex_);
            if (opened_generation != generation_) return;
          }
          emit openFailed(error);
        },
        Qt::QueuedConnection);
    return;
  }
  source = std::move(fresh);
  frame_count_ = source->frameCount();
  const QSize size(source->frameSize().width, source->frameSize().height);
  frame_bytes_ = int64_t{4} * size.width() * size.height();
  const int frames = frame_count_;
  const double fps = source->fps();
  QMetaObject::invokeMethod(
      this,
      [this, opened_generation, frames, fps, size] {
        {
          std::lock_guard<std::mutex> guard(mutex_);
          if (opened_generation != generation_) return;
        }
        gui_frame_count_ = frames;
        emit opened(frames, fps, size);
      },
      Qt::QueuedConnection);
}

void FrameLoader::deliver(uint64_t generation, FramePacketPtr packet) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation != generation_) return;  // held_ was reset with the generation
    if (!inWindowLocked(packet->index)) {
      held_.erase(packet->index);  // the playhead moved away meanwhile; decode again if it returns
      wake_.notify_all();
      return;
    }
  }
  cache_.insert(packet->index, packet);
  emit packetReady(packet->index);
}

}  // namespace autoqvis::widgets
