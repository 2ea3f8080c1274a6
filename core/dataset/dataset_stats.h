// Summary statistics of a YouTube-VIS dataset or a COCO image set, for `autoqvis info` and the GUI:
// sizes, track lengths, instance-frames, COCO small/medium/large mask areas.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/dataset/coco_json.h"
#include "core/dataset/ytvis_json.h"

namespace autoqvis {

struct DatasetStats {
  int64_t videos = 0;          ///< videos (or images for a COCO set)
  int64_t frames = 0;          ///< frames over all videos
  int64_t tracks = 0;          ///< annotations (instance tracks)
  int64_t instance_frames = 0; ///< (track, frame) pairs with a mask
  int64_t empty_masks = 0;     ///< present masks with zero area
  int64_t small = 0, medium = 0, large = 0;  ///< masks by area: < 32^2, < 96^2, the rest (COCO)
  int64_t min_track_frames = 0, max_track_frames = 0;
  double mean_track_frames = 0;       ///< frames with a mask per track
  double mean_tracks_per_video = 0;
  int64_t videos_without_tracks = 0;
  int64_t min_length = 0, max_length = 0;    ///< video lengths in frames
  std::map<std::string, int64_t> resolutions; ///< "WxH" -> number of videos
};

DatasetStats computeStats(const YtvisDataset& dataset);
DatasetStats computeStats(const CocoDataset& dataset);
/// Human-readable multi-line text.
std::string formatStats(const DatasetStats& stats, const std::string& title);
/// One JSON object (for --json and scripts).
std::string statsToJson(const DatasetStats& stats);

}  // namespace autoqvis
