// VideoMask2Former's transformer decoder (VideoMultiScaleMaskedTransformerDecoder): learnable queries
// attend, level by level in rotation, to the pixel decoder's memory of all frames through masked
// cross-attention, then self-attention and an FFN (post-norm); after the initial queries and after every
// layer the heads predict class logits and per-frame mask logits. Names follow the reference checkpoint.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>
#include <torch/nn/pimpl.h>

#include <array>
#include <functional>
#include <vector>

#include "core/config/model_options.h"
#include "core/model/quality_head.h"

namespace autoqvis {

/// One prediction: logits [B, Q, classes + 1], mask logits [B, Q, T, H/4, W/4], and with the quality
/// head the predicted mask IoU [B, Q, T, 1] (raw regression output, not clamped).
struct DecoderPrediction {
  torch::Tensor pred_logits;
  torch::Tensor pred_masks;
  torch::Tensor pred_maskiou;
};

/// The inference path's result: the last layer's class logits [B, Q, classes + 1] and mask embeddings
/// [B, Q, mask_dim]; masks are made afterwards for the selected queries only.
struct DecoderQueries {
  torch::Tensor pred_logits;
  torch::Tensor mask_embed;
};

struct DecoderOutput {
  DecoderPrediction main;                ///< after the last layer
  std::vector<DecoderPrediction> aux;    ///< the initial queries and every layer but the last (deep supervision)
};

/// 3D sine position embedding of a [B, T, C, H, W] map: (pos_y, pos_x) + pos_z, [B, T, 2*num_pos_feats, H, W].
torch::Tensor sinePositionEmbedding3d(int64_t batch, int64_t frames, int64_t height, int64_t width,
                                      int64_t num_pos_feats, const torch::TensorOptions& options);

class AttentionLayerImpl : public torch::nn::Module {
 public:
  /// `attention_name`: "multihead_attn" (cross-attention) or "self_attn", as in the checkpoint.
  AttentionLayerImpl(int64_t d_model, int64_t n_heads, const std::string& attention_name);
  /// Post-norm: norm(query + attn(query + query_pos, key + pos, key)). `blocked` (optional) is a bool
  /// [B, Lq, Lk] mask, shared by all heads: true = this query may not attend to this key.
  torch::Tensor forward(const torch::Tensor& tgt, const torch::Tensor& memory, const torch::Tensor& blocked,
                        const torch::Tensor& pos, const torch::Tensor& query_pos);

 private:
  torch::Tensor attend(const torch::Tensor& query, const torch::Tensor& key, const torch::Tensor& value,
                       const torch::Tensor& blocked);
  torch::nn::MultiheadAttention attention_{nullptr};
  torch::nn::LayerNorm norm_{nullptr};
};
TORCH_MODULE(AttentionLayer);

class FfnLayerImpl : public torch::nn::Module {
 public:
  FfnLayerImpl(int64_t d_model, int64_t ffn_dim);
  torch::Tensor forward(const torch::Tensor& tgt);

 private:
  torch::nn::Linear linear1_{nullptr}, linear2_{nullptr};
  torch::nn::LayerNorm norm_{nullptr};
};
TORCH_MODULE(FfnLayer);

/// The 3-layer MLP that turns a query into its mask embedding ("mask_embed.layers.N").
class MaskEmbedMlpImpl : public torch::nn::Module {
 public:
  MaskEmbedMlpImpl(int64_t hidden_dim, int64_t mask_dim, int64_t layers = 3);
  torch::Tensor forward(torch::Tensor x);

 private:
  torch::nn::ModuleList layers_;
};
TORCH_MODULE(MaskEmbedMlp);

class VideoTransformerDecoderImpl : public torch::nn::Module {
 public:
  /// `num_classes`: foreground classes (1, class-agnostic); the logits add "no object".
  VideoTransformerDecoderImpl(const ModelOptions& options, int64_t num_classes = 1);
  /// multi_scale: three [B*T, C, h_l, w_l] maps (1/32, 1/16, 1/8); mask_features [B*T, mask_dim, H/4, W/4].
  /// Every prediction as the reference computes it. With the quality head, in training mode every
  /// prediction gets pred_maskiou (deep supervision); in eval mode only the main one, as the reference.
  DecoderOutput forward(const std::array<torch::Tensor, 3>& multi_scale, const torch::Tensor& mask_features,
                        int64_t batch);

  /// Inference: only the last layer's logits and mask embeddings. The attention masks come from the mask
  /// features resized to each level first (bilinear resizing is linear, so this equals resizing the
  /// per-query masks, up to float rounding) instead of making all Q full-size masks ten times.
  DecoderQueries forwardQueries(const std::array<torch::Tensor, 3>& multi_scale, const torch::Tensor& mask_features,
                                int64_t batch);

  /// Mask logits [B, K, T, H/4, W/4] of the given query embeddings [B, K, mask_dim].
  static torch::Tensor masksOf(const torch::Tensor& mask_embed, const torch::Tensor& mask_features, int64_t batch);

  /// The quality head, or empty when the model was built without one.
  QualityHead quality_head{nullptr};
  /// True when the head's parameters take no gradient (frozen for the self-training rounds).
  bool qualityHeadFrozen() const;

 private:
  /// Attention-mask source for the next layer: given the queries after a layer and the next level index,
  /// returns the blocked mask [B, Q, T*h*w] (true = blocked) and records whatever it predicts.
  using HeadStep = std::function<torch::Tensor(const torch::Tensor& output, int level)>;
  /// The layer loop shared by both paths; returns the final queries [Q, B, C].
  torch::Tensor decode(const std::array<torch::Tensor, 3>& multi_scale, int64_t batch, const HeadStep& head);
  /// Class logits and mask embeddings of the queries [Q, B, C] -> [B, Q, ...].
  std::pair<torch::Tensor, torch::Tensor> heads(const torch::Tensor& output);

  int64_t hidden_dim_, num_heads_, num_layers_;
  torch::nn::ModuleList self_layers_, cross_layers_, ffn_layers_;
  torch::nn::LayerNorm decoder_norm_{nullptr};
  torch::nn::Embedding query_feat_{nullptr}, query_embed_{nullptr}, level_embed_{nullptr};
  torch::nn::Linear class_embed_{nullptr};
  MaskEmbedMlp mask_embed_{nullptr};
};
TORCH_MODULE(VideoTransformerDecoder);

}  // namespace autoqvis
