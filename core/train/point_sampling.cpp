#include "core/train/point_sampling.h"

#include "core/util/error.h"

namespace autoqvis {

torch::Tensor TorchRandomPointSource::uniform(at::IntArrayRef shape, const torch::TensorOptions& options) {
  return torch::rand(shape, options.dtype(torch::kFloat32));
}

RandomPointSource& defaultRandomPointSource() {
  static TorchRandomPointSource source;
  return source;
}

torch::Tensor pointSample(const torch::Tensor& input, const torch::Tensor& coords) {
  if (input.dim() != 4 || coords.dim() != 3 || coords.size(2) != 2 || coords.size(0) != input.size(0))
    throw Error("pointSample expects input [N, C, H, W] and coords [N, P, 2]");
  // grid_sample wants a 2D grid: the points become a [P, 1] "image". Written as 2p - 1 exactly like the
  // reference (multiply, then subtract) so the grid is bit-identical.
  const torch::Tensor grid = (coords.unsqueeze(2) * 2.0) - 1.0;
  // Enum values of grid_sampler: interpolation 0 = bilinear, padding 0 = zeros.
  return torch::grid_sampler(input, grid, /*interpolation_mode=*/0, /*padding_mode=*/0, /*align_corners=*/false)
      .squeeze(3);
}

torch::Tensor logitUncertainty(const torch::Tensor& logits) { return -torch::abs(logits); }

torch::Tensor uncertainPointCoordsWithRandomness(const torch::Tensor& coarse_logits, const UncertainPointOptions& options,
                                                 RandomPointSource& random, torch::Tensor* selected) {
  if (coarse_logits.dim() != 4 || coarse_logits.size(1) != 1)
    throw Error("uncertainPointCoordsWithRandomness expects class-agnostic logits [N, 1, h, w]");
  if (options.oversample_ratio < 1.0 || options.importance_sample_ratio < 0.0 || options.importance_sample_ratio > 1.0)
    throw Error("point sampling needs oversample_ratio >= 1 and importance_sample_ratio in [0, 1]");
  torch::NoGradGuard no_grad;
  const int64_t masks = coarse_logits.size(0);
  // Python's int() truncation, as in the reference.
  const auto num_sampled = static_cast<int64_t>(double(options.num_points) * options.oversample_ratio);
  const auto num_uncertain = static_cast<int64_t>(options.importance_sample_ratio * double(options.num_points));
  const int64_t num_random = options.num_points - num_uncertain;
  const torch::TensorOptions device = torch::TensorOptions().device(coarse_logits.device());

  const torch::Tensor candidates = random.uniform({masks, num_sampled, 2}, device);
  // Uncertainty is judged on the interpolated logits at each candidate, not on the coarse grid.
  const torch::Tensor uncertainty = logitUncertainty(pointSample(coarse_logits, candidates));
  const torch::Tensor idx = std::get<1>(torch::topk(uncertainty.select(1, 0), num_uncertain, /*dim=*/1));
  if (selected) *selected = idx;
  const torch::Tensor shift = torch::arange(masks, torch::TensorOptions().dtype(torch::kLong).device(coarse_logits.device())) *
                              num_sampled;
  const torch::Tensor flat_idx = (idx + shift.unsqueeze(1)).reshape(-1);
  torch::Tensor coords = candidates.view({-1, 2}).index_select(0, flat_idx).view({masks, num_uncertain, 2});
  if (num_random > 0) coords = torch::cat({coords, random.uniform({masks, num_random, 2}, device)}, 1);
  return coords;
}

}  // namespace autoqvis
