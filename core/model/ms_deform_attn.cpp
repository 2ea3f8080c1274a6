#include "core/model/ms_deform_attn.h"

#include "core/model/ms_deform_attn_fused.h"

#include <torch/torch.h>

#include <cmath>

namespace autoqvis {

MSDeformAttnImpl::MSDeformAttnImpl(int64_t d_model, int64_t n_levels, int64_t n_heads, int64_t n_points)
    : d_model_(d_model), n_levels_(n_levels), n_heads_(n_heads), n_points_(n_points) {
  sampling_offsets_ = register_module("sampling_offsets", torch::nn::Linear(d_model, n_heads * n_levels * n_points * 2));
  attention_weights_ = register_module("attention_weights", torch::nn::Linear(d_model, n_heads * n_levels * n_points));
  value_proj_ = register_module("value_proj", torch::nn::Linear(d_model, d_model));
  output_proj_ = register_module("output_proj", torch::nn::Linear(d_model, d_model));
  resetParameters();
}

// Deformable DETR's initialisation: offsets start on a ring of directions, one per head, with point
// i at distance i+1; attention starts uniform.
void MSDeformAttnImpl::resetParameters() {
  torch::NoGradGuard no_grad;
  sampling_offsets_->weight.zero_();
  const torch::Tensor thetas = torch::arange(n_heads_, torch::kFloat32) * (2.0 * M_PI / n_heads_);
  torch::Tensor grid = torch::stack({thetas.cos(), thetas.sin()}, -1);
  grid = (grid / std::get<0>(grid.abs().max(-1, true))).view({n_heads_, 1, 1, 2}).repeat({1, n_levels_, n_points_, 1});
  for (int64_t i = 0; i < n_points_; ++i) grid.select(2, i).mul_(static_cast<double>(i + 1));
  sampling_offsets_->bias.copy_(grid.view(-1));
  attention_weights_->weight.zero_();
  attention_weights_->bias.zero_();
  torch::nn::init::xavier_uniform_(value_proj_->weight);
  value_proj_->bias.zero_();
  torch::nn::init::xavier_uniform_(output_proj_->weight);
  output_proj_->bias.zero_();
}

torch::Tensor MSDeformAttnImpl::forward(const torch::Tensor& query, const torch::Tensor& reference_points,
                                        const torch::Tensor& input, const LevelShapes& shapes) {
  const int64_t n = query.size(0), lq = query.size(1), s = input.size(1);
  const torch::Tensor value = value_proj_->forward(input).view({n, s, n_heads_, d_model_ / n_heads_});
  const torch::Tensor offsets =
      sampling_offsets_->forward(query).view({n, lq, n_heads_, n_levels_, n_points_, 2});
  const torch::Tensor weights = torch::softmax(attention_weights_->forward(query).view({n, lq, n_heads_, n_levels_ * n_points_}), -1)
                                    .view({n, lq, n_heads_, n_levels_, n_points_});
  // Offsets are in pixels of their level: normalise by (W, H) of that level.
  std::vector<float> normalizer;
  for (const auto& [h, w] : shapes) {
    normalizer.push_back(static_cast<float>(w));
    normalizer.push_back(static_cast<float>(h));
  }
  const torch::Tensor offset_normalizer =
      torch::tensor(normalizer, query.options().dtype(torch::kFloat32)).view({n_levels_, 2}).to(query.dtype());
  using torch::indexing::None;
  using torch::indexing::Slice;
  const torch::Tensor locations =
      reference_points.index({Slice(), Slice(), None, Slice(), None, Slice()}) +
      offsets / offset_normalizer.index({None, None, None, Slice(), None, Slice()});
  return output_proj_->forward(msDeformAttnCore(value, shapes, locations, weights));
}

torch::Tensor msDeformAttnCore(const torch::Tensor& value, const LevelShapes& shapes, const torch::Tensor& locations,
                               const torch::Tensor& weights) {
  // The fused kernel does the same sampling without the stacked intermediates (the reference's biggest
  // cost on CPU); training and GPU runs keep the differentiable grid-sample form.
  if (fusedDeformAttnApplies(value, locations, weights)) return msDeformAttnCoreFused(value, shapes, locations, weights);
  return msDeformAttnCoreGridSample(value, shapes, locations, weights);
}

torch::Tensor msDeformAttnCoreGridSample(const torch::Tensor& value, const LevelShapes& shapes,
                                         const torch::Tensor& locations, const torch::Tensor& weights) {
  const int64_t n = value.size(0), m = value.size(2), d = value.size(3);
  const int64_t lq = locations.size(1), levels = locations.size(3), points = locations.size(4);
  const torch::Tensor grids = 2 * locations - 1;
  std::vector<torch::Tensor> sampled;
  int64_t start = 0;
  for (int64_t l = 0; l < levels; ++l) {
    const auto [h, w] = shapes[l];
    // [N, H*W, M, D] -> [N*M, D, H, W]
    const torch::Tensor value_l = value.narrow(1, start, h * w).flatten(2).transpose(1, 2).reshape({n * m, d, h, w});
    // [N, Lq, M, P, 2] -> [N*M, Lq, P, 2]
    const torch::Tensor grid_l = grids.select(3, l).transpose(1, 2).flatten(0, 1);
    sampled.push_back(torch::nn::functional::grid_sample(
        value_l, grid_l,
        torch::nn::functional::GridSampleFuncOptions().mode(torch::kBilinear).padding_mode(torch::kZeros).align_corners(false)));
    start += h * w;
  }
  const torch::Tensor w_all = weights.transpose(1, 2).reshape({n * m, 1, lq, levels * points});
  const torch::Tensor output = (torch::stack(sampled, -2).flatten(-2) * w_all).sum(-1).view({n, m * d, lq});
  return output.transpose(1, 2).contiguous();
}

}  // namespace autoqvis
