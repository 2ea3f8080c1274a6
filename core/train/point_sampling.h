// PointRend-style point sampling used by the matcher and the mask losses (detectron2
// projects/PointRend/point_rend/point_features.py): bilinear reads at normalised [0, 1]^2 points and the
// uncertainty-driven choice of training points. All random draws go through RandomPointSource so that a
// seeded LibTorch generator replays the official draws bit for bit (method.md §3.2-3.3).
#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace autoqvis {

/// The one source of randomness of the criterion: uniform [0, 1) float samples of a given shape.
/// The default draws with torch::rand, so torch::manual_seed(s) + the same calls in the same order
/// reproduce the official Python draws; tests may substitute recorded draws.
class RandomPointSource {
 public:
  virtual ~RandomPointSource() = default;
  /// A float32 tensor of `shape` on `options`' device, uniform in [0, 1).
  virtual torch::Tensor uniform(at::IntArrayRef shape, const torch::TensorOptions& options) = 0;
};

/// torch::rand on the device's default generator.
class TorchRandomPointSource : public RandomPointSource {
 public:
  torch::Tensor uniform(at::IntArrayRef shape, const torch::TensorOptions& options) override;
};

/// A process-wide TorchRandomPointSource (it is stateless; the state lives in LibTorch's generator).
RandomPointSource& defaultRandomPointSource();

/// Bilinear read of `input` [N, C, H, W] at `coords` [N, P, 2] ((x, y) in [0, 1]^2): grid_sample on
/// 2p - 1 with zero padding and align_corners = false. Returns [N, C, P]. Differentiable in `input`.
torch::Tensor pointSample(const torch::Tensor& input, const torch::Tensor& coords);

/// PointRend uncertainty = -|logit| (the most uncertain points have the logits closest to 0).
torch::Tensor logitUncertainty(const torch::Tensor& logits);

struct UncertainPointOptions {
  int64_t num_points = 12544;             ///< points per mask
  double oversample_ratio = 3.0;          ///< candidates drawn = int(num_points * ratio)
  double importance_sample_ratio = 0.75;  ///< share of the points taken from the most uncertain candidates
};

/// Training points per mask for `coarse_logits` [N, 1, h, w] (no grad): draw the oversampled candidates,
/// keep the int(ratio * num_points) most uncertain ones, then append fresh uniform points. Draw order:
/// candidates [N, oversampled, 2], then random [N, rest, 2]. Returns [N, num_points, 2]. If
/// `selected` is given it receives the kept candidate indices [N, k] (int64, top-k order).
torch::Tensor uncertainPointCoordsWithRandomness(const torch::Tensor& coarse_logits, const UncertainPointOptions& options,
                                                 RandomPointSource& random, torch::Tensor* selected = nullptr);

}  // namespace autoqvis
