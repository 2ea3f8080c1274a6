#include "core/model/frozen_batch_norm.h"

#include <torch/torch.h>

namespace autoqvis {

FrozenBatchNorm2dImpl::FrozenBatchNorm2dImpl(int64_t channels, double eps) : eps_(eps) {
  weight_ = register_buffer("weight", torch::ones({channels}));
  bias_ = register_buffer("bias", torch::zeros({channels}));
  running_mean_ = register_buffer("running_mean", torch::zeros({channels}));
  running_var_ = register_buffer("running_var", torch::ones({channels}) - eps);
}

torch::Tensor FrozenBatchNorm2dImpl::forward(const torch::Tensor& x) {
  const torch::Tensor scale = weight_ * (running_var_ + eps_).rsqrt();
  const torch::Tensor shift = bias_ - running_mean_ * scale;
  return x * scale.reshape({1, -1, 1, 1}).to(x.dtype()) + shift.reshape({1, -1, 1, 1}).to(x.dtype());
}

}  // namespace autoqvis
