#include "core/model/resnet.h"

#include <torch/torch.h>

#include "core/util/error.h"

namespace autoqvis {
namespace {

std::array<int, 4> blocksPerStage(int depth) {
  switch (depth) {
    case 18: return {2, 2, 2, 2};
    case 34: return {3, 4, 6, 3};
    case 50: return {3, 4, 6, 3};
    case 101: return {3, 4, 23, 3};
    default: throw Error("resnet_depth must be 18, 34, 50 or 101, got " + std::to_string(depth), atKey("", "model.resnet_depth"));
  }
}

Conv2dNormOptions frozenConv(int64_t in, int64_t out, int64_t kernel, int64_t stride, bool relu) {
  Conv2dNormOptions o;
  o.in_channels = in;
  o.out_channels = out;
  o.kernel = kernel;
  o.stride = stride;
  o.padding = kernel / 2;
  o.norm = NormKind::FrozenBN;
  o.relu = relu;
  return o;
}

}  // namespace

BasicStemImpl::BasicStemImpl(int64_t in_channels, int64_t out_channels) {
  conv1_ = register_module("conv1", Conv2dNorm(frozenConv(in_channels, out_channels, 7, 2, true)));
}

torch::Tensor BasicStemImpl::forward(const torch::Tensor& x) {
  return torch::max_pool2d(conv1_->forward(x), 3, 2, 1);
}

ResidualBlockImpl::ResidualBlockImpl(int64_t in_channels, int64_t out_channels, int64_t bottleneck_channels,
                                     int64_t stride, bool stride_in_1x1) {
  if (in_channels != out_channels) {
    shortcut_ = register_module("shortcut", Conv2dNorm(frozenConv(in_channels, out_channels, 1, stride, false)));
  }
  if (bottleneck_channels == 0) {  // basic block
    conv1_ = register_module("conv1", Conv2dNorm(frozenConv(in_channels, out_channels, 3, stride, true)));
    conv2_ = register_module("conv2", Conv2dNorm(frozenConv(out_channels, out_channels, 3, 1, false)));
    return;
  }
  const int64_t stride_1x1 = stride_in_1x1 ? stride : 1;
  const int64_t stride_3x3 = stride_in_1x1 ? 1 : stride;
  conv1_ = register_module("conv1", Conv2dNorm(frozenConv(in_channels, bottleneck_channels, 1, stride_1x1, true)));
  conv2_ = register_module("conv2", Conv2dNorm(frozenConv(bottleneck_channels, bottleneck_channels, 3, stride_3x3, true)));
  conv3_ = register_module("conv3", Conv2dNorm(frozenConv(bottleneck_channels, out_channels, 1, 1, false)));
}

torch::Tensor ResidualBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = conv2_->forward(conv1_->forward(x));
  if (conv3_) y = conv3_->forward(y);
  const torch::Tensor identity = shortcut_ ? shortcut_->forward(x) : x;
  if (!torch::GradMode::is_enabled()) return torch::relu_(y.add_(identity));  // in place: no extra pass
  return torch::relu(y + identity);
}

ResNetImpl::ResNetImpl(const ModelOptions& options) {
  const auto blocks = blocksPerStage(options.resnet_depth);
  const bool basic = options.resnet_depth < 50;
  if (basic && options.res2_out_channels != 64) {
    throw Error("ResNet-18/34 need res2_out_channels 64", atKey("", "model.res2_out_channels"));
  }
  stem_ = register_module("stem", BasicStem(3, options.stem_out_channels));
  int64_t in_channels = options.stem_out_channels;
  for (int s = 0; s < 4; ++s) {
    const int64_t out_channels = int64_t{options.res2_out_channels} << s;
    const int64_t bottleneck = basic ? 0 : int64_t{options.width_per_group} << s;
    torch::nn::ModuleList stage;
    for (int b = 0; b < blocks[s]; ++b) {
      const int64_t stride = (b == 0 && s > 0) ? 2 : 1;
      stage->push_back(ResidualBlock(b == 0 ? in_channels : out_channels, out_channels, bottleneck, stride,
                                     options.stride_in_1x1));
    }
    stages_[s] = register_module("res" + std::to_string(s + 2), stage);
    out_channels_[s] = out_channels;
    in_channels = out_channels;
  }
}

BackboneFeatures ResNetImpl::forward(const torch::Tensor& images) {
  std::array<torch::Tensor, 4> outputs;
  torch::Tensor x = stem_->forward(images);
  for (int s = 0; s < 4; ++s) {
    for (const auto& block : *stages_[s]) x = block->as<ResidualBlock>()->forward(x);
    outputs[s] = x;
  }
  return {outputs[0], outputs[1], outputs[2], outputs[3]};
}

}  // namespace autoqvis
