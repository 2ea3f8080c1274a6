#include "core/eval/quality_analysis.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/util/parallel_for.h"
#include "core/eval/rank_correlation.h"
#include "core/eval/track_overlap.h"

namespace autoqvis {
namespace {

// The ground-truth tracks and the predictions of one video.
struct VideoGroup {
  std::vector<const YtvisTrack*> gts;
  std::vector<size_t> predictions;  // indices into the predictions list
};

std::vector<VideoGroup> groupByVideo(const YtvisDataset& gt, const std::vector<YtvisTrack>& predictions) {
  std::unordered_map<int64_t, size_t> slot;
  for (const auto& video : gt.videos) slot.emplace(video.id, slot.size());
  std::vector<VideoGroup> groups(slot.size());
  for (const auto& track : gt.annotations) {
    auto it = slot.find(track.video_id);
    if (it != slot.end()) groups[it->second].gts.push_back(&track);
  }
  for (size_t i = 0; i < predictions.size(); ++i) {
    auto it = slot.find(predictions[i].video_id);
    if (it == slot.end()) {
      ErrorContext context;
      context.key = "results[" + std::to_string(i) + "]";
      context.video_id = predictions[i].video_id;
      throw Error("a prediction refers to video id " + std::to_string(predictions[i].video_id) +
                      ", which is not in the ground truth",
                  context);
    }
    groups[it->second].predictions.push_back(i);
  }
  return groups;
}

// One frame's true IoU with the matched track's mask (null there, size mismatch or empty union: 0).
double frameIou(const FrameRuns& p, const FrameRuns* g) {
  if (!g || g->h != p.h || g->w != p.w) return 0.0;
  const uint64_t intersection = intersectionArea(p, *g);
  const uint64_t union_ = p.area + g->area - intersection;
  return union_ > 0 ? static_cast<double>(intersection) / static_cast<double>(union_) : 0.0;
}

PredictionTruth analyzePrediction(const TrackRuns& prediction, const std::vector<TrackRuns>& gt_runs,
                                  const std::vector<const YtvisTrack*>& gts) {
  PredictionTruth truth;
  int best = -1;
  for (size_t g = 0; g < gt_runs.size(); ++g) {
    const double iou = spatioTemporalIou(prediction, gt_runs[g]);
    if (iou > truth.video_iou) {  // strictly better: ties keep the earlier track
      truth.video_iou = iou;
      best = static_cast<int>(g);
    }
  }
  if (best >= 0) truth.matched_gt_id = gts[best]->id;
  truth.frame_iou.resize(prediction.size());
  for (size_t f = 0; f < prediction.size(); ++f) {
    if (!prediction[f]) continue;
    const FrameRuns* g = nullptr;
    if (best >= 0 && f < gt_runs[best].size() && gt_runs[best][f]) g = &*gt_runs[best][f];
    truth.frame_iou[f] = frameIou(*prediction[f], g);
  }
  return truth;
}

void analyzeVideo(const VideoGroup& group, const std::vector<YtvisTrack>& predictions,
                  std::vector<PredictionTruth>& out) {
  std::vector<TrackRuns> gt_runs;
  gt_runs.reserve(group.gts.size());
  for (const YtvisTrack* gt : group.gts) gt_runs.push_back(decodeTrackRuns(*gt));
  for (size_t i : group.predictions)
    out[i] = analyzePrediction(decodeTrackRuns(predictions[i]), gt_runs, group.gts);
}

bool frameKept(const PredictionTruth& truth, size_t f, double threshold) {
  return f < truth.frame_iou.size() && truth.frame_iou[f] && *truth.frame_iou[f] >= threshold;
}

CorrelationSummary correlate(const std::vector<double>& truth, const std::vector<double>& score) {
  return {spearmanCorrelation(truth, score), pearsonCorrelation(truth, score), truth.size()};
}

// Gathers the (prediction, frame) pairs and correlates true IoU with s and with Q = predicted IoU x s.
void computeCorrelations(const std::vector<YtvisTrack>& predictions, const std::string& pred_iou_key,
                         QualityAnalysis& result) {
  std::vector<double> conf_truth, conf_score, quality_truth, quality_score;
  for (size_t i = 0; i < predictions.size(); ++i) {
    const YtvisTrack& track = predictions[i];
    const PredictionTruth& truth = result.predictions[i];
    const double s = track.score.value_or(std::nan(""));
    auto found = track.frame_values.find(pred_iou_key);
    const auto* pred_iou = found == track.frame_values.end() ? nullptr : &found->second;
    for (size_t f = 0; f < truth.frame_iou.size(); ++f) {
      if (!truth.frame_iou[f]) continue;
      const double t = *truth.frame_iou[f];
      if (!std::isfinite(t) || !std::isfinite(s)) continue;
      conf_truth.push_back(t);
      conf_score.push_back(s);
      if (!pred_iou || f >= pred_iou->size() || !(*pred_iou)[f]) continue;
      const double q = *(*pred_iou)[f] * s;
      if (!std::isfinite(q)) continue;
      quality_truth.push_back(t);
      quality_score.push_back(q);
    }
  }
  result.confidence = correlate(conf_truth, conf_score);
  result.quality = correlate(quality_truth, quality_score);
}

void countOracle(double threshold, QualityAnalysis& result) {
  for (const PredictionTruth& truth : result.predictions) {
    size_t kept = 0;
    for (size_t f = 0; f < truth.frame_iou.size(); ++f) kept += frameKept(truth, f, threshold);
    result.oracle_frames += kept;
    result.oracle_predictions += kept > 0;
    result.matched_predictions += truth.matched_gt_id != 0;
  }
}

nlohmann::json numberOrNull(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

nlohmann::ordered_json summaryJson(const CorrelationSummary& c) {
  nlohmann::ordered_json out;
  out["spearman"] = numberOrNull(c.spearman);
  out["pearson"] = numberOrNull(c.pearson);
  out["pairs"] = c.pairs;
  return out;
}

}  // namespace

QualityAnalyzer::QualityAnalyzer(const YtvisDataset& gt, const std::vector<YtvisTrack>& predictions,
                                 QualityAnalysisOptions options)
    : Controller("analyze-quality"), gt_(gt), predictions_(predictions), options_(std::move(options)) {}

void QualityAnalyzer::run() {
  result_ = {};
  const std::vector<VideoGroup> groups = groupByVideo(gt_, predictions_);
  result_.predictions.resize(predictions_.size());
  ProgressReporter progress = reporter("analyze-quality", "videos", static_cast<int64_t>(groups.size()));
  parallelFor(
      groups.size(), options_.threads,
      [&](size_t v) { analyzeVideo(groups[v], predictions_, result_.predictions); },
      [&](size_t) { progress.step(); }, &stopToken());
  computeCorrelations(predictions_, options_.pred_iou_key, result_);
  countOracle(options_.oracle_threshold, result_);
}

QualityAnalysis analyzeQuality(const YtvisDataset& gt, const std::vector<YtvisTrack>& predictions,
                               const QualityAnalysisOptions& options) {
  QualityAnalyzer analyzer(gt, predictions, options);
  analyzer.run();
  return analyzer.result();
}

YtvisDataset selectPracticalLimit(const YtvisDataset& gt, const std::vector<YtvisTrack>& predictions,
                                  const QualityAnalysis& analysis, double threshold) {
  if (analysis.predictions.size() != predictions.size()) {
    throw Error("the quality analysis covers " + std::to_string(analysis.predictions.size()) +
                " predictions, not the " + std::to_string(predictions.size()) + " given");
  }
  YtvisDataset out;
  out.videos = gt.videos;
  out.categories = {YtvisCategory{}};
  out.reindex();
  for (size_t i = 0; i < predictions.size(); ++i) {
    const YtvisTrack& prediction = predictions[i];
    const PredictionTruth& truth = analysis.predictions[i];
    const YtvisVideo* video = out.findVideo(prediction.video_id);
    if (!video) continue;  // analyzeQuality already rejected such predictions
    const size_t frames = static_cast<size_t>(video->length());
    YtvisTrack label;
    label.video_id = prediction.video_id;
    label.score = prediction.score;
    label.segmentations.assign(frames, std::nullopt);
    std::vector<std::optional<double>> true_iou(frames);
    std::map<std::string, std::vector<std::optional<double>>> values;
    for (const auto& entry : prediction.frame_values) values[entry.first].assign(frames, std::nullopt);
    bool any = false;
    for (size_t f = 0; f < frames && f < prediction.segmentations.size(); ++f) {
      if (!prediction.segmentations[f] || !frameKept(truth, f, threshold)) continue;
      any = true;
      label.segmentations[f] = prediction.segmentations[f];
      true_iou[f] = truth.frame_iou[f];
      for (const auto& [key, series] : prediction.frame_values) {
        if (f < series.size()) values[key][f] = series[f];
      }
    }
    if (!any) continue;
    label.id = static_cast<int64_t>(out.annotations.size()) + 1;
    label.frame_values = std::move(values);
    label.frame_values[frame_fields::kTrueIou] = std::move(true_iou);
    label.computeAreasAndBoxes();
    out.annotations.push_back(std::move(label));
  }
  return out;
}

std::string qualityAnalysisToJson(const QualityAnalysis& analysis, const QualityAnalysisOptions& options) {
  nlohmann::ordered_json out;
  out["predictions"] = analysis.predictions.size();
  out["matched_predictions"] = analysis.matched_predictions;
  out["confidence"] = summaryJson(analysis.confidence);
  out["quality"] = summaryJson(analysis.quality);
  out["oracle"] = {{"threshold", options.oracle_threshold},
                   {"predictions", analysis.oracle_predictions},
                   {"frames", analysis.oracle_frames}};
  out["pred_iou_key"] = options.pred_iou_key;
  return out.dump();
}

std::string formatQualityAnalysis(const QualityAnalysis& analysis, const QualityAnalysisOptions& options) {
  auto correlation = [](const char* title, const CorrelationSummary& c) {
    char line[160];
    if (std::isfinite(c.spearman) && std::isfinite(c.pearson)) {
      std::snprintf(line, sizeof(line), "%-24s Spearman %.4f  Pearson %.4f  (%zu frame pairs)\n", title,
                    c.spearman, c.pearson, c.pairs);
    } else {
      std::snprintf(line, sizeof(line), "%-24s n/a (%zu frame pairs)\n", title, c.pairs);
    }
    return std::string(line);
  };
  std::string out = "predictions              " + std::to_string(analysis.predictions.size()) + " (" +
                    std::to_string(analysis.matched_predictions) + " matched to a ground-truth track)\n";
  out += correlation("true IoU vs confidence s", analysis.confidence);
  out += correlation("true IoU vs quality Q", analysis.quality);
  out += "  (Q = frame_values[\"" + options.pred_iou_key + "\"] x s)\n";
  char line[160];
  std::snprintf(line, sizeof(line),
                "practical limit          %zu predictions, %zu frame masks with true IoU >= %.2f\n",
                analysis.oracle_predictions, analysis.oracle_frames, options.oracle_threshold);
  return out + line;
}

}  // namespace autoqvis
