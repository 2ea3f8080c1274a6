// Writes a whole toy world to disk in the documented layout (DataOptions' defaults): stills + COCO
// pseudo-masks, unlabeled videos + YouTube-VIS JSON, validation videos with ground truth. A controller:
// progress, stop token.
#pragma once

#include <filesystem>
#include <string>

#include "core/config/toy_world_options.h"
#include "core/toyworld/toy_world.h"
#include "core/util/controller.h"

namespace autoqvis {

/// What a generated world contains, for logs, the GUI and sanity checks.
struct ToyWorldStats {
  int images = 0;
  int objects = 0;       ///< true objects over all stills
  int pseudo_masks = 0;  ///< pseudo-masks written (including merged and spurious ones)
  int missed = 0;        ///< objects without a pseudo-mask
  int merged = 0;        ///< pseudo-masks covering two objects
  int eroded = 0;
  int dilated = 0;
  int spurious = 0;  ///< pseudo-masks on background only
  int videos = 0;    ///< unlabeled and validation videos together
  int val_videos = 0;
  int frames = 0;
  int tracks = 0;            ///< tracks visible in at least one frame (those in the ground truth)
  int instance_frames = 0;   ///< (track, frame) pairs with a mask
  int occlusion_events = 0;  ///< see occlusionEvents()
  int objects_leaving = 0;   ///< tracks that leave the frame (see leavesFrame())
  int objects_entering = 0;  ///< tracks that enter the frame

  void addStill(const ToyStill& still);
  void addVideo(const ToyVideo& video, int min_visible_px);
  /// A few lines for the log.
  std::string summary() const;
};

class ToyWorldWriter : public Controller {
 public:
  ToyWorldWriter(ToyWorldOptions options, std::filesystem::path root);

  /// Writes every image and frame, then the JSON files last: they are the "commit", so an interrupted run
  /// never leaves JSON that points to missing images. Throws StoppedError when stopped, Error on I/O
  /// failures.
  void run() override;
  const ToyWorldStats& stats() const { return stats_; }
  const std::filesystem::path& root() const { return root_; }

 private:
  struct Datasets;
  void writeStills(Datasets* out);
  void writeVideos(ToySplit split, Datasets* out);
  void writeJson(const Datasets& data);

  ToyWorldOptions options_;
  std::filesystem::path root_;
  ToyWorldStats stats_;
};

}  // namespace autoqvis
