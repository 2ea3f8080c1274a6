// The self-training rounds: which predictions become pseudo-labels and how rounds follow each other
// (method.md §7; the AutoQ-VIS release values).
#pragma once

#include <string>

namespace autoqvis {

struct SelfTrainOptions {
  int rounds = 2;                    ///< self-training rounds after the initial stage (2 is best)
  int top_k = 10;                    ///< predictions kept per video before NMS
  double nms_iou = 0.5;              ///< max-over-frames mask IoU that suppresses a lower-scored prediction
  double score_threshold = 0.25;     ///< minimum video-level confidence
  double quality_threshold = 0.75;   ///< tau: a frame label is accepted when Q = pred IoU x score >= tau
  int min_frames = 2;                ///< an object (and a video) needs this many accepted frames
  double merge_iou = 0.5;            ///< a new object replaces an old one if some frame overlaps this much
  bool reset_weights = true;         ///< restart each round from the initial-stage weights
  /// Pause each round after its pseudo-labels are made, until a person commits its selection (the
  /// review page's "Continue", or a selection.json with "tau_source": "user"); changes no result.
  bool review_before_training = false;
  /// What decides a round's labels: "quality" (Q = predicted IoU x s, the method), "confidence" (Q = s:
  /// Table 3's "w/o quality predictor"), "true_iou" (Q = the true per-frame IoU against
  /// data.unlabeled_ground_truth, a perfect quality predictor: Table 2's practical limit) or
  /// "ground_truth" (the unlabeled videos' annotations themselves: Table 2's theoretical limit).
  std::string label_source = "quality";

  template <class V>
  void visit(V& v) {
    v.field("rounds", rounds, "self-training rounds", 0, 100);
    v.field("top_k", top_k, "predictions kept per video", 1, 1000);
    v.field("nms_iou", nms_iou, "NMS threshold on max-over-frames mask IoU", 0.0, 1.0);
    v.field("score_threshold", score_threshold, "minimum confidence of a pseudo-label", 0.0, 1.0);
    v.field("quality_threshold", quality_threshold, "tau on Q = predicted IoU x confidence", 0.0, 1.0);
    v.field("min_frames", min_frames, "accepted frames an object and a video need", 1, 100000);
    v.field("merge_iou", merge_iou, "IoU that makes a new object replace an old one", 0.0, 1.0);
    v.field("reset_weights", reset_weights, "reset to the initial-stage weights every round");
    v.field("review_before_training", review_before_training,
            "stop each round after its pseudo-labels until a person commits the selection");
    v.field("label_source", label_source,
            "what selects a round's labels: quality | confidence | true_iou (oracle) | ground_truth (oracle)");
  }
};

}  // namespace autoqvis
