#include "core/model/conv2d_norm.h"

#include <torch/torch.h>

namespace autoqvis {

Conv2dNormImpl::Conv2dNormImpl(const Conv2dNormOptions& options) : options_(options) {
  weight_ = register_parameter(
      "weight", torch::empty({options.out_channels, options.in_channels, options.kernel, options.kernel}));
  // c2_msra_fill, as detectron2 initialises its convolutions: kaiming normal, fan_out, ReLU gain.
  torch::nn::init::kaiming_normal_(weight_, 0.0, torch::kFanOut, torch::kReLU);
  if (options.bias) bias_ = register_parameter("bias", torch::zeros({options.out_channels}));
  if (options.norm == NormKind::FrozenBN) {
    frozen_bn_ = register_module("norm", FrozenBatchNorm2d(options.out_channels));
  } else if (options.norm == NormKind::GroupNorm32) {
    group_norm_ = register_module("norm", torch::nn::GroupNorm(torch::nn::GroupNormOptions(32, options.out_channels)));
  }
}

torch::Tensor Conv2dNormImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = torch::conv2d(x, weight_, bias_, options_.stride, options_.padding);
  if (frozen_bn_) y = frozen_bn_->forward(y);
  if (group_norm_) y = group_norm_->forward(y);
  if (options_.relu) y = torch::relu(y);
  return y;
}

}  // namespace autoqvis
