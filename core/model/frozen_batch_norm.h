// detectron2's FrozenBatchNorm2d: batch norm with fixed statistics and affine parameters, all four
// held as buffers (weight, bias, running_mean, running_var), so nothing in it trains.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

namespace autoqvis {

class FrozenBatchNorm2dImpl : public torch::nn::Module {
 public:
  explicit FrozenBatchNorm2dImpl(int64_t channels, double eps = 1e-5);
  /// y = x * scale + shift with scale = weight / sqrt(running_var + eps), shift = bias - mean * scale.
  torch::Tensor forward(const torch::Tensor& x);
  /// The per-channel (scale, shift) of the affine map, for folding into a preceding convolution.
  std::pair<torch::Tensor, torch::Tensor> affine() const;

 private:
  double eps_;
  torch::Tensor weight_, bias_, running_mean_, running_var_;
};
TORCH_MODULE(FrozenBatchNorm2d);

}  // namespace autoqvis
