#include "core/eval/ytvis_accumulate.h"

#include <algorithm>

#include "core/eval/numpy_reduce.h"

namespace autoqvis {
namespace {

using ytvis_params::kMaxDets;

// The detections of one (category, area, maxDet) combination, concatenated over videos and sorted.
struct Pooled {
  std::vector<size_t> order;                              // into the concatenation, best score first
  std::vector<std::pair<const CellResult*, int>> source;  // concatenation position -> (cell, detection)
  int64_t num_gt_counted = 0;
};

Pooled pool(const std::vector<const CellResult*>& cells, int a, int max_det) {
  Pooled pooled;
  std::vector<double> scores;
  for (const CellResult* cell : cells) {
    const int kept = std::min(max_det, cell->numDetections());
    for (int d = 0; d < kept; ++d) {
      scores.push_back(cell->dt_scores[d]);
      pooled.source.emplace_back(cell, d);
    }
    pooled.num_gt_counted += cell->areas[a].num_gt_counted;
  }
  // A stable sort of the video-ordered concatenation: equal scores keep the lower video id first.
  pooled.order = orderByScore(scores);
  return pooled;
}

// One row of the precision table (101 recall points) and the final recall, for threshold t.
void precisionRecall(const Pooled& pooled, int a, int t, std::array<double, YtvisAccumulation::kR>& q,
                     double& recall) {
  const size_t nd = pooled.order.size();
  const double npig = static_cast<double>(pooled.num_gt_counted);
  // Ignored detections stay in the arrays with no increment, as np.cumsum over the masked flags does.
  std::vector<double> rc(nd), pr(nd);
  double tp = 0, fp = 0;
  for (size_t i = 0; i < nd; ++i) {
    const auto [cell, d] = pooled.source[pooled.order[i]];
    const size_t flag = static_cast<size_t>(t) * cell->numDetections() + d;
    const bool matched = cell->areas[a].dt_matched[flag], ignored = cell->areas[a].dt_ignored[flag];
    if (!ignored) (matched ? tp : fp) += 1;
    rc[i] = tp / npig;
    pr[i] = tp / (fp + tp + ytvis_params::kEps);  // same operation order as NumPy: (fp + tp) + eps
  }
  recall = nd ? rc[nd - 1] : 0.0;
  for (size_t i = nd; i-- > 1;) pr[i - 1] = std::max(pr[i - 1], pr[i]);  // precision envelope
  const auto& rec_thrs = ytvis_params::recallThresholds();
  for (int r = 0; r < YtvisAccumulation::kR; ++r) {
    // np.searchsorted(rc, r, side='left'); past the end the official try/except leaves 0.
    const size_t at = std::lower_bound(rc.begin(), rc.end(), rec_thrs[r]) - rc.begin();
    q[r] = at < nd ? pr[at] : 0.0;
  }
}

// np.mean of the entries > -1 of a selection, in the selection's C order; -1 when none.
double meanOfValid(const std::vector<double>& values) {
  std::vector<double> valid;
  for (double v : values) {
    if (v > -1) valid.push_back(v);
  }
  return valid.empty() ? -1.0 : numpyMean(valid);
}

// _summarize for precision (ap) at one area range and detection limit, optionally one IoU threshold.
double summarizePrecision(const YtvisAccumulation& acc, int t_only, int a, int m) {
  std::vector<double> selected;
  for (int t = 0; t < YtvisAccumulation::kT; ++t) {
    if (t_only >= 0 && t != t_only) continue;
    for (int r = 0; r < YtvisAccumulation::kR; ++r) {
      for (int k = 0; k < acc.num_categories; ++k)
        selected.push_back(acc.precision[acc.precisionIndex(t, r, k, a, m)]);
    }
  }
  return meanOfValid(selected);
}

double summarizeRecall(const YtvisAccumulation& acc, int a, int m) {
  std::vector<double> selected;
  for (int t = 0; t < YtvisAccumulation::kT; ++t) {
    for (int k = 0; k < acc.num_categories; ++k) selected.push_back(acc.recall[acc.recallIndex(t, k, a, m)]);
  }
  return meanOfValid(selected);
}

}  // namespace

YtvisAccumulation accumulateYtvis(const std::vector<std::vector<const CellResult*>>& by_category) {
  YtvisAccumulation acc;
  acc.num_categories = static_cast<int>(by_category.size());
  const size_t K = by_category.size();
  acc.precision.assign(
      YtvisAccumulation::kT * YtvisAccumulation::kR * K * YtvisAccumulation::kA * YtvisAccumulation::kM,
      -1.0);
  acc.recall.assign(YtvisAccumulation::kT * K * YtvisAccumulation::kA * YtvisAccumulation::kM, -1.0);
  std::array<double, YtvisAccumulation::kR> q{};
  for (int k = 0; k < acc.num_categories; ++k) {
    if (by_category[k].empty()) continue;
    for (int a = 0; a < YtvisAccumulation::kA; ++a) {
      for (int m = 0; m < YtvisAccumulation::kM; ++m) {
        const Pooled pooled = pool(by_category[k], a, kMaxDets[m]);
        if (pooled.num_gt_counted == 0) continue;  // precision and recall stay -1
        for (int t = 0; t < YtvisAccumulation::kT; ++t) {
          double recall = 0;
          precisionRecall(pooled, a, t, q, recall);
          acc.recall[acc.recallIndex(t, k, a, m)] = recall;
          for (int r = 0; r < YtvisAccumulation::kR; ++r)
            acc.precision[acc.precisionIndex(t, r, k, a, m)] = q[r];
        }
      }
    }
  }
  return acc;
}

std::array<double, 12> summarizeYtvis(const YtvisAccumulation& acc) {
  constexpr int kAll = 0, kSmall = 1, kMedium = 2, kLarge = 3;
  constexpr int kM1 = 0, kM10 = 1, kM100 = 2;
  const int t50 = ytvis_params::kIouIndex50, t75 = ytvis_params::kIouIndex75;
  return {summarizePrecision(acc, -1, kAll, kM100),
          summarizePrecision(acc, t50, kAll, kM100),
          summarizePrecision(acc, t75, kAll, kM100),
          summarizePrecision(acc, -1, kSmall, kM100),
          summarizePrecision(acc, -1, kMedium, kM100),
          summarizePrecision(acc, -1, kLarge, kM100),
          summarizeRecall(acc, kAll, kM1),
          summarizeRecall(acc, kAll, kM10),
          summarizeRecall(acc, kAll, kM100),
          summarizeRecall(acc, kSmall, kM100),
          summarizeRecall(acc, kMedium, kM100),
          summarizeRecall(acc, kLarge, kM100)};
}

}  // namespace autoqvis
