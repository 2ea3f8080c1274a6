#include "core/model/video_mask_former.h"

#include <torch/torch.h>

namespace autoqvis {

MaskFormerHeadImpl::MaskFormerHeadImpl(const ModelOptions& options, const std::array<int64_t, 4>& backbone_channels) {
  pixel_decoder = register_module("pixel_decoder", PixelDecoder(options, backbone_channels));
  predictor = register_module("predictor", VideoTransformerDecoder(options));
}

VideoMaskFormerImpl::VideoMaskFormerImpl(const ModelOptions& options) {
  backbone = register_module("backbone", ResNet(options));
  sem_seg_head = register_module("sem_seg_head", MaskFormerHead(options, backbone->outChannels()));
}

VideoMaskFormerOutput VideoMaskFormerImpl::forward(const torch::Tensor& images, int64_t batch) {
  VideoMaskFormerOutput out;
  out.pixels = sem_seg_head->pixel_decoder->forward(backbone->forward(images));
  out.decoder = sem_seg_head->predictor->forward(out.pixels.multi_scale, out.pixels.mask_features, batch);
  return out;
}

}  // namespace autoqvis
