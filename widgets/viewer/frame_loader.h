// Keeps the frames around the playhead ready to paint. One worker thread opens the video, decodes
// frames in playhead order (the playhead first, then ahead, then a few behind) and renders their
// masks into FramePackets; the GUI thread only asks for packets and is told when one arrives. It
// never decodes and never waits: a request for a frame that is not ready returns null at once.
//
// Stale work is dropped: a new video or a far seek bumps a generation, packets of an older
// generation or outside the window around the playhead are discarded on arrival.
#pragma once

#include <QColor>
#include <QHash>
#include <QObject>
#include <QSize>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "core/video/video_source.h"
#include "core/dataset/ytvis_json.h"
#include "widgets/viewer/frame_packet.h"

namespace autoqvis::widgets {

class FrameLoader : public QObject {
  Q_OBJECT

 public:
  /// What to load: how to open the frames and which masks to draw on them.
  struct Video {
    std::function<std::unique_ptr<VideoSource>()> open;  ///< runs on the worker thread
    std::vector<const YtvisTrack*> tracks;               ///< masks to draw; must outlive the video
    std::vector<QColor> colors;                          ///< one per track
    std::shared_ptr<const void> keep_alive;              ///< owner of what `tracks` point to
  };

  explicit FrameLoader(QObject* parent = nullptr);
  /// Stops the worker; a frame being decoded is finished and thrown away.
  ~FrameLoader() override;

  /// Drops every packet and starts loading `video` (opened() or openFailed() follows).
  void setVideo(Video video);
  /// Drops every packet and unloads the video.
  void clear();
  /// Moves the window of wanted frames; packets outside it are released.
  void setPlayhead(int frame);
  /// Frames kept behind and decoded ahead of the playhead. `ahead` is lowered for large frames so
  /// that the window stays within `memory_budget_bytes`.
  void setWindow(int behind, int ahead, int64_t memory_budget_bytes = int64_t{384} << 20);

  /// The packet of `frame` if it is ready, else null.
  FramePacketPtr packet(int frame) const;
  int cachedCount() const { return static_cast<int>(cache_.size()); }
  /// Frames of the loaded video (0 until opened()).
  int frameCount() const { return gui_frame_count_; }

 signals:
  void opened(int frame_count, double fps, QSize frame_size);
  void openFailed(const QString& message);
  void packetReady(int frame);

 private:
  void workerLoop();
  void openPending(std::unique_lock<std::mutex>& lock, std::unique_ptr<VideoSource>& source, Video& video,
                   uint64_t& generation);
  int nextWantedLocked() const;
  bool inWindowLocked(int frame) const;
  int effectiveAheadLocked() const;
  void deliver(uint64_t generation, FramePacketPtr packet);
  void restart(std::optional<Video> video);

  // Shared with the worker, guarded by mutex_.
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  uint64_t generation_ = 0;
  std::optional<Video> pending_video_;
  int target_ = 0;
  int behind_ = 6;
  int ahead_ = 48;
  int64_t memory_budget_ = int64_t{384} << 20;
  int frame_count_ = 0;  // of the open source; 0 while none is open
  int64_t frame_bytes_ = 0;
  std::set<int> held_;  // delivered (in cache_) or being decoded, this generation

  // GUI thread only.
  QHash<int, FramePacketPtr> cache_;
  int gui_frame_count_ = 0;

  std::thread worker_;
};

}  // namespace autoqvis::widgets
