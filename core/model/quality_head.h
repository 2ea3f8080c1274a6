// AutoQ-VIS's mask-quality predictor (MaskIoUFeatureExtractor, Mask-Scoring-R-CNN style): from the
// whole-frame 1/32 pixel-decoder features and one query's per-frame mask logits it regresses the mask's
// IoU, one value per query and frame. Registered as "maskiou_feature_extractor" in the decoder.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>
#include <vector>

namespace autoqvis {

class QualityHeadImpl : public torch::nn::Module {
 public:
  /// `in_channels`: pixel-decoder channels + 1 (the mask); conv and fc widths as in the reference (256, 1024).
  QualityHeadImpl(int64_t in_channels, int64_t conv_dim = 256, int64_t fc_dim = 1024);
  /// features [B*T, C, h, w] (1/32 level), mask_logits [B, Q, T, H, W] (raw logits). Returns [B, Q, T, 1].
  torch::Tensor forward(const torch::Tensor& features, const torch::Tensor& mask_logits);
  /// The same for several decoder outputs' masks (all [B, Q, T, H, W]) on the same features, in one
  /// pass: the feature part of the first convolution is computed once, not per query and output.
  std::vector<torch::Tensor> forwardMany(const torch::Tensor& features, const std::vector<torch::Tensor>& mask_logits);
  /// The 257/65-channel input the convolutions see, [(B*Q*T), C + 1, 14, 14] in (b, q, t) order.
  torch::Tensor headInput(const torch::Tensor& features, const torch::Tensor& mask_logits) const;

 private:
  torch::Tensor maskInput(const torch::Tensor& mask_logits) const;
  torch::Tensor featureInput(const torch::Tensor& features) const;

  torch::nn::Conv2d fcn1_{nullptr}, fcn2_{nullptr}, fcn3_{nullptr}, fcn4_{nullptr};
  torch::nn::Linear fc1_{nullptr}, fc2_{nullptr}, fc3_{nullptr};
};
TORCH_MODULE(QualityHead);

}  // namespace autoqvis
