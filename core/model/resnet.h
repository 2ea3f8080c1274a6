// The detectron2 ResNet backbone (FrozenBN, torchvision-style stride in the 3x3 by default): stem and
// stages res2..res5 with parameter names exactly as in detectron2 checkpoints ("stem.conv1.weight",
// "res3.0.shortcut.norm.running_var", ...). Depth 18/34 use basic blocks, 50/101 bottlenecks.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include "core/config/model_options.h"
#include "core/model/conv2d_norm.h"

namespace autoqvis {

/// The four feature maps (strides 4, 8, 16, 32).
struct BackboneFeatures {
  torch::Tensor res2, res3, res4, res5;
};

class BasicStemImpl : public torch::nn::Module {
 public:
  BasicStemImpl(int64_t in_channels, int64_t out_channels);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  Conv2dNorm conv1_{nullptr};
};
TORCH_MODULE(BasicStem);

/// One residual block; `bottleneck_channels` == 0 makes it a basic block (two 3x3 convs).
class ResidualBlockImpl : public torch::nn::Module {
 public:
  ResidualBlockImpl(int64_t in_channels, int64_t out_channels, int64_t bottleneck_channels, int64_t stride,
                    bool stride_in_1x1);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  Conv2dNorm conv1_{nullptr}, conv2_{nullptr}, conv3_{nullptr}, shortcut_{nullptr};
};
TORCH_MODULE(ResidualBlock);

class ResNetImpl : public torch::nn::Module {
 public:
  /// Sizes come from `options` (resnet_depth, stem/res2 channels, width_per_group, stride_in_1x1).
  explicit ResNetImpl(const ModelOptions& options);
  BackboneFeatures forward(const torch::Tensor& images);
  /// Output channels of res2..res5.
  std::array<int64_t, 4> outChannels() const { return out_channels_; }

 private:
  BasicStem stem_{nullptr};
  std::array<torch::nn::ModuleList, 4> stages_;
  std::array<int64_t, 4> out_channels_{};
};
TORCH_MODULE(ResNet);

}  // namespace autoqvis
