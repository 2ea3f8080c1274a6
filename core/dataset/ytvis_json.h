// YouTube-VIS datasets and result lists read from and written to the official JSON layout (the types
// are in ytvis_dataset.h). Uncompressed ground-truth counts are compressed on load. Every structural
// problem is reported as an Error naming the file, video, annotation and frame.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/dataset/ytvis_dataset.h"

namespace autoqvis {

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
