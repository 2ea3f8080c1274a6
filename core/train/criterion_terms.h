// The individual loss terms of VideoSetCriterion, one function per official loss ("labels", "labels_drop",
// "masks", "masks_drop", "maskiou_all"), for one decoder output whose matching is already known.
// Split out of set_criterion.cpp so each term can be read and tested on its own.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "core/train/point_sampling.h"
#include "core/train/video_matcher.h"
#include "core/train/video_targets.h"

namespace autoqvis {

/// Weighted-mean cross-entropy over all B x Q queries; unmatched queries target "no object" (the last
/// class). `class_weights` [C + 1]. With `query_weights` [B, Q] (label DropLoss) the per-query CE is
/// multiplied by them and divided by their sum (or not divided when the sum is 0), as the reference does.
torch::Tensor classificationLoss(const torch::Tensor& pred_logits, const std::vector<VideoTargets>& targets,
                                 const std::vector<MatchIndices>& indices, const torch::Tensor& class_weights,
                                 const torch::Tensor& query_weights = {});

struct MaskLossResult {
  torch::Tensor loss_mask, loss_dice;  ///< scalars, already divided by num_masks
  // Diagnostics (no grad), rows = matched (pair, frame) in matching order.
  torch::Tensor topk_idx, point_coords, point_logits, point_labels;
  torch::Tensor frame_bce, frame_dice, soft_iou, keep;
};

/// Point-sampled BCE and Dice of the matched pairs, frame by frame ("masks"; with `droploss` the
/// "masks_drop" variant: frame-masks whose soft point IoU is <= `droploss_iou` get weight 0).
MaskLossResult maskLosses(const torch::Tensor& pred_masks, const std::vector<VideoTargets>& targets,
                          const std::vector<MatchIndices>& indices, double num_masks,
                          const UncertainPointOptions& points, bool droploss, double droploss_iou,
                          RandomPointSource& random);

struct BestGtIous {
  torch::Tensor frame_ious;  ///< [B, Q, T] float32 per-frame IoU with the chosen GT (0 without GTs)
  torch::Tensor best_gt;     ///< [B, Q] int64 chosen GT (best mean-over-frames IoU), -1 without GTs
};

/// For every query: its mask logits upsampled to the padded GT size and binarised with sigmoid > 0.5,
/// per-frame IoU with every GT, and the GT with the highest mean IoU (first one on ties). No grad.
BestGtIous bestGtFrameIous(const torch::Tensor& pred_masks, const std::vector<VideoTargets>& targets);

/// "maskiou_all": MSE (mean over all B*Q*T entries) between pred_maskiou and the best-GT frame IoUs.
torch::Tensor qualityLoss(const torch::Tensor& pred_maskiou, const BestGtIous& targets);

}  // namespace autoqvis
