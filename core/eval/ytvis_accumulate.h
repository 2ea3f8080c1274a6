// The official accumulate() and summarize() of YouTube-VIS evaluation: precision at 101 recall points and
// recall for every IoU threshold, category, area range and detection limit, then the 12 summary stats.
#pragma once

#include <array>
#include <vector>

#include "core/eval/ytvis_cell_eval.h"

namespace autoqvis {

/// The arrays of ytvoseval.eval, laid out in NumPy's C order so that flattening matches the official
/// means bit for bit. -1 marks entries without (non-ignored) ground truth.
struct YtvisAccumulation {
  static constexpr int kT = static_cast<int>(ytvis_params::kIouThresholds.size());
  static constexpr int kR = ytvis_params::kNumRecallThresholds;
  static constexpr int kA = static_cast<int>(ytvis_params::kAreaRanges.size());
  static constexpr int kM = static_cast<int>(ytvis_params::kMaxDets.size());

  int num_categories = 1;         ///< K (1 when class-agnostic)
  std::vector<double> precision;  ///< [T][R][K][A][M]
  std::vector<double> recall;     ///< [T][K][A][M]

  size_t precisionIndex(int t, int r, int k, int a, int m) const {
    return (((static_cast<size_t>(t) * kR + r) * num_categories + k) * kA + a) * kM + m;
  }
  size_t recallIndex(int t, int k, int a, int m) const {
    return ((static_cast<size_t>(t) * num_categories + k) * kA + a) * kM + m;
  }
};

/// `by_category[k]` holds the evaluated cells of category k in ascending video-id order (cells with
/// neither ground truth nor detections are left out, as the official code skips them).
YtvisAccumulation accumulateYtvis(const std::vector<std::vector<const CellResult*>>& by_category);

/// stats[0..11] = AP, AP50, AP75, APs, APm, APl (100 detections), AR1, AR10, AR100, ARs, ARm, ARl.
std::array<double, 12> summarizeYtvis(const YtvisAccumulation& accumulation);

}  // namespace autoqvis
