#include "core/train/grad_scaler.h"

#include <torch/torch.h>

namespace autoqvis {

GradScaler::GradScaler(bool enabled, GradScalerState state) : enabled_(enabled), state_(state) {}

torch::Tensor GradScaler::scaleLoss(const torch::Tensor& loss) const {
  return enabled_ ? loss * state_.scale : loss;
}

bool GradScaler::unscaleAndCheck(const std::vector<torch::Tensor>& parameters) const {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> finite;  // one flag per gradient, read back once (one device sync)
  for (const torch::Tensor& p : parameters) {
    torch::Tensor grad = p.grad();
    if (!grad.defined()) continue;
    if (enabled_) grad.div_(state_.scale);
    finite.push_back(torch::isfinite(grad).all());
  }
  return finite.empty() || torch::stack(finite).all().item<bool>();
}

void GradScaler::update(bool finite) {
  if (!enabled_) return;
  if (!finite) {
    state_.scale *= kBackoff;
    state_.growth_tracker = 0;
  } else if (++state_.growth_tracker >= kGrowthInterval) {
    state_.scale *= kGrowth;
    state_.growth_tracker = 0;
  }
}

}  // namespace autoqvis
