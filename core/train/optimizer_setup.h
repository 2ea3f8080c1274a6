// The optimiser of the reference trainer (method.md §4.1): AdamW with one parameter group per parameter,
// the backbone at a tenth of the LR, no weight decay on normalisation layers and embeddings, frozen
// parameters left out; and detectron2's WarmupMultiStepLR as a factor per iteration.
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/adamw.h>

#include <memory>
#include <string>
#include <vector>

#include "core/config/train_options.h"

namespace autoqvis {

struct ParameterGroupInfo {
  std::string name;
  double base_lr = 0;
  double weight_decay = 0;
};

/// AdamW over the trainable parameters of `model`, one group each, in named_parameters() order.
/// `groups` receives each group's name and base LR (the schedule scales base LRs).
std::unique_ptr<torch::optim::AdamW> makeAdamW(torch::nn::Module& model, const TrainOptions& options,
                                               std::vector<ParameterGroupInfo>* groups = nullptr);

/// detectron2 WarmupMultiStepLR's factor at `iteration`: linear warm-up from warmup_factor to 1 over
/// warmup_iters, times lr_gamma for every step <= iteration (a negative step counts from max_iter).
double learningRateFactor(const TrainOptions& options, int64_t iteration);

/// Sets every group's LR to its base LR times `factor`.
void applyLearningRate(torch::optim::AdamW& optimizer, const std::vector<ParameterGroupInfo>& groups, double factor);

}  // namespace autoqvis
