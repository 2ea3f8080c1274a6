// The batch pseudo-label step of one self-training round: SelectionIndex::build, evaluate at one
// tau, then materialisation into the round state (the next round's input) and the YouTube-VIS
// pseudo-label dataset (the training set of the next round).
//
// The pseudo-label dataset has the official layout (build_total_info: "info": "", the fixed video
// fields, one annotation per state object with ids from 1, category 1) with file names relative to
// the dataset's frame root, and five extra per-frame lists on each annotation:
//   score (video-level confidence), pred_iou, quality (Q = pred_iou x score), round (the round that
//   predicted the label), source ("auto": the rule decided it; "user": a person did).
// Labels carried over from an official state file have null score, pred_iou and round.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/config/selftrain_options.h"
#include "core/selftrain/round_state.h"
#include "core/selftrain/selection_index.h"

namespace autoqvis {

/// The selection options of a configuration (tau = selftrain.quality_threshold, round 0).
SelectionOptions selectionOptionsFor(const SelfTrainOptions& options);

struct PseudoLabelRound {
  SelectionResult selection;
  RoundState state;
  std::string pseudo_labels_json;
};

/// The state entry of `slot` at `frame` as the selection at result.tau leaves it.
StateEntry materializeEntry(const SelectionIndex& index, const SelectionResult& result, uint32_t slot, int frame);
/// The merged state (before the frame filter, as the official code writes it).
RoundState materializeState(const SelectionIndex& index, const SelectionResult& result);
/// The pseudo-label dataset JSON: accepted videos, their kept frames, one annotation per object.
std::string pseudoLabelsToJson(const SelectionIndex& index, const SelectionResult& result, int indent = -1);

/// One round at options.tau with `overrides` (errors name `overrides_source`).
PseudoLabelRound selectPseudoLabels(const SelectionInputs& inputs, const SelectionOptions& options,
                                    const std::vector<Override>& overrides = {},
                                    const std::string& overrides_source = "");

/// Writes both files atomically (each one is complete or untouched).
void savePseudoLabelRound(const PseudoLabelRound& round, const std::filesystem::path& pseudo_labels_path,
                          const std::filesystem::path& state_path);

}  // namespace autoqvis
