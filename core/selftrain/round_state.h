// The self-training round state: the official AutoQ-VIS `object_based_results_<round>.json`,
//   {video_id: {object_id: {frame_id: {video_id, file_name, height, width,
//                                      anno_info: {segmentation, area, bbox}, metric, marked}}}}
// with string keys (json.dump of int keys). Round r merges its new objects into the state of round
// r - 1 (method.md §7e, fixtures/selftrain/README.md rules 9-12 and 15).
//
// The reader accepts the official files as written (absolute file names, string keys) and ignores
// unknown fields; it checks the state against the dataset of the round (every video, frame count,
// size and frame file must agree), so a state of another dataset is an Error, not a silent mix.
// In memory every file name is the dataset's own (relative to its frame root).
//
// Our writer adds optional per-entry fields the official files lack ("score", "pred_iou", "round",
// "source" and "user_decision"); the official reader and compare.py ignore them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/dataset/rle.h"
#include "core/dataset/ytvis_json.h"

namespace autoqvis {

enum class Decision { Accept, Reject };
const char* decisionName(Decision decision);  ///< "accept" / "reject"

/// A person's decision on an object or a frame-label, with its provenance.
struct UserDecision {
  Decision decision = Decision::Accept;
  std::string user;
  std::string time;      ///< as written (ISO 8601 recommended)
  int round = 0;         ///< the self-training round it was made in
  std::string replaced;  ///< the automatic decision it replaced ("accepted" / "rejected"), for the record
};

/// One (object, frame) entry.
struct StateEntry {
  std::string file_name;                     ///< the dataset's name of the frame
  int height = 0;
  int width = 0;
  std::optional<CompressedRle> segmentation;  ///< canonical maskApi string; nullopt = empty frame
  std::optional<int64_t> area;               ///< null exactly when the segmentation is
  std::optional<BoxXYWH> bbox;
  double metric = 0.0;                       ///< Q = pred_iou x score in float64
  bool marked = false;                       ///< empty, Q >= tau, or a user's accept
  // Ours (absent from official files):
  std::optional<double> score;
  std::optional<double> pred_iou;
  std::optional<int> round;                  ///< round whose prediction this entry is
  std::optional<UserDecision> user_decision; ///< set when a person decided this label (or its object)

  bool empty() const { return !segmentation.has_value(); }
};

struct StateObject {
  int64_t id = 0;
  std::vector<StateEntry> frames;  ///< frames[f] is frame f; every frame of the video is present
};

struct StateVideo {
  int64_t id = 0;
  std::vector<StateObject> objects;  ///< in file order (ascending id in the official code)
};

struct RoundState {
  std::vector<StateVideo> videos;  ///< in file order: it decides the order of later rounds' files

  size_t numObjects() const;
  size_t numEntries() const;
};

/// Reads and checks a state against `dataset`; errors name `source`, the video, object and frame.
RoundState parseRoundState(const std::string& text, const std::string& source, const YtvisDataset& dataset);
RoundState loadRoundState(const std::filesystem::path& path, const YtvisDataset& dataset);

/// The official layout (keys as strings, file names as in memory), compact unless indent >= 0.
std::string roundStateToJson(const RoundState& state, int64_t indent = -1);
/// Writes atomically.
void saveRoundState(const RoundState& state, const std::filesystem::path& path);

}  // namespace autoqvis
