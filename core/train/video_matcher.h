// VideoHungarianMatcher (method.md §3.2): per video, a cost between every query and every GT instance from
// the class probability and point-sampled BCE and Dice over all frames, then an exact one-to-one
// assignment. The points are drawn once per video and shared by all queries, GTs and frames.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "core/train/point_sampling.h"
#include "core/train/video_targets.h"

namespace autoqvis {

struct MatcherOptions {
  double cost_class = 2.0;    ///< weight of -p(target class)
  double cost_mask = 5.0;     ///< weight of the mean point BCE
  double cost_dice = 5.0;     ///< weight of the point Dice loss
  int64_t num_points = 12544; ///< shared points per video
};

/// One video's matching: pairs (src[i], tgt[i]) of query and GT index, src ascending.
struct MatchIndices {
  torch::Tensor src;  ///< [N] int64 query indices
  torch::Tensor tgt;  ///< [N] int64 GT indices (into VideoTargets)
};

class VideoHungarianMatcher {
 public:
  explicit VideoHungarianMatcher(MatcherOptions options = {});

  /// pred_logits [B, Q, C + 1], pred_masks [B, Q, T, h, w], one VideoTargets per video. Draws one
  /// [1, num_points, 2] point set per video from `random`, in video order. If `costs` is given it receives
  /// each video's cost matrix [Q, K] (float32, CPU).
  std::vector<MatchIndices> match(const torch::Tensor& pred_logits, const torch::Tensor& pred_masks,
                                  const std::vector<VideoTargets>& targets, RandomPointSource& random,
                                  std::vector<torch::Tensor>* costs = nullptr) const;

  /// One video's cost C = w_mask * BCE + w_class * (-p) + w_dice * Dice, [Q, K] float32, for logits
  /// [Q, C + 1], masks [Q, T, h, w] and the shared `points` [1, P, 2].
  torch::Tensor costMatrix(const torch::Tensor& logits, const torch::Tensor& masks, const VideoTargets& target,
                           const torch::Tensor& points) const;

  const MatcherOptions& options() const { return options_; }

 private:
  MatcherOptions options_;
};

/// The exact assignment of a cost matrix [rows, cols] (any float dtype; solved in double).
MatchIndices assignmentOf(const torch::Tensor& cost);

}  // namespace autoqvis
