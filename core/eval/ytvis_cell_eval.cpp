#include "core/eval/ytvis_cell_eval.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/eval/numpy_reduce.h"
#include "core/eval/track_overlap.h"

namespace autoqvis {
namespace {

using ytvis_params::kAreaRanges;
using ytvis_params::kIouThresholds;
constexpr int kT = static_cast<int>(kIouThresholds.size());

// The per-track facts the matching needs, gathered once per cell.
struct TrackFacts {
  double avg_area = 0;
  bool crowd = false;
  bool has_id = false;  // official dtm stores the GT id, and an id of 0 reads as "unmatched"
};

bool outside(double area, const AreaRange& range) { return area < range.lo || area > range.hi; }

// The official result areas come from maskUtils.area of each mask, never from an "areas" field in the file.
double averageDecodedArea(const TrackRuns& runs) {
  std::vector<std::optional<double>> areas;
  areas.reserve(runs.size());
  for (const auto& frame : runs) {
    areas.push_back(frame ? std::optional<double>(static_cast<double>(frame->area)) : std::nullopt);
  }
  return averageTrackArea(areas);
}

// ious[d * G + g] for the kept detections against all ground truth, in the cell's GT order.
std::vector<double> computeIous(const std::vector<TrackRuns>& dts, const std::vector<TrackRuns>& gts) {
  std::vector<double> ious(dts.size() * gts.size(), 0.0);
  for (size_t d = 0; d < dts.size(); ++d) {
    for (size_t g = 0; g < gts.size(); ++g) ious[d * gts.size() + g] = spatioTemporalIou(dts[d], gts[g]);
  }
  return ious;
}

// The greedy matching of evaluateVid for one area range. `gt_order` lists GT positions non-ignored first
// (stable), which is the order the loop walks, so "break at the first ignored GT after a regular match"
// and "ties go to the later GT" come out exactly as in the official loop.
CellResult::AreaResult matchArea(const std::vector<double>& ious, const std::vector<TrackFacts>& gt,
                                 const std::vector<double>& dt_areas, const AreaRange& range) {
  const size_t G = gt.size(), D = dt_areas.size();
  std::vector<uint8_t> ignored(G);
  for (size_t g = 0; g < G; ++g) ignored[g] = gt[g].crowd || outside(gt[g].avg_area, range);
  std::vector<size_t> gt_order(G);
  std::iota(gt_order.begin(), gt_order.end(), 0);
  std::stable_sort(gt_order.begin(), gt_order.end(),
                   [&](size_t a, size_t b) { return ignored[a] < ignored[b]; });

  CellResult::AreaResult out;
  out.dt_matched.assign(kT * D, 0);
  out.dt_ignored.assign(kT * D, 0);
  for (size_t g = 0; g < G; ++g) out.num_gt_counted += !ignored[g];
  std::vector<uint8_t> gt_taken(G);
  for (int t = 0; t < kT; ++t) {
    std::fill(gt_taken.begin(), gt_taken.end(), 0);
    for (size_t d = 0; d < D; ++d) {
      double best = std::min(kIouThresholds[t], ytvis_params::kIouCap);
      int m = -1;  // position in gt_order of the best match so far
      for (size_t gi = 0; gi < G; ++gi) {
        const size_t g = gt_order[gi];
        if (gt_taken[gi] && !gt[g].crowd) continue;  // crowds absorb any number of detections
        // Never trade a regular match for an ignored one (the ignored GT all come last).
        if (m > -1 && !ignored[gt_order[m]] && ignored[g]) break;
        const double iou = ious[d * G + g];
        if (iou < best) continue;
        best = iou;  // >= : an equal IoU later in the order wins
        m = static_cast<int>(gi);
      }
      if (m == -1) continue;
      const size_t matched = gt_order[m];
      out.dt_ignored[t * D + d] = ignored[matched];
      out.dt_matched[t * D + d] = gt[matched].has_id;
      gt_taken[m] = 1;
    }
  }
  // Unmatched detections whose own size is outside the range are not counted as false positives.
  for (size_t d = 0; d < D; ++d) {
    if (!outside(dt_areas[d], range)) continue;
    for (int t = 0; t < kT; ++t) {
      if (!out.dt_matched[t * D + d]) out.dt_ignored[t * D + d] = 1;
    }
  }
  return out;
}

}  // namespace

double averageTrackArea(const std::vector<std::optional<double>>& areas) {
  std::vector<double> kept;
  kept.reserve(areas.size());
  for (const auto& a : areas) {
    if (a && *a != 0.0) kept.push_back(*a);  // Python `if a`: drops None and 0 (NaN stays)
  }
  return kept.empty() ? 0.0 : numpyMean(kept);
}

std::vector<size_t> orderByScore(const std::vector<double>& scores) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  // NumPy sorts the keys -score ascending with NaN after every number.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const double ka = -scores[a], kb = -scores[b];
    return ka < kb || (std::isnan(kb) && !std::isnan(ka));
  });
  return order;
}

CellResult evaluateCell(const EvalCell& cell) {
  CellResult result;
  std::vector<double> all_scores;
  all_scores.reserve(cell.dts.size());
  for (const YtvisTrack* dt : cell.dts) all_scores.push_back(dt->score.value_or(0.0));
  std::vector<size_t> order = orderByScore(all_scores);
  if (order.size() > static_cast<size_t>(ytvis_params::kMaxDetsMatched))
    order.resize(ytvis_params::kMaxDetsMatched);

  std::vector<TrackRuns> dt_runs, gt_runs;
  std::vector<double> dt_areas;
  for (size_t i : order) {
    result.dt_scores.push_back(all_scores[i]);
    dt_runs.push_back(decodeTrackRuns(*cell.dts[i]));
    dt_areas.push_back(averageDecodedArea(dt_runs.back()));
  }
  std::vector<TrackFacts> gt_facts;
  for (const YtvisTrack* gt : cell.gts) {
    gt_runs.push_back(decodeTrackRuns(*gt));
    // Ground-truth sizes come from the file's "areas", not from the masks (they may disagree).
    gt_facts.push_back({averageTrackArea(gt->areas), gt->iscrowd != 0, gt->id != 0});
  }
  const std::vector<double> ious = computeIous(dt_runs, gt_runs);
  for (size_t a = 0; a < kAreaRanges.size(); ++a)
    result.areas[a] = matchArea(ious, gt_facts, dt_areas, kAreaRanges[a]);
  return result;
}

}  // namespace autoqvis
