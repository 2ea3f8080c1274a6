// Loss scaling for fp16 training on CUDA (torch.cuda.amp.GradScaler's dynamic scheme, which LibTorch's
// C++ API lacks): the loss is multiplied by a scale before backward, gradients are divided by it before
// clipping and the step, a step whose gradients are not finite is skipped and halves the scale, and the
// scale doubles after `growth_interval` good steps. Disabled (CPU, or AMP off) it scales by 1 and only
// reports non-finite gradients, so NaN steps are skipped either way.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace autoqvis {

struct GradScalerState {
  double scale = 65536.0;
  int64_t growth_tracker = 0;
};

class GradScaler {
 public:
  explicit GradScaler(bool enabled, GradScalerState state = {});
  torch::Tensor scaleLoss(const torch::Tensor& loss) const;
  /// Divides every gradient by the scale; returns false when any gradient is inf or NaN.
  bool unscaleAndCheck(const std::vector<torch::Tensor>& parameters) const;
  /// After a step (`finite` = the gradients were finite): backs off or grows the scale.
  void update(bool finite);
  bool enabled() const { return enabled_; }
  const GradScalerState& state() const { return state_; }

 private:
  bool enabled_;
  GradScalerState state_;
  static constexpr double kGrowth = 2.0, kBackoff = 0.5;
  static constexpr int64_t kGrowthInterval = 2000;
};

}  // namespace autoqvis
