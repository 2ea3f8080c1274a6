// The 2D sine position embedding of DETR / Mask2Former (PositionEmbeddingSine, normalize=True,
// scale 2*pi, temperature 10000), computed in float32 exactly as the reference does.
#pragma once

#include <ATen/core/Tensor.h>

namespace autoqvis {

/// [N, 2 * num_pos_feats, H, W] for a feature map of shape [N, *, H, W] without padding mask:
/// channels are (pos_y, pos_x), each interleaving sin (even) and cos (odd) frequencies.
at::Tensor sinePositionEmbedding2d(const at::Tensor& features, int64_t num_pos_feats);

}  // namespace autoqvis
