// detectron2's Conv2d wrapper: a convolution that owns its norm layer as the child "norm", so the
// checkpoint names read "conv1.weight" and "conv1.norm.running_mean". The norm is FrozenBN, GroupNorm
// or none; an optional ReLU follows.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include "core/model/frozen_batch_norm.h"

namespace autoqvis {

enum class NormKind { None, FrozenBN, GroupNorm32 };

struct Conv2dNormOptions {
  int64_t in_channels = 0;
  int64_t out_channels = 0;
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t padding = 0;
  bool bias = false;
  NormKind norm = NormKind::None;
  bool relu = false;  ///< ReLU after the norm (detectron2's `activation=F.relu`)
};

class Conv2dNormImpl : public torch::nn::Module {
 public:
  explicit Conv2dNormImpl(const Conv2dNormOptions& options);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  Conv2dNormOptions options_;
  torch::Tensor weight_, bias_;
  FrozenBatchNorm2d frozen_bn_{nullptr};
  torch::nn::GroupNorm group_norm_{nullptr};
};
TORCH_MODULE(Conv2dNorm);

}  // namespace autoqvis
