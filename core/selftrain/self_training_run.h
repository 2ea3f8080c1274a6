// The self-training controller: runs a workspace's remaining stages, step by step, recording each
// finished step so that a killed run resumes at the first unfinished one (method.md §4.5, §7).
//
//   initial  trained    stage 1 on the synthetic videos (resumes from its last checkpoint)
//            evaluated  the model on the validation videos: val_results.json, eval.json; and the weights
//                       it started from (data.initial_weights): base_eval.json, the "base" row
//   round-r  predicted  the previous stage's model on the unlabeled videos: predictions.json
//            selected   pseudo-labels at the selection file's tau and overrides (selection.json; written
//                       with selftrain.quality_threshold when absent), merged into the previous
//                       round's state: pseudo_labels.json, round_state.json (official round r-1);
//                       selftrain.label_source changes what selects them (Q, s alone, the true IoU) or
//                       takes the unlabeled videos' ground truth instead (the ablations' limits)
//            trained    from the initial weights (selftrain.reset_weights; else the previous stage's),
//                       a new optimiser and schedule, round_training.max_iter iterations, each batch
//                       from the pseudo-labels with p = round_training.pseudo_label_prob, else synthetic
//            evaluated  as for initial; then the best round by validation AP50 becomes the
//                       workspace's model_best (.pt + .pth), as the official code keeps model_best
//   final    predicted, selected: the last round's model labels the videos once more, merged into
//                       the last round's state: the set a user exports
//
// With selftrain.review_before_training a round pauses after `selected` while its selection.json was
// written from the config ("tau_source": "config"): the run ends finished and awaitingReview() names
// the round; once a person commits the selection ("tau_source": "user"), the next run trains on it.
//
// Data-parallel runs give every process the same controller with ParallelHooks: prediction is sharded
// over the processes (each on its local GPU when on CUDA) and gathered by rank 0, training is
// data-parallel, and rank 0 alone selects, evaluates and writes the workspace state.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/dataset/ytvis_dataset.h"
#include "core/eval/ytvis_metrics.h"
#include "core/infer/predictor_loading.h"
#include "core/selftrain/workspace.h"
#include "core/train/trainer.h"
#include "core/util/controller.h"

namespace autoqvis {

struct ParallelHooks {
  int rank = 0;
  int world_size = 1;
  int local_rank = 0;                                 ///< this process on its machine: its CUDA device
  std::function<void()> barrier;                      ///< every process waits for the others
  std::function<void(TrainerSetup&)> join_training;   ///< makes a trainer setup data-parallel
  bool isMain() const { return rank == 0; }
};

struct SelfTrainingOptions {
  std::optional<std::string> until;  ///< the last stage to run (inclusive); nullopt: all
  ParallelHooks parallel;
};

class SelfTrainingRun : public Controller {
 public:
  /// `workspace` must outlive the run; its state is updated as steps finish.
  explicit SelfTrainingRun(Workspace& workspace, SelfTrainingOptions options = {});
  void run() override;

  /// The stage and step running now (empty before the first and after the last).
  const std::string& currentStage() const { return stage_; }
  const std::string& currentStep() const { return step_; }
  /// The round whose pseudo-labels wait for a person's review (the run ended there); empty otherwise.
  const std::string& awaitingReview() const { return awaiting_review_; }

 private:
  /// False when the stage paused for review.
  bool runStage(const std::string& stage);
  bool pausesForReview(const std::string& stage) const;
  void runStep(const std::string& stage, const std::string& step);
  nlohmann::json predict(const std::string& stage);
  nlohmann::json select(const std::string& stage);
  nlohmann::json selectGroundTruth(const std::string& stage);
  nlohmann::json train(const std::string& stage);
  nlohmann::json evaluate(const std::string& stage);
  /// Predicts the validation videos with `weights` (results saved to `results_file` unless empty).
  YtvisMetrics evaluateWeights(const std::filesystem::path& weights, const YtvisDataset& val, const std::string& stage,
                               const std::filesystem::path& results_file);
  void keepBestModel();
  LoadedModel loadModel(const std::filesystem::path& weights) const;
  void barrier() const;

  Workspace& workspace_;
  SelfTrainingOptions options_;
  std::string stage_, step_;
  std::string awaiting_review_;
};

/// The workspace's best stage by validation AP50 and its weights (written by the run).
struct BestModelFiles {
  std::filesystem::path record;   ///< best.json: {"stage": ..., "AP50": ...}
  std::filesystem::path weights_pt;
  std::filesystem::path weights_pth;
};
BestModelFiles bestModelFiles(const Workspace& workspace);

}  // namespace autoqvis
