// The YouTube-VIS dataset types in memory: videos, categories and instance tracks (ground truth, results
// and pseudo-labels alike) with per-frame masks. Masks stay compressed (CompressedRle).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/dataset/rle.h"

namespace autoqvis {

struct YtvisVideo {
  int64_t id = 0;
  int width = 0;
  int height = 0;
  std::vector<std::string> file_names;  ///< one per frame, relative to the frame root (or absolute)
  int length() const { return static_cast<int>(file_names.size()); }
};

struct YtvisCategory {
  int64_t id = 1;
  std::string name = "object";
  std::string supercategory = "object";
};

/// One instance track: a ground-truth annotation, a prediction in a results list, or a pseudo-label.
/// All per-frame vectors have one entry per frame of the video; std::nullopt is JSON null (absent).
struct YtvisTrack {
  int64_t id = 0;  ///< annotation id (> 0 in datasets); results lists have none (0)
  int64_t video_id = 0;
  int64_t category_id = 1;
  int iscrowd = 0;
  std::optional<double> score;  ///< results only: the video-level confidence
  std::vector<std::optional<CompressedRle>> segmentations;
  std::vector<std::optional<double>> areas;
  std::vector<std::optional<BoxXYWH>> bboxes;
  /// Extra per-frame numbers written next to the standard fields, e.g. "pred_iou", "quality".
  std::map<std::string, std::vector<std::optional<double>>> frame_values;

  int numFrames() const { return static_cast<int>(segmentations.size()); }
  /// Frames where the track has a mask.
  int numPresentFrames() const;
  /// Fills areas and bboxes from the segmentations (decoding the runs, not the pixels).
  void computeAreasAndBoxes();
};

struct YtvisDataset {
  std::vector<YtvisVideo> videos;
  std::vector<YtvisTrack> annotations;
  std::vector<YtvisCategory> categories;

  /// Index of the video with this id, or -1. Uses the id index when it is current and falls back to
  /// a scan otherwise, so lookups never modify the dataset (safe from several threads). Call
  /// reindex() after editing `videos` to keep lookups fast.
  int videoIndex(int64_t id) const;
  const YtvisVideo* findVideo(int64_t id) const;
  void reindex();

 private:
  std::unordered_map<int64_t, int> video_index_;
};

}  // namespace autoqvis
