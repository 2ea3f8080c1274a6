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
  const bool no_grad = !torch::GradMode::is_enabled();
  torch::Tensor y;
  if (frozen_bn_ && no_grad) {
    // Inference: the frozen BN's affine map folded into the convolution (one pass instead of two; equal up
    // to float rounding).
    const auto [scale, shift] = frozen_bn_->affine();
    const torch::Tensor weight = weight_ * scale.view({-1, 1, 1, 1}).to(weight_.dtype());
    const torch::Tensor bias = bias_.defined() ? bias_ * scale + shift : shift;
    y = torch::conv2d(x, weight.to(x.dtype()), bias.to(x.dtype()), options_.stride, options_.padding);
  } else {
    y = torch::conv2d(x, weight_, bias_, options_.stride, options_.padding);
    if (frozen_bn_) y = frozen_bn_->forward(y);
  }
  if (group_norm_) y = group_norm_->forward(y);
  if (options_.relu) y = no_grad ? torch::relu_(y) : torch::relu(y);
  return y;
}

}  // namespace autoqvis
