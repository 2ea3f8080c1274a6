// The files of one stage folder (a workspace's initial/, round-1/, ... or a `train --workdir`). The one
// place that spells their names: the trainer, the prediction and selection steps, the CLI, the GUI and
// the tests all ask this struct.
#pragma once

#include <filesystem>

namespace autoqvis {

struct StageFiles {
  std::filesystem::path dir;

  std::filesystem::path weightsPth() const { return dir / "model_final.pth"; }  ///< detectron2 format
  std::filesystem::path weightsPt() const { return dir / "model_final.pt"; }    ///< native, with options
  std::filesystem::path metrics() const { return dir / "metrics.jsonl"; }       ///< one line per logged iteration
  std::filesystem::path checkpoints() const { return dir / "checkpoints"; }
  std::filesystem::path predictions() const { return dir / "predictions.json"; }  ///< on the unlabeled videos
  std::filesystem::path pseudoLabels() const { return dir / "pseudo_labels.json"; }
  /// The official round state, object_based_results_<round>.json.
  std::filesystem::path roundState() const { return dir / "round_state.json"; }
  std::filesystem::path selection() const { return dir / "selection.json"; }  ///< tau and overrides
  std::filesystem::path valResults() const { return dir / "val_results.json"; }  ///< predictions on val
  std::filesystem::path evaluation() const { return dir / "eval.json"; }          ///< AP/AR on val
  /// initial only: AP/AR on val of the weights stage 1 started from (data.initial_weights)
  std::filesystem::path baseEvaluation() const { return dir / "base_eval.json"; }
};

}  // namespace autoqvis
