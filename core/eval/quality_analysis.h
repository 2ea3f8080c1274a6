// Quality analysis of predictions against ground truth (the paper's Fig. 4 and Tab. 2): each prediction's
// true per-frame mask IoU, how well its confidence s and its quality Q = predicted IoU x s rank that
// true IoU (Spearman and Pearson), and the oracle "practical limit" pseudo-label selection.
//
// Rules (chosen here; the paper does not spell them out):
//  * Matching: a prediction's GT track is the one of the same video with the highest spatio-temporal IoU
//    (the official iou_seq: intersection and union summed over frames), over every GT track of the video
//    whatever its category or crowd flag. Ties go to the first in file order. A best IoU of 0 (or no GT
//    in the video) means no match.
//  * True per-frame IoU, on every frame where the prediction has a mask: |P AND G| / |P OR G| with the
//    matched track's mask; 0 where that track is absent, where there is no match, where the union is
//    empty, or where the mask sizes differ. Frames without a predicted mask have no value.
//  * Correlation pairs: one per (prediction, frame with a predicted mask). Confidence pairs use the
//    prediction's score s; quality pairs additionally need frame_values[pred_iou_key] on that frame
//    (frames without it are left out of the quality correlation only). Non-finite values are left out.
//  * Practical limit (oracle) selection: a frame's mask is kept where its true IoU >= threshold (0.5) and
//    nulled elsewhere; a prediction is kept when at least one frame is kept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/dataset/ytvis_json.h"
#include "core/util/controller.h"
#include "core/dataset/frame_fields.h"

namespace autoqvis {

struct QualityAnalysisOptions {
  std::string pred_iou_key = frame_fields::kPredIou;  ///< per-frame predicted IoU in the predictions' frame_values
  double oracle_threshold = 0.5;          ///< practical limit: keep frames whose true IoU is at least this
  int threads = 0;                        ///< worker threads over videos; 0 = hardware concurrency
};

/// The truth about one prediction.
struct PredictionTruth {
  int64_t matched_gt_id = 0;                     ///< annotation id of the best-matching GT track; 0 when none
  double video_iou = 0;                          ///< its spatio-temporal IoU
  std::vector<std::optional<double>> frame_iou;  ///< per frame of the prediction; a value where it has a mask
};

struct CorrelationSummary {
  double spearman = 0;  ///< NaN when undefined (fewer than 2 pairs or a constant side)
  double pearson = 0;
  size_t pairs = 0;
};

struct QualityAnalysis {
  std::vector<PredictionTruth> predictions;  ///< one per input prediction, same order
  CorrelationSummary confidence;             ///< true IoU vs s
  CorrelationSummary quality;                ///< true IoU vs Q = predicted IoU x s
  size_t matched_predictions = 0;
  size_t oracle_predictions = 0;  ///< predictions the practical-limit selection keeps
  size_t oracle_frames = 0;       ///< frame masks it keeps
};

/// Runs the analysis as a controller: progress per video, stoppable between videos.
class QualityAnalyzer : public Controller {
 public:
  /// Keeps references to `gt` and `predictions`; they must outlive run(). A prediction whose video is not
  /// in `gt` raises Error naming the video.
  QualityAnalyzer(const YtvisDataset& gt, const std::vector<YtvisTrack>& predictions,
                  QualityAnalysisOptions options = {});
  void run() override;
  const QualityAnalysis& result() const { return result_; }

 private:
  const YtvisDataset& gt_;
  const std::vector<YtvisTrack>& predictions_;
  QualityAnalysisOptions options_;
  QualityAnalysis result_;
};

QualityAnalysis analyzeQuality(const YtvisDataset& gt, const std::vector<YtvisTrack>& predictions,
                               const QualityAnalysisOptions& options = {});

/// The practical-limit pseudo-labels as a YouTube-VIS dataset: the ground truth's videos, one category
/// "object" (id 1), and per kept prediction an annotation (ids 1, 2, ... in prediction order, category 1,
/// its score) whose masks are nulled on frames below the threshold, resized to the video's frame count,
/// with frame_values "true_iou" and the prediction's own frame_values on the kept frames.
YtvisDataset selectPracticalLimit(const YtvisDataset& gt, const std::vector<YtvisTrack>& predictions,
                                  const QualityAnalysis& analysis, double threshold = 0.5);

/// A JSON object with the correlations, counts and the options used (NaN written as null).
std::string qualityAnalysisToJson(const QualityAnalysis& analysis, const QualityAnalysisOptions& options);
/// A readable summary.
std::string formatQualityAnalysis(const QualityAnalysis& analysis, const QualityAnalysisOptions& options);

}  // namespace autoqvis
