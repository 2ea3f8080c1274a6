// Multi-scale deformable attention (Deformable DETR's MSDeformAttn) in its grid-sample formulation,
// numerically the reference's ms_deform_attn_core_pytorch: each query samples n_points locations per
// head and level around its reference point and sums them with softmax weights.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <utility>
#include <vector>

namespace autoqvis {

/// Height and width of each level, in token order (level l's tokens start after levels < l).
using LevelShapes = std::vector<std::pair<int64_t, int64_t>>;

class MSDeformAttnImpl : public torch::nn::Module {
 public:
  MSDeformAttnImpl(int64_t d_model, int64_t n_levels, int64_t n_heads, int64_t n_points);
  /// query [N, Lq, C], reference_points [N, Lq, L, 2] as (x, y) in [0, 1], input [N, S, C] with
  /// S = sum of H*W over `shapes`. Returns [N, Lq, C].
  torch::Tensor forward(const torch::Tensor& query, const torch::Tensor& reference_points, const torch::Tensor& input,
                        const LevelShapes& shapes);

 private:
  void resetParameters();
  int64_t d_model_, n_levels_, n_heads_, n_points_;
  torch::nn::Linear sampling_offsets_{nullptr}, attention_weights_{nullptr}, value_proj_{nullptr}, output_proj_{nullptr};
};
TORCH_MODULE(MSDeformAttn);

/// The sampling core: value [N, S, M, D], locations [N, Lq, M, L, P, 2], weights [N, Lq, M, L, P];
/// returns [N, Lq, M*D]. Uses the fused CPU kernel when no gradient is wanted, else the grid-sample form.
torch::Tensor msDeformAttnCore(const torch::Tensor& value, const LevelShapes& shapes, const torch::Tensor& locations,
                               const torch::Tensor& weights);

/// The reference formulation (ms_deform_attn_core_pytorch): one grid_sample per level, stacked, weighted, summed.
torch::Tensor msDeformAttnCoreGridSample(const torch::Tensor& value, const LevelShapes& shapes,
                                         const torch::Tensor& locations, const torch::Tensor& weights);

}  // namespace autoqvis
