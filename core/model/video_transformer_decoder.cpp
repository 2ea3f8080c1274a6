#include "core/model/video_transformer_decoder.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <tuple>

namespace autoqvis {
namespace {

// sin of the even and cos of the odd frequencies, interleaved along the last dimension.
torch::Tensor sinCos(const torch::Tensor& embed, const torch::Tensor& dim_t) {
  using torch::indexing::None;
  using torch::indexing::Slice;
  const torch::Tensor pos = embed.unsqueeze(-1) / dim_t;
  return torch::stack({pos.index({"...", Slice(0, None, 2)}).sin(), pos.index({"...", Slice(1, None, 2)}).cos()}, -1)
      .flatten(-2);
}

torch::Tensor frequencies(int64_t count, const torch::TensorOptions& options) {
  const torch::Tensor dim_t = torch::arange(count, options);
  return torch::pow(10000, 2 * torch::div(dim_t, 2, "floor") / count);
}

}  // namespace

torch::Tensor sinePositionEmbedding3d(int64_t batch, int64_t frames, int64_t height, int64_t width,
                                      int64_t num_pos_feats, const torch::TensorOptions& options) {
  const torch::Tensor not_mask = torch::ones({batch, frames, height, width}, options);
  constexpr double kEps = 1e-6;
  const double scale = 2 * M_PI;
  torch::Tensor z = not_mask.cumsum(1, torch::kFloat32);
  torch::Tensor y = not_mask.cumsum(2, torch::kFloat32);
  torch::Tensor x = not_mask.cumsum(3, torch::kFloat32);
  z = z / (z.narrow(1, frames - 1, 1) + kEps) * scale;
  y = y / (y.narrow(2, height - 1, 1) + kEps) * scale;
  x = x / (x.narrow(3, width - 1, 1) + kEps) * scale;
  const torch::Tensor dim_t = frequencies(num_pos_feats, options);
  const torch::Tensor dim_t_z = frequencies(num_pos_feats * 2, options);
  const torch::Tensor pos = torch::cat({sinCos(y, dim_t), sinCos(x, dim_t)}, 4) + sinCos(z, dim_t_z);
  return pos.permute({0, 1, 4, 2, 3});
}

AttentionLayerImpl::AttentionLayerImpl(int64_t d_model, int64_t n_heads, const std::string& attention_name) {
  attention_ = register_module(attention_name, torch::nn::MultiheadAttention(
                                                   torch::nn::MultiheadAttentionOptions(d_model, n_heads).dropout(0.0)));
  norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d_model})));
}

// nn.MultiheadAttention's computation (sequence-first, q scaled by 1/sqrt(head_dim) before q.k, masked
// scores, softmax, weighted values, output projection), written out because LibTorch 1.13's C++ module
// mishandles a per-head [B*heads, Lq, Lk] mask. The parameters stay in the module, under their names.
// Heads are processed in slices so that long videos never hold every head's [Lq, Lk] scores at once;
// the mask is shared by the heads (the reference repeats it), so it is expanded per slice, not stored.
torch::Tensor AttentionLayerImpl::attend(const torch::Tensor& query, const torch::Tensor& key, const torch::Tensor& value,
                                         const torch::Tensor& blocked) {
  const int64_t lq = query.size(0), lk = key.size(0), batch = query.size(1), c = query.size(2);
  const int64_t heads = attention_->options.num_heads(), head_dim = c / heads;
  const torch::Tensor& w = attention_->in_proj_weight;
  const torch::Tensor& b = attention_->in_proj_bias;
  torch::Tensor q = torch::linear(query, w.narrow(0, 0, c), b.narrow(0, 0, c));
  torch::Tensor k = torch::linear(key, w.narrow(0, c, c), b.narrow(0, c, c));
  torch::Tensor v = torch::linear(value, w.narrow(0, 2 * c, c), b.narrow(0, 2 * c, c));
  // Rows are (batch, head) pairs, index b * heads + h, as nn.MultiheadAttention lays them out.
  q = (q / std::sqrt(static_cast<double>(head_dim))).contiguous().view({lq, batch * heads, head_dim}).transpose(0, 1);
  k = k.contiguous().view({lk, batch * heads, head_dim}).transpose(0, 1);
  v = v.contiguous().view({lk, batch * heads, head_dim}).transpose(0, 1);
  constexpr int64_t kMaxScoreElements = int64_t{1} << 26;  // 256 MB of float scores per slice
  const int64_t slice = std::max<int64_t>(1, std::min<int64_t>(batch * heads, kMaxScoreElements / std::max<int64_t>(1, lq * lk)));
  std::vector<torch::Tensor> attended;
  for (int64_t row = 0; row < batch * heads; row += slice) {
    const int64_t rows = std::min(slice, batch * heads - row);
    torch::Tensor scores = torch::bmm(q.narrow(0, row, rows), k.narrow(0, row, rows).transpose(-2, -1));
    if (blocked.defined()) {
      const torch::Tensor owner = torch::arange(row, row + rows, torch::kLong).div(heads, "floor").to(blocked.device());
      scores = scores.masked_fill(blocked.index_select(0, owner), -std::numeric_limits<float>::infinity());
    }
    attended.push_back(torch::bmm(torch::softmax(scores, -1), v.narrow(0, row, rows)));
  }
  const torch::Tensor all = attended.size() == 1 ? attended.front() : torch::cat(attended, 0);
  const torch::Tensor merged = all.transpose(0, 1).contiguous().view({lq * batch, c});
  return attention_->out_proj->forward(merged).view({lq, batch, c});
}

torch::Tensor AttentionLayerImpl::forward(const torch::Tensor& tgt, const torch::Tensor& memory, const torch::Tensor& blocked,
                                          const torch::Tensor& pos, const torch::Tensor& query_pos) {
  return norm_->forward(tgt + attend(tgt + query_pos, memory + pos, memory, blocked));
}

FfnLayerImpl::FfnLayerImpl(int64_t d_model, int64_t ffn_dim) {
  linear1_ = register_module("linear1", torch::nn::Linear(d_model, ffn_dim));
  linear2_ = register_module("linear2", torch::nn::Linear(ffn_dim, d_model));
  norm_ = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d_model})));
}

torch::Tensor FfnLayerImpl::forward(const torch::Tensor& tgt) {
  return norm_->forward(tgt + linear2_->forward(torch::relu(linear1_->forward(tgt))));
}

MaskEmbedMlpImpl::MaskEmbedMlpImpl(int64_t hidden_dim, int64_t mask_dim, int64_t layers) {
  for (int64_t i = 0; i < layers; ++i) {
    layers_->push_back(torch::nn::Linear(hidden_dim, i + 1 == layers ? mask_dim : hidden_dim));
  }
  register_module("layers", layers_);
}

torch::Tensor MaskEmbedMlpImpl::forward(torch::Tensor x) {
  for (size_t i = 0; i < layers_->size(); ++i) {
    x = layers_[i]->as<torch::nn::Linear>()->forward(x);
    if (i + 1 < layers_->size()) x = torch::relu(x);
  }
  return x;
}

VideoTransformerDecoderImpl::VideoTransformerDecoderImpl(const ModelOptions& options, int64_t num_classes)
    : hidden_dim_(options.hidden_dim), num_heads_(options.num_heads), num_layers_(options.decoder_layers - 1) {
  for (int64_t i = 0; i < num_layers_; ++i) {
    self_layers_->push_back(AttentionLayer(hidden_dim_, num_heads_, "self_attn"));
    cross_layers_->push_back(AttentionLayer(hidden_dim_, num_heads_, "multihead_attn"));
    ffn_layers_->push_back(FfnLayer(hidden_dim_, options.decoder_ffn_dim));
  }
  register_module("transformer_self_attention_layers", self_layers_);
  register_module("transformer_cross_attention_layers", cross_layers_);
  register_module("transformer_ffn_layers", ffn_layers_);
  decoder_norm_ = register_module("decoder_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({hidden_dim_})));
  query_feat_ = register_module("query_feat", torch::nn::Embedding(options.num_queries, hidden_dim_));
  query_embed_ = register_module("query_embed", torch::nn::Embedding(options.num_queries, hidden_dim_));
  level_embed_ = register_module("level_embed", torch::nn::Embedding(3, hidden_dim_));
  class_embed_ = register_module("class_embed", torch::nn::Linear(hidden_dim_, num_classes + 1));
  mask_embed_ = register_module("mask_embed", MaskEmbedMlp(hidden_dim_, options.mask_dim));
  if (options.quality_head) {
    // Its first conv sees the pixel-decoder channels plus the mask (257 for the R50 model).
    quality_head = register_module("maskiou_feature_extractor",
                                   QualityHead(options.conv_dim + 1, options.quality_conv_dim, options.quality_fc_dim));
  }
}

std::pair<torch::Tensor, torch::Tensor> VideoTransformerDecoderImpl::heads(const torch::Tensor& output) {
  const torch::Tensor decoded = decoder_norm_->forward(output).transpose(0, 1);  // [B, Q, C]
  return {class_embed_->forward(decoded), mask_embed_->forward(decoded)};
}

torch::Tensor VideoTransformerDecoderImpl::masksOf(const torch::Tensor& mask_embed, const torch::Tensor& mask_features,
                                                   int64_t batch) {
  const torch::Tensor features = mask_features.view({batch, mask_features.size(0) / batch, mask_features.size(1),
                                                     mask_features.size(2), mask_features.size(3)});
  return torch::einsum("bqc,btchw->bqthw", {mask_embed, features});
}

namespace {

torch::Tensor resizeBilinear(const torch::Tensor& x, int64_t h, int64_t w) {
  return torch::nn::functional::interpolate(
      x, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{h, w}).mode(torch::kBilinear).align_corners(false));
}

// Where a mask logit map [B, Q, T, h, w] at a level's size is below 0.5 after the sigmoid, attention is
// blocked: [B, Q, T*h*w], frame-major like the memory.
torch::Tensor blockedWhereBackground(const torch::Tensor& level_masks) {
  return (level_masks.sigmoid().flatten(2) < 0.5).detach();
}

}  // namespace

torch::Tensor VideoTransformerDecoderImpl::decode(const std::array<torch::Tensor, 3>& multi_scale, int64_t batch,
                                                  const HeadStep& head) {
  const int64_t frames = multi_scale[0].size(0) / batch;
  std::array<torch::Tensor, 3> src, pos;
  for (int l = 0; l < 3; ++l) {
    const int64_t h = multi_scale[l].size(2), w = multi_scale[l].size(3);
    // [B*T, C, h, w] -> tokens [(T*h*w), B, C], frame-major, as the reference lays out its memory.
    const torch::Tensor p = sinePositionEmbedding3d(batch, frames, h, w, hidden_dim_ / 2, multi_scale[l].options()).flatten(3);
    pos[l] = p.view({batch, frames, hidden_dim_, h * w}).permute({1, 3, 0, 2}).flatten(0, 1);
    const torch::Tensor s = multi_scale[l].flatten(2) + level_embed_->weight[l].view({1, -1, 1});
    src[l] = s.view({batch, frames, hidden_dim_, h * w}).permute({1, 3, 0, 2}).flatten(0, 1);
  }
  const torch::Tensor query_pos = query_embed_->weight.unsqueeze(1).repeat({1, batch, 1});
  torch::Tensor output = query_feat_->weight.unsqueeze(1).repeat({1, batch, 1});
  torch::Tensor blocked = head(output, 0);
  for (int64_t i = 0; i < num_layers_; ++i) {
    const int64_t level = i % 3;
    // A query whose mask is empty everywhere may attend everywhere.
    blocked.index_put_({blocked.all(-1)}, false);
    output = cross_layers_[i]->as<AttentionLayer>()->forward(output, src[level], blocked, pos[level], query_pos);
    output = self_layers_[i]->as<AttentionLayer>()->forward(output, output, {}, query_pos, query_pos);
    output = ffn_layers_[i]->as<FfnLayer>()->forward(output);
    const bool last = i + 1 == num_layers_;
    blocked = head(output, last ? -1 : static_cast<int>((i + 1) % 3));
  }
  return output;
}

DecoderOutput VideoTransformerDecoderImpl::forward(const std::array<torch::Tensor, 3>& multi_scale,
                                                   const torch::Tensor& mask_features, int64_t batch) {
  std::vector<DecoderPrediction> predictions;
  decode(multi_scale, batch, [&](const torch::Tensor& output, int level) {
    auto [logits, embed] = heads(output);
    predictions.push_back({logits, masksOf(embed, mask_features, batch), {}});
    if (level < 0) return torch::Tensor();
    const torch::Tensor& masks = predictions.back().pred_masks;
    const int64_t h = multi_scale[level].size(2), w = multi_scale[level].size(3);
    const torch::Tensor resized = resizeBilinear(masks.flatten(0, 1), h, w);
    return blockedWhereBackground(resized.view({masks.size(0), masks.size(1), masks.size(2), h, w}));
  });
  if (quality_head && !(is_training() && qualityHeadFrozen())) {
    // The reference scores every output while training (deep supervision) and only the last in eval.
    // A frozen head (the rounds' FREEZE_MASKIOU) feeds no loss, so training skips it.
    const size_t first = is_training() ? 0 : predictions.size() - 1;
    std::vector<torch::Tensor> masks;
    for (size_t i = first; i < predictions.size(); ++i) masks.push_back(predictions[i].pred_masks);
    std::vector<torch::Tensor> ious = quality_head->forwardMany(multi_scale[0], masks);
    for (size_t i = first; i < predictions.size(); ++i) predictions[i].pred_maskiou = std::move(ious[i - first]);
  }
  DecoderOutput out;
  out.main = predictions.back();
  out.aux.assign(predictions.begin(), predictions.end() - 1);
  return out;
}

bool VideoTransformerDecoderImpl::qualityHeadFrozen() const {
  for (const auto& p : quality_head->parameters()) {
    if (p.requires_grad()) return false;
  }
  return true;
}

DecoderQueries VideoTransformerDecoderImpl::forwardQueries(const std::array<torch::Tensor, 3>& multi_scale,
                                                           const torch::Tensor& mask_features, int64_t batch) {
  std::array<torch::Tensor, 3> level_features;
  for (int l = 0; l < 3; ++l) {
    level_features[l] = resizeBilinear(mask_features, multi_scale[l].size(2), multi_scale[l].size(3));
  }
  DecoderQueries last;
  decode(multi_scale, batch, [&](const torch::Tensor& output, int level) {
    std::tie(last.pred_logits, last.mask_embed) = heads(output);
    if (level < 0) return torch::Tensor();
    return blockedWhereBackground(masksOf(last.mask_embed, level_features[level], batch));
  });
  return last;
}

}  // namespace autoqvis
