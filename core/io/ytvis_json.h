// YouTube-VIS datasets and result lists in memory, read from and written to the official JSON layout.
// Masks stay compressed (CompressedRle) in memory; uncompressed ground-truth counts are compressed
// on load. Every structural problem is reported as an Error naming the file, video, annotation and frame.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/io/rle.h"

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

/// Reads a dataset (videos, categories, optional annotations) and validates it. `source` names the
/// file in error messages when parsing from memory.
YtvisDataset loadYtvisDataset(const std::filesystem::path& path);
YtvisDataset parseYtvisDataset(std::string text, const std::string& source);
/// Writes atomically. Annotations without masks are written with null entries.
void saveYtvisDataset(const YtvisDataset& dataset, const std::filesystem::path& path);
std::string ytvisDatasetToJson(const YtvisDataset& dataset, int indent = -1);

/// How results are checked against the dataset's videos.
enum class ResultsCheck {
  Strict,    ///< a wrong frame count or mask size is an Error (our own files, pseudo-labels)
  Official,  ///< as the official evaluator: those are tolerated (it compares the common frames) and logged
};

/// Reads a results list ([{video_id, score, category_id, segmentations, ...}]). With `dataset`, each
/// entry must refer to a known video and is checked against it as `check` says.
std::vector<YtvisTrack> loadYtvisResults(const std::filesystem::path& path, const YtvisDataset* dataset = nullptr,
                                         ResultsCheck check = ResultsCheck::Strict);
std::vector<YtvisTrack> parseYtvisResults(std::string text, const std::string& source,
                                          const YtvisDataset* dataset = nullptr,
                                          ResultsCheck check = ResultsCheck::Strict);
void saveYtvisResults(const std::vector<YtvisTrack>& results, const std::filesystem::path& path);

/// Checks every annotation against its video: known video id, one entry per frame in every per-frame
/// list, mask size equal to the video size, valid RLE. Throws the first problem found.
void validateYtvisDataset(const YtvisDataset& dataset, const std::string& source);

}  // namespace autoqvis
