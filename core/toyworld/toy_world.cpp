// What stills and videos share: option checks, names, and the event definitions the statistics and tests use.
#include "core/toyworld/toy_world.h"

#include <cstdio>

#include "core/util/error.h"

namespace autoqvis {
namespace {

void require(bool ok, const std::string& key, const std::string& message) {
  if (ok) return;
  ErrorContext context;
  context.key = "toy_world." + key;
  throw Error(message, context);
}

bool mostlyInside(const ToyTrack& track, size_t frame) {
  return track.full_areas[frame] > 0 && 2 * track.unoccluded_areas[frame] >= track.full_areas[frame];
}

// Whether the track is mostly inside (want_inside) at some frame and the opposite at a later one.
bool crossesBorder(const ToyTrack& track, bool inside_first) {
  bool seen_first = false;
  for (size_t f = 0; f < track.full_areas.size(); ++f) {
    const bool inside = mostlyInside(track, f);
    if (inside == inside_first)
      seen_first = true;
    else if (seen_first)
      return true;
  }
  return false;
}

}  // namespace

bool ToyTrack::visible() const {
  for (const cv::Mat& mask : masks) {
    if (!mask.empty()) return true;
  }
  return false;
}

void checkToyWorldOptions(const ToyWorldOptions& o) {
  require(o.min_objects_per_image >= 1, "min_objects_per_image", "must be at least 1");
  require(o.min_objects_per_image <= o.max_objects_per_image, "max_objects_per_image",
          "must be >= toy_world.min_objects_per_image");
  require(o.min_objects_per_video >= 1, "min_objects_per_video", "must be at least 1");
  require(o.min_objects_per_video <= o.max_objects_per_video, "max_objects_per_video",
          "must be >= toy_world.min_objects_per_video");
  require(o.max_objects_per_image <= 255 && o.max_objects_per_video <= 255, "max_objects_per_video",
          "at most 255 objects fit the 8-bit id maps");
  require(o.image_width >= 16 && o.image_height >= 16, "image_width", "stills must be at least 16x16");
  require(o.video_width >= 16 && o.video_height >= 16, "video_width", "videos must be at least 16x16");
  require(o.video_frames >= 2, "video_frames", "videos need at least 2 frames");
  require(o.pseudo_boundary_max_px >= 1, "pseudo_boundary_max_px", "must be at least 1");
  require(o.num_images >= 0 && o.num_unlabeled_videos >= 0 && o.num_val_videos >= 0, "num_images",
          "counts cannot be negative");
}

std::string toyVideoName(ToySplit split, int index) {
  char name[32];
  std::snprintf(name, sizeof(name), "%s_%04d", split == ToySplit::Unlabeled ? "toy" : "val", index + 1);
  return name;
}

int occlusionEvents(const ToyTrack& track, int min_visible_px, double occluded_fraction) {
  int events = 0;
  bool was_occluded = false;
  for (size_t f = 0; f < track.unoccluded_areas.size(); ++f) {
    const int in_frame = track.unoccluded_areas[f];
    const bool occluded =
        in_frame >= min_visible_px && track.visible_areas[f] < (1.0 - occluded_fraction) * in_frame;
    if (occluded && !was_occluded) ++events;
    was_occluded = occluded;
  }
  return events;
}

bool leavesFrame(const ToyTrack& track) { return crossesBorder(track, true); }
bool entersFrame(const ToyTrack& track) { return crossesBorder(track, false); }

}  // namespace autoqvis
