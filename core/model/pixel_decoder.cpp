#include "core/model/pixel_decoder.h"

#include <torch/torch.h>

#include "core/model/position_embedding.h"

namespace autoqvis {
namespace {

// c2_xavier_fill: kaiming_uniform with a = 1, bias 0 (detectron2's weight_init).
void c2XavierFill(Conv2dNorm& conv) {
  torch::NoGradGuard no_grad;
  for (auto& p : conv->named_parameters(false)) {
    if (p.key() == "weight") torch::nn::init::kaiming_uniform_(p.value(), 1.0);
    if (p.key() == "bias") p.value().zero_();
  }
}

Conv2dNormOptions convOptions(int64_t in, int64_t out, int64_t kernel, bool bias, NormKind norm, bool relu) {
  Conv2dNormOptions o;
  o.in_channels = in;
  o.out_channels = out;
  o.kernel = kernel;
  o.padding = kernel / 2;
  o.bias = bias;
  o.norm = norm;
  o.relu = relu;
  return o;
}

}  // namespace

PixelDecoderImpl::PixelDecoderImpl(const ModelOptions& options, const std::array<int64_t, 4>& backbone_channels)
    : conv_dim_(options.conv_dim) {
  // Low to high resolution: res5, res4, res3, each a 1x1 conv (with bias) and GroupNorm(32).
  for (int level = 3; level >= 1; --level) {
    torch::nn::Sequential proj(torch::nn::Conv2d(torch::nn::Conv2dOptions(backbone_channels[level], conv_dim_, 1)),
                               torch::nn::GroupNorm(torch::nn::GroupNormOptions(32, conv_dim_)));
    torch::nn::init::xavier_uniform_(proj[0]->as<torch::nn::Conv2d>()->weight);
    torch::nn::init::zeros_(proj[0]->as<torch::nn::Conv2d>()->bias);
    input_proj_->push_back(proj);
  }
  register_module("input_proj", input_proj_);
  transformer_ = register_module(
      "transformer", DeformableTransformer(options.encoder_layers, conv_dim_, options.encoder_ffn_dim, options.encoder_dropout,
                                           3, options.num_heads, options.encoder_points));
  mask_features_ = register_module("mask_features",
                                   Conv2dNorm(convOptions(conv_dim_, options.mask_dim, 1, true, NormKind::None, false)));
  adapter_1_ = register_module("adapter_1", Conv2dNorm(convOptions(backbone_channels[0], conv_dim_, 1, false,
                                                                   NormKind::GroupNorm32, false)));
  layer_1_ = register_module("layer_1",
                             Conv2dNorm(convOptions(conv_dim_, conv_dim_, 3, false, NormKind::GroupNorm32, true)));
  c2XavierFill(mask_features_);
  c2XavierFill(adapter_1_);
  c2XavierFill(layer_1_);
}

PixelDecoderOutput PixelDecoderImpl::forward(const BackboneFeatures& features) {
  const std::array<torch::Tensor, 3> inputs = {features.res5.to(torch::kFloat32), features.res4.to(torch::kFloat32),
                                               features.res3.to(torch::kFloat32)};
  std::vector<torch::Tensor> srcs, pos;
  for (size_t l = 0; l < inputs.size(); ++l) {
    srcs.push_back(input_proj_[l]->as<torch::nn::Sequential>()->forward(inputs[l]));
    pos.push_back(sinePositionEmbedding2d(inputs[l], conv_dim_ / 2));
  }
  const torch::Tensor memory = transformer_->forward(srcs, pos);
  // Split the tokens back into one map per level.
  PixelDecoderOutput out;
  int64_t start = 0;
  for (size_t l = 0; l < srcs.size(); ++l) {
    const int64_t h = srcs[l].size(2), w = srcs[l].size(3);
    out.multi_scale[l] = memory.narrow(1, start, h * w).transpose(1, 2).reshape({memory.size(0), -1, h, w});
    start += h * w;
  }
  // The extra FPN level at 1/4: lateral res2 plus the upsampled 1/8 map.
  const torch::Tensor lateral = adapter_1_->forward(features.res2.to(torch::kFloat32));
  const torch::Tensor upsampled = torch::nn::functional::interpolate(
      out.multi_scale[2], torch::nn::functional::InterpolateFuncOptions()
                              .size(std::vector<int64_t>{lateral.size(2), lateral.size(3)})
                              .mode(torch::kBilinear)
                              .align_corners(false));
  out.mask_features = mask_features_->forward(layer_1_->forward(lateral + upsampled));
  return out;
}

}  // namespace autoqvis
