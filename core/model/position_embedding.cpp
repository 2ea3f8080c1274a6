#include "core/model/position_embedding.h"

#include <torch/torch.h>

#include <cmath>

namespace autoqvis {
namespace {

// Interleaves sin of the even and cos of the odd frequencies along the last dimension.
torch::Tensor sinCosInterleaved(const torch::Tensor& embed, const torch::Tensor& dim_t) {
  const torch::Tensor pos = embed.unsqueeze(-1) / dim_t;
  using torch::indexing::Slice;
  return torch::stack({pos.index({"...", Slice(0, torch::indexing::None, 2)}).sin(),
                       pos.index({"...", Slice(1, torch::indexing::None, 2)}).cos()},
                      -1)
      .flatten(-2);
}

}  // namespace

at::Tensor sinePositionEmbedding2d(const at::Tensor& features, int64_t num_pos_feats) {
  const int64_t n = features.size(0), h = features.size(2), w = features.size(3);
  const auto options = torch::TensorOptions().dtype(torch::kFloat32).device(features.device());
  const torch::Tensor not_mask = torch::ones({n, h, w}, options);
  // The same float32 operations in the same order as the reference (cumsum, divide, scale).
  constexpr double kEps = 1e-6;
  const double scale = 2 * M_PI;
  torch::Tensor y_embed = not_mask.cumsum(1, torch::kFloat32);
  torch::Tensor x_embed = not_mask.cumsum(2, torch::kFloat32);
  y_embed = y_embed / (y_embed.narrow(1, h - 1, 1) + kEps) * scale;
  x_embed = x_embed / (x_embed.narrow(2, w - 1, 1) + kEps) * scale;
  torch::Tensor dim_t = torch::arange(num_pos_feats, options);
  dim_t = torch::pow(10000, 2 * torch::div(dim_t, 2, "floor") / num_pos_feats);
  const torch::Tensor pos_x = sinCosInterleaved(x_embed, dim_t);
  const torch::Tensor pos_y = sinCosInterleaved(y_embed, dim_t);
  return torch::cat({pos_y, pos_x}, 3).permute({0, 3, 1, 2});
}

}  // namespace autoqvis
