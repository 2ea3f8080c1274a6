#include "core/model/deformable_encoder.h"

#include <torch/torch.h>

#include "core/model/parallel_dropout.h"

namespace autoqvis {

DeformableEncoderLayerImpl::DeformableEncoderLayerImpl(int64_t d_model, int64_t ffn_dim, double dropout,
                                                       int64_t n_levels, int64_t n_heads, int64_t n_points)
    : dropout_(dropout) {
  self_attn_ = register_module("self_attn", MSDeformAttn(d_model, n_levels, n_heads, n_points));
  norm1_ = register_module("norm1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d_model})));
  linear1_ = register_module("linear1", torch::nn::Linear(d_model, ffn_dim));
  linear2_ = register_module("linear2", torch::nn::Linear(ffn_dim, d_model));
  norm2_ = register_module("norm2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d_model})));
}

torch::Tensor DeformableEncoderLayerImpl::forward(const torch::Tensor& src, const torch::Tensor& pos,
                                                  const torch::Tensor& reference_points, const LevelShapes& shapes) {
  const torch::Tensor attended = self_attn_->forward(src + pos, reference_points, src, shapes);
  const bool training = is_training();
  torch::Tensor x = norm1_->forward(src + parallelDropout(attended, dropout_, training));
  const torch::Tensor hidden = parallelDropout(torch::relu(linear1_->forward(x)), dropout_, training);
  return norm2_->forward(x + parallelDropout(linear2_->forward(hidden), dropout_, training));
}

DeformableEncoderImpl::DeformableEncoderImpl(int64_t layers, int64_t d_model, int64_t ffn_dim, double dropout,
                                             int64_t n_levels, int64_t n_heads, int64_t n_points) {
  for (int64_t i = 0; i < layers; ++i) {
    layers_->push_back(DeformableEncoderLayer(d_model, ffn_dim, dropout, n_levels, n_heads, n_points));
  }
  register_module("layers", layers_);
}

torch::Tensor encoderReferencePoints(const LevelShapes& shapes, int64_t batch, const torch::TensorOptions& options) {
  std::vector<torch::Tensor> levels;
  for (const auto& [h, w] : shapes) {
    // linspace(0.5, H - 0.5, H) / H, as the reference computes it (exact in float32).
    const torch::Tensor ys = torch::linspace(0.5, h - 0.5, h, options) / static_cast<double>(h);
    const torch::Tensor xs = torch::linspace(0.5, w - 0.5, w, options) / static_cast<double>(w);
    const auto grid = torch::meshgrid({ys, xs}, "ij");
    levels.push_back(torch::stack({grid[1].reshape(-1), grid[0].reshape(-1)}, -1));
  }
  const torch::Tensor points = torch::cat(levels, 0);  // [S, 2]
  return points.view({1, -1, 1, 2}).expand({batch, points.size(0), static_cast<int64_t>(shapes.size()), 2});
}

torch::Tensor DeformableEncoderImpl::forward(torch::Tensor src, const torch::Tensor& pos, const LevelShapes& shapes) {
  const torch::Tensor reference_points = encoderReferencePoints(shapes, src.size(0), src.options());
  for (const auto& layer : *layers_) src = layer->as<DeformableEncoderLayer>()->forward(src, pos, reference_points, shapes);
  return src;
}

DeformableTransformerImpl::DeformableTransformerImpl(int64_t layers, int64_t d_model, int64_t ffn_dim, double dropout,
                                                     int64_t n_levels, int64_t n_heads, int64_t n_points) {
  level_embed_ = register_parameter("level_embed", torch::empty({n_levels, d_model}));
  torch::nn::init::normal_(level_embed_);
  encoder_ = register_module("encoder", DeformableEncoder(layers, d_model, ffn_dim, dropout, n_levels, n_heads, n_points));
}

torch::Tensor DeformableTransformerImpl::forward(const std::vector<torch::Tensor>& srcs, const std::vector<torch::Tensor>& pos) {
  std::vector<torch::Tensor> tokens, positions;
  LevelShapes shapes;
  for (size_t l = 0; l < srcs.size(); ++l) {
    shapes.emplace_back(srcs[l].size(2), srcs[l].size(3));
    tokens.push_back(srcs[l].flatten(2).transpose(1, 2));
    positions.push_back(pos[l].flatten(2).transpose(1, 2) + level_embed_[static_cast<int64_t>(l)].view({1, 1, -1}));
  }
  return encoder_->forward(torch::cat(tokens, 1), torch::cat(positions, 1), shapes);
}

}  // namespace autoqvis
