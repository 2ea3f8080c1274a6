#include "core/train/video_matcher.h"

#include "core/train/linear_assignment.h"
#include "core/util/error.h"

namespace autoqvis {
namespace {

// Mean BCE of every prediction row against every target row, [N, M]. BCE(x, t) is linear in t, so
// the pairwise sums are two matrix products of the per-point BCE against 1 and against 0.
torch::Tensor pairwiseSigmoidCe(const torch::Tensor& inputs, const torch::Tensor& targets) {
  const int64_t points = inputs.size(1);
  const torch::Tensor pos = torch::binary_cross_entropy_with_logits(inputs, torch::ones_like(inputs), {}, {},
                                                                    at::Reduction::None);
  const torch::Tensor neg = torch::binary_cross_entropy_with_logits(inputs, torch::zeros_like(inputs), {}, {},
                                                                    at::Reduction::None);
  const torch::Tensor loss = torch::einsum("nc,mc->nm", {pos, targets}) + torch::einsum("nc,mc->nm", {neg, 1 - targets});
  return loss / points;
}

// Dice loss 1 - (2 sum(s t) + 1) / (sum s + sum t + 1) of every prediction row against every target row.
torch::Tensor pairwiseDice(const torch::Tensor& inputs, const torch::Tensor& targets) {
  const torch::Tensor probs = inputs.sigmoid().flatten(1);
  const torch::Tensor numerator = 2 * torch::einsum("nc,mc->nm", {probs, targets});
  const torch::Tensor denominator = probs.sum(-1).unsqueeze(1) + targets.sum(-1).unsqueeze(0);
  return 1 - (numerator + 1) / (denominator + 1);
}

}  // namespace

VideoHungarianMatcher::VideoHungarianMatcher(MatcherOptions options) : options_(options) {
  if (options_.cost_class == 0 && options_.cost_mask == 0 && options_.cost_dice == 0)
    throw Error("matcher cost weights cannot all be 0");
  if (options_.num_points < 1) throw Error("matcher needs at least one point");
}

torch::Tensor VideoHungarianMatcher::costMatrix(const torch::Tensor& logits, const torch::Tensor& masks,
                                                const VideoTargets& target, const torch::Tensor& points) const {
  torch::NoGradGuard no_grad;
  const int64_t queries = logits.size(0);
  const torch::Tensor labels = target.labels.to(logits.device());
  // -p(target class): the "1 -" of 1 - p does not change the assignment.
  const torch::Tensor cost_class = -logits.softmax(-1).index_select(1, labels);
  const torch::Tensor tgt_masks = target.masks.to(masks.options());
  // Frames are channels of the point read, so one point set covers the whole clip: [*, T * P].
  const torch::Tensor tgt_points = pointSample(tgt_masks, points.repeat({tgt_masks.size(0), 1, 1})).flatten(1);
  const torch::Tensor out_points = pointSample(masks, points.repeat({queries, 1, 1})).flatten(1).to(torch::kFloat32);
  const torch::Tensor cost_mask = pairwiseSigmoidCe(out_points, tgt_points.to(torch::kFloat32));
  const torch::Tensor cost_dice = pairwiseDice(out_points, tgt_points.to(torch::kFloat32));
  const torch::Tensor cost =
      options_.cost_mask * cost_mask + options_.cost_class * cost_class + options_.cost_dice * cost_dice;
  return cost.reshape({queries, -1}).to(torch::kCPU);
}

std::vector<MatchIndices> VideoHungarianMatcher::match(const torch::Tensor& pred_logits, const torch::Tensor& pred_masks,
                                                       const std::vector<VideoTargets>& targets,
                                                       RandomPointSource& random,
                                                       std::vector<torch::Tensor>* costs) const {
  if (pred_logits.dim() != 3 || pred_masks.dim() != 5 || pred_logits.size(0) != pred_masks.size(0) ||
      pred_logits.size(1) != pred_masks.size(1))
    throw Error("matcher expects pred_logits [B, Q, C+1] and pred_masks [B, Q, T, h, w]");
  if (int64_t(targets.size()) != pred_logits.size(0))
    throw Error("matcher got " + std::to_string(targets.size()) + " targets for a batch of " +
                std::to_string(pred_logits.size(0)));
  torch::NoGradGuard no_grad;
  std::vector<MatchIndices> indices;
  if (costs) costs->clear();
  for (int64_t b = 0; b < pred_logits.size(0); ++b) {
    const VideoTargets& target = targets[size_t(b)];
    // Drawn even for a video without instances, so the generator advances exactly as in the reference.
    const torch::Tensor points = random.uniform({1, options_.num_points, 2}, torch::TensorOptions().device(pred_masks.device()));
    if (target.masks.defined() && target.masks.dim() == 4 && target.masks.size(1) != pred_masks.size(2))
      throw Error("matcher: targets have " + std::to_string(target.masks.size(1)) + " frames, predictions " +
                  std::to_string(pred_masks.size(2)));
    torch::Tensor cost;
    if (target.numInstances() == 0) {
      cost = torch::zeros({pred_logits.size(1), 0});
    } else {
      cost = costMatrix(pred_logits[b], pred_masks[b], target, points);
    }
    if (costs) costs->push_back(cost);
    indices.push_back(assignmentOf(cost));
  }
  return indices;
}

MatchIndices assignmentOf(const torch::Tensor& cost) {
  if (cost.dim() != 2) throw Error("assignmentOf expects a 2-D cost matrix");
  // scipy converts the float32 matrix to float64 before solving; so do we.
  const torch::Tensor c = cost.detach().to(torch::kCPU, torch::kFloat64).contiguous();
  const std::vector<double> values(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
  const Assignment a = linearSumAssignment(values, c.size(0), c.size(1));
  MatchIndices m;
  m.src = torch::tensor(a.rows, torch::kLong);
  m.tgt = torch::tensor(a.cols, torch::kLong);
  return m;
}

}  // namespace autoqvis
