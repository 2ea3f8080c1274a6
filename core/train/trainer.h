// The training controller (architecture.md): trains the VIS model (and, in stage 1, the quality head) on
// batches from the clip loader with the set criterion, AdamW and the reference schedule, on CPU or CUDA
// (autocast + loss scaling there). Per logged iteration it reports every loss term, the LR, iteration and
// data time through a callback and appends them to <workdir>/metrics.jsonl. It honours the stop token
// within one iteration, checkpoints every N iterations and when stopped, and resumes exactly.
// Data-parallel runs plug in through the two reduction hooks; only the main process writes files.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/config/augmentation_options.h"
#include "core/config/model_options.h"
#include "core/config/train_options.h"
#include "core/data/training_sources.h"
#include "core/model/video_mask_former.h"
#include "core/util/controller.h"

namespace autoqvis {

struct TrainerSetup {
  TrainOptions train;
  AugmentationOptions augmentation;
  ModelOptions model;
  /// One source (stage 1: synthetic) or two (rounds: pseudo-labels first, then synthetic).
  std::vector<std::shared_ptr<const ClipSource>> sources;
  std::filesystem::path workdir;
  std::filesystem::path init_weights;  ///< empty: random initialisation
  bool resume = false;                 ///< continue from the last checkpoint in workdir
  std::string device = "auto";
  uint64_t seed = 1;
  // Data-parallel hooks (identity / no-op for one process). `train.batch_size` is then per process.
  bool is_main = true;
  int rank = 0;
  int local_rank = -1;  ///< CUDA device index of this process (-1: the default device)
  std::function<void(const std::vector<torch::Tensor>&)> all_reduce_gradients;
  std::function<void(const std::vector<torch::Tensor>&)> broadcast_parameters;  ///< from rank 0, at start
  std::function<double(double)> reduce_num_masks;
};

class Trainer : public Controller {
 public:
  explicit Trainer(TrainerSetup setup);
  ~Trainer() override;
  void run() override;
  /// The model (after run(): the trained one, on the training device).
  VideoMaskFormer model() const { return model_; }
  int64_t iteration() const { return iteration_; }

 private:
  struct Run;
  TrainerSetup setup_;
  VideoMaskFormer model_{nullptr};
  int64_t iteration_ = 0;
};

}  // namespace autoqvis
