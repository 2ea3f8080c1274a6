// "maskiou_all" of VideoSetCriterion (method.md §3.5) and the best-GT IoUs that it and the label DropLoss
// (§3.4(c)) share.
#include <algorithm>
#include <limits>

#include "core/train/criterion_terms.h"
#include "core/util/error.h"

namespace autoqvis {
namespace {

// Queries upsampled at a time: bounds the [chunk, T, H_pad, W_pad] float buffer.
constexpr int64_t kQueryChunk = 8;

// Binary masks of `logits` [n, T, h, w] at [H, W]: bilinear upsampling, then sigmoid > 0.5 — not
// logit > 0, which differs in float32 for |logit| below ~1e-7 (fixture README, "Margins").
torch::Tensor binarisedAt(const torch::Tensor& logits, int64_t height, int64_t width) {
  const int64_t n = logits.size(0), frames = logits.size(1);
  const torch::Tensor up = torch::nn::functional::interpolate(
      logits.reshape({n * frames, 1, logits.size(2), logits.size(3)}),
      torch::nn::functional::InterpolateFuncOptions()
          .size(std::vector<int64_t>{height, width})
          .mode(torch::kBilinear)
          .align_corners(false));
  return up.sigmoid().gt(0.5).reshape({n, frames, height * width});
}

// Per-frame IoU |P n G| / (|P u G| + 1e-6) of every query against every GT, [n, K, T] float32. The
// intersections are pixel counts from a matrix product: exact while a count stays below the float
// mantissa (2^24), beyond which double is used.
torch::Tensor frameIous(const torch::Tensor& pred /*[n,T,HW] bool*/, const torch::Tensor& gt /*[K,T,HW] bool*/) {
  const bool exact_in_float = pred.size(2) < (int64_t(1) << 24);
  const auto dtype = exact_in_float ? torch::kFloat32 : torch::kFloat64;
  const torch::Tensor p = pred.to(dtype), g = gt.to(dtype);
  // [T, n, HW] x [T, HW, K] -> [T, n, K] -> [n, K, T]
  const torch::Tensor inter = torch::bmm(p.transpose(0, 1), g.permute({1, 2, 0})).permute({1, 2, 0});
  const torch::Tensor p_area = p.sum(-1).unsqueeze(1);  // [n, 1, T]
  const torch::Tensor g_area = g.sum(-1).unsqueeze(0);  // [1, K, T]
  const torch::Tensor uni = p_area + g_area - inter;
  // Counts are integers, so the casts are exact; the division happens in float32 like the reference's.
  return inter.to(torch::kFloat32) / (uni.to(torch::kFloat32) + 1e-6);
}

// Index of the GT with the strictly highest mean IoU, starting from -1e-5 (so an all-zero row picks GT 0).
int64_t bestGt(const float* mean_ious, int64_t count) {
  float best = -1e-5f;
  int64_t index = -1;
  for (int64_t k = 0; k < count; ++k) {
    if (mean_ious[k] > best) {
      best = mean_ious[k];
      index = k;
    }
  }
  return index;
}

}  // namespace

BestGtIous bestGtFrameIous(const torch::Tensor& pred_masks, const std::vector<VideoTargets>& targets) {
  if (pred_masks.dim() != 5 || int64_t(targets.size()) != pred_masks.size(0))
    throw Error("bestGtFrameIous expects pred_masks [B, Q, T, h, w] and one target per video");
  torch::NoGradGuard no_grad;
  const int64_t batch = pred_masks.size(0), queries = pred_masks.size(1), frames = pred_masks.size(2);
  BestGtIous out;
  out.frame_ious = torch::zeros({batch, queries, frames}, torch::kFloat32);
  out.best_gt = torch::full({batch, queries}, -1, torch::kLong);
  for (int64_t b = 0; b < batch; ++b) {
    const VideoTargets& target = targets[size_t(b)];
    if (target.numInstances() == 0) continue;  // no GT: the target stays all zeros
    const torch::Tensor gt_masks = target.masks.to(pred_masks.device());
    const int64_t height = gt_masks.size(2), width = gt_masks.size(3);
    const torch::Tensor gt = gt_masks.gt(0.5).reshape({gt_masks.size(0), frames, height * width});
    for (int64_t q0 = 0; q0 < queries; q0 += kQueryChunk) {
      const int64_t n = std::min(kQueryChunk, queries - q0);
      const torch::Tensor pred = binarisedAt(pred_masks[b].narrow(0, q0, n).detach(), height, width);
      const torch::Tensor ious = frameIous(pred, gt).cpu().contiguous();  // [n, K, T]
      const torch::Tensor means = ious.mean(-1).contiguous();            // [n, K]
      for (int64_t i = 0; i < n; ++i) {
        const int64_t k = bestGt(means[i].data_ptr<float>(), means.size(1));
        if (k < 0) continue;
        out.best_gt[b][q0 + i] = k;
        out.frame_ious[b][q0 + i].copy_(ious[i][k]);
      }
    }
  }
  out.frame_ious = out.frame_ious.to(pred_masks.device());
  return out;
}

torch::Tensor qualityLoss(const torch::Tensor& pred_maskiou, const BestGtIous& targets) {
  if (!pred_maskiou.defined())
    throw Error("the quality loss needs the quality head's predictions (pred_maskiou)");
  if (pred_maskiou.numel() != targets.frame_ious.numel())
    throw Error("pred_maskiou has " + std::to_string(pred_maskiou.numel()) + " values, expected B*Q*T = " +
                std::to_string(targets.frame_ious.numel()));
  // Flattened in (b, q, t) order on both sides; the targets carry no gradient.
  return torch::mse_loss(pred_maskiou.reshape({-1}), targets.frame_ious.reshape({-1}).to(pred_maskiou.options()),
                         at::Reduction::Mean);
}

}  // namespace autoqvis
