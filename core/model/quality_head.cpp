#include "core/model/quality_head.h"

#include <torch/torch.h>

namespace autoqvis {
namespace {

torch::nn::Conv2d conv3x3(int64_t in, int64_t out, int64_t stride) {
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(in, out, 3).stride(stride).padding(1));
  // The reference's init (matters only when the head is trained from scratch, as in stage 1).
  torch::nn::init::kaiming_normal_(conv->weight, 0.0, torch::kFanOut, torch::kReLU);
  torch::nn::init::zeros_(conv->bias);
  return conv;
}

torch::nn::Linear linear(int64_t in, int64_t out) {
  torch::nn::Linear fc(in, out);
  torch::nn::init::kaiming_uniform_(fc->weight, 1.0);
  torch::nn::init::zeros_(fc->bias);
  return fc;
}

torch::Tensor resize(const torch::Tensor& x, int64_t size) {
  return torch::nn::functional::interpolate(
      x, torch::nn::functional::InterpolateFuncOptions().size(std::vector<int64_t>{size, size}).mode(torch::kBilinear).align_corners(false));
}

}  // namespace

QualityHeadImpl::QualityHeadImpl(int64_t in_channels, int64_t conv_dim, int64_t fc_dim) {
  fcn1_ = register_module("maskiou_fcn1", conv3x3(in_channels, conv_dim, 1));
  fcn2_ = register_module("maskiou_fcn2", conv3x3(conv_dim, conv_dim, 1));
  fcn3_ = register_module("maskiou_fcn3", conv3x3(conv_dim, conv_dim, 1));
  fcn4_ = register_module("maskiou_fcn4", conv3x3(conv_dim, conv_dim, 2));
  fc1_ = register_module("maskiou_fc1", linear(conv_dim * 7 * 7, fc_dim));
  fc2_ = register_module("maskiou_fc2", linear(fc_dim, fc_dim));
  fc3_ = register_module("maskiou_fc3", torch::nn::Linear(fc_dim, 1));
  torch::nn::init::normal_(fc3_->weight, 0.0, 0.01);
  torch::nn::init::zeros_(fc3_->bias);
}

// Mask logits: 28x28, then 2x2 max-pool to 14x14: [B*Q*T, 1, 14, 14].
torch::Tensor QualityHeadImpl::maskInput(const torch::Tensor& mask_logits) const {
  return torch::max_pool2d(resize(mask_logits.flatten(0, 2).unsqueeze(1).to(torch::kFloat32), 28), 2, 2);
}

// Whole-frame features at 14x14, [B*T, C, 14, 14], shared by every query of the frame (resizing per
// frame first is the same arithmetic as the reference's resize after broadcasting).
torch::Tensor QualityHeadImpl::featureInput(const torch::Tensor& features) const {
  return resize(features.to(torch::kFloat32), 14);
}

torch::Tensor QualityHeadImpl::headInput(const torch::Tensor& features, const torch::Tensor& mask_logits) const {
  const int64_t b = mask_logits.size(0), q = mask_logits.size(1), t = mask_logits.size(2);
  const torch::Tensor x = featureInput(features);
  const int64_t c = x.size(1);
  const torch::Tensor per_query =
      x.view({b, 1, t, c, 14, 14}).expand({b, q, t, c, 14, 14}).reshape({b * q * t, c, 14, 14});
  return torch::cat({per_query, maskInput(mask_logits)}, 1);
}

torch::Tensor QualityHeadImpl::forward(const torch::Tensor& features, const torch::Tensor& mask_logits) {
  return forwardMany(features, {mask_logits}).front();
}

// fcn1 over [features, mask] is the sum of a convolution of the features and one of the mask (both
// zero-padded), so the feature half runs once per frame instead of once per query and output: in
// training, with every decoder output scored, that was most of the head's cost.
std::vector<torch::Tensor> QualityHeadImpl::forwardMany(const torch::Tensor& features,
                                                        const std::vector<torch::Tensor>& mask_logits) {
  const torch::Tensor& first = mask_logits.front();
  const int64_t outputs = static_cast<int64_t>(mask_logits.size());
  const int64_t b = first.size(0), q = first.size(1), t = first.size(2);
  const torch::Tensor x = featureInput(features);
  const int64_t c = x.size(1), d = fcn1_->weight.size(0);
  const torch::Tensor feature_part = torch::nn::functional::conv2d(
      x, fcn1_->weight.narrow(1, 0, c), torch::nn::functional::Conv2dFuncOptions().padding(1).bias(fcn1_->bias));
  std::vector<torch::Tensor> masks;
  for (const torch::Tensor& m : mask_logits) masks.push_back(maskInput(m));
  const torch::Tensor mask_part = torch::nn::functional::conv2d(
      torch::cat(masks, 0), fcn1_->weight.narrow(1, c, 1), torch::nn::functional::Conv2dFuncOptions().padding(1));
  torch::Tensor y = torch::relu(mask_part.view({outputs, b, q, t, d, 14, 14}) +
                                feature_part.view({1, b, 1, t, d, 14, 14}))
                        .view({outputs * b * q * t, d, 14, 14});
  y = torch::relu(fcn2_->forward(y));
  y = torch::relu(fcn3_->forward(y));
  y = torch::relu(fcn4_->forward(y)).flatten(1);
  y = torch::relu(fc1_->forward(y));
  y = torch::relu(fc2_->forward(y));
  const torch::Tensor ious = fc3_->forward(y).view({outputs, b, q, t, 1});
  std::vector<torch::Tensor> out;
  for (int64_t i = 0; i < outputs; ++i) out.push_back(ious[i]);
  return out;
}

}  // namespace autoqvis
