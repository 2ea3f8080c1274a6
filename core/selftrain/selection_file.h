// The selection file of a round (`selection.json`, beside the round's state): the quality threshold
// tau and the decisions a person made on top of the automatic selection.
//
//   {"format": "autoqvis-selection", "version": 1,
//    "round": 1,                       // the round these decisions belong to
//    "tau": 0.75,                      // in [0, 1]
//    "tau_source": "user",             // "user": a person chose tau; "config": the run wrote
//                                      //   selftrain.quality_threshold (follows a later change of it)
//    "overrides": [
//      {"video_id": 3,
//       "target": "prediction",        // "prediction": this round's object id (index among the round's
//                                      //   predictions kept by NMS and the score filter, as the
//                                      //   official state numbers a new video's objects);
//                                      // "state": an object id of the previous round's state
//       "object_id": 2,
//       "frame": 5,                    // optional: a frame index; absent = the whole object
//       "decision": "reject",          // "accept" or "reject"
//       "user": "anna", "time": "2025-05-01T10:00:00Z", "round": 1,
//       "replaced": "accepted"}]}      // the automatic decision it overrode, for the record
//
// Meaning: rejecting an object removes it (a prediction never enters the state; a previous state's
// object is dropped before the merge). Rejecting a frame-label unmarks it, so the frame filter drops
// that frame as it does for a low Q. Accepting a frame-label marks it (it then also counts towards
// the object filter's min_frames). Accepting an object keeps it past the object filter; its frames
// keep their own marks. A later override of the same target replaces an earlier one. The decisions
// reach the next round through the state: a frame's `marked` and its `user_decision` are written there.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/selftrain/round_state.h"
#include "core/util/error.h"

namespace autoqvis {

enum class OverrideTarget { Prediction, PreviousState };

struct Override {
  int64_t video_id = 0;
  OverrideTarget target = OverrideTarget::Prediction;
  int64_t object_id = 0;
  std::optional<int> frame;  ///< nullopt: the whole object
  UserDecision decision;
};

struct SelectionFile {
  int round = 0;
  double tau = 0.75;
  bool tau_from_config = false;  ///< written by the run from the config, not chosen by a person
  std::vector<Override> overrides;
};

/// Throws Error naming `source` and the field for malformed files and tau outside [0, 1].
SelectionFile parseSelectionFile(const std::string& text, const std::string& source);
SelectionFile loadSelectionFile(const std::filesystem::path& path);
std::string selectionFileToJson(const SelectionFile& file);
void saveSelectionFile(const SelectionFile& file, const std::filesystem::path& path);

/// The check every tau goes through (the selection file, options, the CLI).
void checkTau(double tau, const ErrorContext& context);

}  // namespace autoqvis
