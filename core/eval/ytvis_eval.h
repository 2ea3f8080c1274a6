// YouTube-VIS video instance segmentation evaluation, giving the same numbers as the official
// youtubevos/cocoapi ytvoseval.py (segm) - bit for bit, not approximately - in the class-agnostic
// protocols of VideoCutLER and AutoQ-VIS or class-aware. IoUs are computed on RLE runs, in parallel
// over videos; memory stays proportional to the compressed masks.
//
// Deliberate departures, where the official code crashes: empty results evaluate as zero detections;
// uncompressed result RLE is accepted (ytvis_json compresses it on load). A result naming a video that
// is not in the ground truth is an Error naming that video (the official code asserts).
#pragma once

#include <vector>

#include "core/eval/ytvis_accumulate.h"
#include "core/eval/ytvis_cell_eval.h"
#include "core/eval/ytvis_eval_params.h"
#include "core/eval/ytvis_metrics.h"
#include "core/dataset/ytvis_json.h"
#include "core/util/controller.h"

namespace autoqvis {

struct YtvisEvalOptions {
  EvalProtocol protocol = EvalProtocol::VideoCutler;  ///< how categories are treated (see EvalProtocol)
  int threads = 0;                                    ///< worker threads; 0 = hardware concurrency
};

/// The cells of the official evaluation, ordered by category column then ascending video id, without the
/// cells that have neither ground truth nor detections. `num_categories` receives K. The cells point
/// into `gt` and `results`, which must outlive them. Throws Error for a result whose video is not in `gt`.
std::vector<EvalCell> buildEvalCells(const YtvisDataset& gt, const std::vector<YtvisTrack>& results,
                                     EvalProtocol protocol, int* num_categories);

/// Runs the evaluation as a controller (progress per cell, stoppable between cells).
class YtvisEvaluator : public Controller {
 public:
  /// Keeps references to `gt` and `results`; they must outlive run().
  YtvisEvaluator(const YtvisDataset& gt, const std::vector<YtvisTrack>& results,
                 YtvisEvalOptions options = {});
  void run() override;

  const YtvisMetrics& metrics() const { return metrics_; }
  /// Precision and recall arrays of the last run (for PR curves and per-category numbers).
  const YtvisAccumulation& accumulation() const { return accumulation_; }

 private:
  const YtvisDataset& gt_;
  const std::vector<YtvisTrack>& results_;
  YtvisEvalOptions options_;
  YtvisMetrics metrics_;
  YtvisAccumulation accumulation_;
};

/// Convenience: the 12 numbers, without progress reporting.
YtvisMetrics evaluateYtvis(const YtvisDataset& gt, const std::vector<YtvisTrack>& results,
                           EvalProtocol protocol = EvalProtocol::VideoCutler, int threads = 0);

}  // namespace autoqvis
