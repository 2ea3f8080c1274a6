// The pixel decoder's transformer (Mask2Former's MSDeformAttnTransformerEncoderOnly): post-norm
// encoder layers of multi-scale deformable self-attention + FFN over the tokens of all levels, plus
// the learned level embedding. Names follow the reference ("level_embed", "encoder.layers.N.*").
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include "core/model/ms_deform_attn.h"

namespace autoqvis {

class DeformableEncoderLayerImpl : public torch::nn::Module {
 public:
  DeformableEncoderLayerImpl(int64_t d_model, int64_t ffn_dim, double dropout, int64_t n_levels, int64_t n_heads,
                             int64_t n_points);
  torch::Tensor forward(const torch::Tensor& src, const torch::Tensor& pos, const torch::Tensor& reference_points,
                        const LevelShapes& shapes);

 private:
  MSDeformAttn self_attn_{nullptr};
  torch::nn::LayerNorm norm1_{nullptr}, norm2_{nullptr};
  torch::nn::Linear linear1_{nullptr}, linear2_{nullptr};
  double dropout_ = 0.0;  ///< the three dropouts of the reference layer (parameter-free)
};
TORCH_MODULE(DeformableEncoderLayer);

/// Holds the layers as "layers.N" (the reference's MSDeformAttnTransformerEncoder).
class DeformableEncoderImpl : public torch::nn::Module {
 public:
  DeformableEncoderImpl(int64_t layers, int64_t d_model, int64_t ffn_dim, double dropout, int64_t n_levels,
                        int64_t n_heads, int64_t n_points);
  torch::Tensor forward(torch::Tensor src, const torch::Tensor& pos, const LevelShapes& shapes);

 private:
  torch::nn::ModuleList layers_;
};
TORCH_MODULE(DeformableEncoder);

class DeformableTransformerImpl : public torch::nn::Module {
 public:
  DeformableTransformerImpl(int64_t layers, int64_t d_model, int64_t ffn_dim, double dropout, int64_t n_levels,
                            int64_t n_heads, int64_t n_points);
  /// srcs and pos: one [N, C, H_l, W_l] map per level. Returns the encoded tokens [N, sum H_l*W_l, C].
  torch::Tensor forward(const std::vector<torch::Tensor>& srcs, const std::vector<torch::Tensor>& pos);

 private:
  torch::Tensor level_embed_;
  DeformableEncoder encoder_{nullptr};
};
TORCH_MODULE(DeformableTransformer);

/// Reference points of every token of every level: pixel centres ((x+0.5)/W, (y+0.5)/H), the same for
/// all levels since no padding mask is used. [N, S, L, 2].
torch::Tensor encoderReferencePoints(const LevelShapes& shapes, int64_t batch, const torch::TensorOptions& options);

}  // namespace autoqvis
