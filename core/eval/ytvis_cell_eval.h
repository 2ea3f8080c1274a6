// One cell of the official YouTube-VIS evaluation (ytvoseval.evaluateVid): the tracks of one video (of one
// category when class-aware), their spatio-temporal IoUs, and the greedy matching for every IoU
// threshold and area range. Cells are independent, so they are evaluated in parallel.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/eval/ytvis_eval_params.h"
#include "core/dataset/ytvis_json.h"

namespace autoqvis {

/// The inputs of one cell, in the order the official code builds them (see ytvis_eval.cpp).
struct EvalCell {
  int64_t video_id = 0;
  int category_index = 0;              ///< column k of the accumulated arrays (0 when class-agnostic)
  std::vector<const YtvisTrack*> gts;  ///< ground truth, in the official order
  std::vector<const YtvisTrack*> dts;  ///< detections, unsorted, in the official order
};

/// evaluateVid's output for the four area ranges. Detections are the best 100 by score.
struct CellResult {
  struct AreaResult {
    std::vector<uint8_t> dt_matched;  ///< [t * D + d]: matched to a ground-truth track at threshold t
    std::vector<uint8_t> dt_ignored;  ///< [t * D + d]: matched to an ignored GT, or unmatched and off-range
    int64_t num_gt_counted = 0;       ///< ground truth not ignored in this range (npig's share)
  };
  std::vector<double> dt_scores;  ///< scores of the kept detections, best first (stable for ties)
  std::array<AreaResult, 4> areas;

  int numDetections() const { return static_cast<int>(dt_scores.size()); }
};

/// The official avg_area: mean of the per-frame areas that are neither null nor 0 (Python's `if a`), as
/// np.mean computes it; 0 when none is left.
double averageTrackArea(const std::vector<std::optional<double>>& areas);

/// Positions of `scores` sorted by descending score as np.argsort(-scores, kind='mergesort'): stable
/// for ties, NaN last.
std::vector<size_t> orderByScore(const std::vector<double>& scores);

/// Sorts the detections, computes the IoUs on the runs of the masks and matches them.
CellResult evaluateCell(const EvalCell& cell);

}  // namespace autoqvis
