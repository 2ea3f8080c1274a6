// "masks" and "masks_drop" of VideoSetCriterion (method.md §3.3, §3.4(b)): point-sampled BCE and Dice on
// every matched (pair, frame), normalised by the number of instances.
#include "core/train/criterion_terms.h"
#include "core/util/error.h"

namespace autoqvis {
namespace {

// Matched predictions and their GTs as single-channel frame-masks [N*T, 1, h, w] / [N*T, 1, H, W], rows in
// matching order (video by video, pair by pair, frame by frame).
std::pair<torch::Tensor, torch::Tensor> matchedFrameMasks(const torch::Tensor& pred_masks,
                                                          const std::vector<VideoTargets>& targets,
                                                          const std::vector<MatchIndices>& indices) {
  std::vector<torch::Tensor> src, tgt;
  for (size_t b = 0; b < indices.size(); ++b) {
    if (indices[b].src.numel() == 0) continue;
    src.push_back(pred_masks[int64_t(b)].index_select(0, indices[b].src.to(pred_masks.device())));
    tgt.push_back(targets[b].masks.index_select(0, indices[b].tgt.to(targets[b].masks.device())));
  }
  if (src.empty()) return {};
  const torch::Tensor src_masks = torch::cat(src).flatten(0, 1).unsqueeze(1);
  const torch::Tensor tgt_masks = torch::cat(tgt).to(pred_masks.options()).flatten(0, 1).unsqueeze(1);
  return {src_masks, tgt_masks};
}

// 1 - (2 sum(s t) + 1) / (sum s + sum t + 1) per row.
torch::Tensor diceLossPerRow(const torch::Tensor& logits, const torch::Tensor& labels) {
  const torch::Tensor probs = logits.sigmoid().flatten(1);
  const torch::Tensor numerator = 2 * (probs * labels).sum(-1);
  const torch::Tensor denominator = probs.sum(-1) + labels.sum(-1);
  return 1 - (numerator + 1) / (denominator + 1);
}

// DropLoss's soft IoU on the sampled points: I = sum(s t), U = sum(s + t) - I (no epsilon).
torch::Tensor softPointIou(const torch::Tensor& logits, const torch::Tensor& labels) {
  const torch::Tensor probs = logits.sigmoid();
  const torch::Tensor intersection = (probs * labels).sum(-1);
  const torch::Tensor uni = (probs + labels).sum(-1) - intersection;
  return intersection / uni;
}

}  // namespace

MaskLossResult maskLosses(const torch::Tensor& pred_masks, const std::vector<VideoTargets>& targets,
                          const std::vector<MatchIndices>& indices, double num_masks,
                          const UncertainPointOptions& points, bool droploss, double droploss_iou,
                          RandomPointSource& random) {
  MaskLossResult r;
  const auto [src_masks, tgt_masks] = matchedFrameMasks(pred_masks, targets, indices);
  if (!src_masks.defined()) {
    // No matched pair anywhere: zero losses that still belong to the graph. (The reference draws
    // zero-sized point sets here, which consumes no random numbers.)
    r.loss_mask = pred_masks.sum() * 0.0;
    r.loss_dice = pred_masks.sum() * 0.0;
    return r;
  }

  {
    // Where to look is not differentiated: the points come from the detached logits (§3.3).
    torch::NoGradGuard no_grad;
    r.point_coords = uncertainPointCoordsWithRandomness(src_masks, points, random, &r.topk_idx);
    // GT labels are bilinear reads of the float masks: fractional near edges.
    r.point_labels = pointSample(tgt_masks, r.point_coords).squeeze(1);
  }
  // Predictions at 1/4 resolution, GTs at full padded resolution: normalised coordinates cover both.
  const torch::Tensor point_logits = pointSample(src_masks, r.point_coords).squeeze(1);
  const torch::Tensor bce = torch::binary_cross_entropy_with_logits(point_logits, r.point_labels, {}, {},
                                                                    at::Reduction::None).mean(1);
  const torch::Tensor dice = diceLossPerRow(point_logits, r.point_labels);
  {
    torch::NoGradGuard no_grad;
    r.point_logits = point_logits.detach();
    r.frame_bce = bce.detach();
    r.frame_dice = dice.detach();
    r.soft_iou = softPointIou(r.point_logits, r.point_labels);
    // "<= threshold" compared in float32, as the reference; a NaN IoU is kept.
    r.keep = 1 - r.soft_iou.le(droploss_iou).to(torch::kFloat32);
  }
  if (droploss) {
    r.loss_mask = (bce * r.keep).sum() / num_masks;
    r.loss_dice = (dice * r.keep).sum() / num_masks;
  } else {
    r.keep = torch::ones_like(r.keep);
    r.loss_mask = bce.sum() / num_masks;
    r.loss_dice = dice.sum() / num_masks;
  }
  return r;
}

}  // namespace autoqvis
