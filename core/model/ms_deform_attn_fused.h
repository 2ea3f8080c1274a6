// A fused CPU kernel for the multi-scale deformable attention core: each query's bilinear samples are
// weighted and summed in one pass over the value map, with no [N*M, D, Lq, L*P] stacked intermediates.
// The sampling arithmetic is grid_sample's (bilinear, zeros padding, align_corners=False), so the result
// equals the grid-sample formulation up to the order of the final sum. Inference only: no autograd.
#pragma once

#include <ATen/core/Tensor.h>

#include "core/model/ms_deform_attn.h"

namespace autoqvis {

/// Same contract as msDeformAttnCore: value [N, S, M, D], locations [N, Lq, M, L, P, 2] as (x, y) in
/// [0, 1], weights [N, Lq, M, L, P]; returns [N, Lq, M*D]. float32 CPU tensors.
at::Tensor msDeformAttnCoreFused(const at::Tensor& value, const LevelShapes& shapes, const at::Tensor& locations,
                                 const at::Tensor& weights);

/// Whether the fused kernel can stand in for the grid-sample core for these inputs (CPU float32, no
/// gradient wanted, and not switched off).
bool fusedDeformAttnApplies(const at::Tensor& value, const at::Tensor& locations, const at::Tensor& weights);

/// Switches the fused kernel on (default) or off process-wide, e.g. to measure what it gains.
void setFusedDeformAttnEnabled(bool enabled);

}  // namespace autoqvis
