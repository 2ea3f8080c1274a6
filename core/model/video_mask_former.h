// The whole VIS model (VideoMaskFormer): ResNet backbone, MSDeformAttn pixel decoder and the video
// transformer decoder, registered as "backbone", "sem_seg_head.pixel_decoder" and
// "sem_seg_head.predictor" so that detectron2 checkpoints (VideoCutLER, AutoQ-VIS) load by name.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include "core/config/model_options.h"
#include "core/model/pixel_decoder.h"
#include "core/model/resnet.h"
#include "core/model/video_transformer_decoder.h"

namespace autoqvis {

/// The head container ("sem_seg_head"): pixel decoder + transformer decoder.
class MaskFormerHeadImpl : public torch::nn::Module {
 public:
  MaskFormerHeadImpl(const ModelOptions& options, const std::array<int64_t, 4>& backbone_channels);
  PixelDecoder pixel_decoder{nullptr};
  VideoTransformerDecoder predictor{nullptr};
};
TORCH_MODULE(MaskFormerHead);

struct VideoMaskFormerOutput {
  DecoderOutput decoder;
  PixelDecoderOutput pixels;  ///< kept for the quality head (it reads the 1/32 features)
};

class VideoMaskFormerImpl : public torch::nn::Module {
 public:
  explicit VideoMaskFormerImpl(const ModelOptions& options);
  /// images: normalised, padded [B*T, 3, H, W] ordered video-major (index b*T + t); `batch` = B.
  VideoMaskFormerOutput forward(const torch::Tensor& images, int64_t batch);

  ResNet backbone{nullptr};
  MaskFormerHead sem_seg_head{nullptr};
};
TORCH_MODULE(VideoMaskFormer);

}  // namespace autoqvis
