// The toy VideoCutLER recipe: the role of VideoCutLER's checkpoint in the embedded world. From a config
// (the `toy-videocutler` preset), it writes the toy world, trains the VIS model on the stills' synthetic
// videos only (stage "initial" without a quality head), evaluates it on the validation videos and writes
//
//   OUT/data/                       the toy world it learned from
//   OUT/train/                      the training run (metrics.jsonl, checkpoints/, model_final.pth/.pt)
//   OUT/toy_videocutler_r50.pth     the model, detectron2 format (what the demo's stage 1 loads)
//   OUT/toy_videocutler_r50.json    its sidecar: config, seed, iterations, wall time, machine, sha256,
//                                   validation AP
//
// A rerun continues: a finished world is rewritten (deterministic, seconds), an interrupted training
// resumes from its last checkpoint, a finished one is evaluated again.
#pragma once

#include <filesystem>

#include "core/config/config.h"
#include "core/util/controller.h"

#include <nlohmann/json.hpp>

namespace autoqvis {

struct BaseModelFiles {
  std::filesystem::path out;
  std::filesystem::path data() const { return out / "data"; }
  std::filesystem::path train() const { return out / "train"; }
  std::filesystem::path weights() const { return out / "toy_videocutler_r50.pth"; }
  std::filesystem::path sidecar() const { return out / "toy_videocutler_r50.json"; }
};

class BaseModelRecipe : public Controller {
 public:
  /// config.data.root is replaced by OUT/data.
  BaseModelRecipe(Config config, std::filesystem::path out);
  void run() override;
  /// The sidecar written by run().
  const nlohmann::json& sidecar() const { return sidecar_; }

 private:
  double train();
  nlohmann::json evaluate();

  Config config_;
  BaseModelFiles files_;
  nlohmann::json sidecar_;
};

/// "CPU model name, N hardware threads, LibTorch V, BLAS ..." (or the CUDA device): where a number was measured.
std::string describeMachine();

}  // namespace autoqvis
