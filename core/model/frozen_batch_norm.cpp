#include "core/model/frozen_batch_norm.h"

#include <torch/torch.h>

namespace autoqvis {

FrozenBatchNorm2dImpl::FrozenBatchNorm2dImpl(int64_t channels, double eps) : eps_(eps) {
  weight_ = register_buffer("weight", torch::ones({channels}));
  bias_ = register_buffer("bias", torch::zeros({channels}));
  running_mean_ = register_buffer("running_mean", torch::zeros({channels}));
  running_var_ = register_buffer("running_var", torch::ones({channels}) - eps);
}

std::pair<torch::Tensor, torch::Tensor> FrozenBatchNorm2dImpl::affine() const {
  const torch::Tensor scale = weight_ * (running_var_ + eps_).rsqrt();
  return {scale, bias_ - running_mean_ * scale};
}

torch::Tensor FrozenBatchNorm2dImpl::forward(const torch::Tensor& x) {
  // Without autograd, detectron2 calls F.batch_norm: one fused pass over the activations instead of a
  // multiply and an add (a large share of the backbone's time on CPU).
  if (!(torch::GradMode::is_enabled() && x.requires_grad())) {
    return torch::batch_norm(x, weight_.to(x.dtype()), bias_.to(x.dtype()), running_mean_.to(x.dtype()),
                             running_var_.to(x.dtype()), /*training=*/false, /*momentum=*/0.0, eps_,
                             /*cudnn_enabled=*/true);
  }
  const torch::Tensor scale = weight_ * (running_var_ + eps_).rsqrt();
  const torch::Tensor shift = bias_ - running_mean_ * scale;
  return x * scale.reshape({1, -1, 1, 1}).to(x.dtype()) + shift.reshape({1, -1, 1, 1}).to(x.dtype());
}

}  // namespace autoqvis
