// Mask2Former's MSDeformAttnPixelDecoder: projects res3..res5 to conv_dim, runs the deformable encoder
// over them, adds one FPN level from res2 and produces the 1/4-resolution mask features. It always runs
// in float32, as the reference does (autocast disabled there).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/pimpl.h>

#include "core/config/model_options.h"
#include "core/model/conv2d_norm.h"
#include "core/model/deformable_encoder.h"
#include "core/model/resnet.h"

namespace autoqvis {

struct PixelDecoderOutput {
  torch::Tensor mask_features;  ///< [N, mask_dim, H/4, W/4]
  /// The encoder outputs at 1/32, 1/16, 1/8 (the transformer decoder's memory levels).
  std::array<torch::Tensor, 3> multi_scale;
};

class PixelDecoderImpl : public torch::nn::Module {
 public:
  /// `backbone_channels`: output channels of res2..res5.
  PixelDecoderImpl(const ModelOptions& options, const std::array<int64_t, 4>& backbone_channels);
  PixelDecoderOutput forward(const BackboneFeatures& features);

 private:
  int64_t conv_dim_;
  torch::nn::ModuleList input_proj_;
  DeformableTransformer transformer_{nullptr};
  Conv2dNorm mask_features_{nullptr}, adapter_1_{nullptr}, layer_1_{nullptr};
};
TORCH_MODULE(PixelDecoder);

}  // namespace autoqvis
