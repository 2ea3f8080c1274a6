// VideoSetCriterion (method.md §3.3-3.5): the training loss of the VIS model. Each decoder output (the
// main one and every auxiliary one, deep supervision) is matched to the GT instances on its own, then
// supervised by class cross-entropy, point-sampled mask BCE and Dice (optionally with AutoQ-VIS's DropLoss)
// and, in stage 1, the quality-head regression towards each query's best IoU. Loss names and order
// follow the official loss dict: loss_ce, loss_mask, loss_dice[, loss_maskiou], then the same with
// _0 .. _8 for the auxiliary outputs.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/model/video_transformer_decoder.h"
#include "core/train/point_sampling.h"
#include "core/train/video_matcher.h"
#include "core/train/video_targets.h"

namespace autoqvis {

struct TrainOptions;

struct CriterionOptions {
  int64_t num_classes = 1;              ///< foreground classes; the logits carry one more ("no object")
  double class_weight = 2.0;            ///< loss_ce weight, also the matcher's class cost weight
  double mask_weight = 5.0;             ///< loss_mask weight, also the matcher's BCE cost weight
  double dice_weight = 5.0;             ///< loss_dice weight, also the matcher's Dice cost weight
  double quality_weight = 20.0;         ///< loss_maskiou weight
  double no_object_weight = 0.1;        ///< CE class weight of "no object" (eos_coef)
  int64_t num_points = 12544;           ///< points per mask for the matcher and the mask losses
  double oversample_ratio = 3.0;        ///< PointRend candidate oversampling
  double importance_sample_ratio = 0.75;  ///< share of points chosen by uncertainty
  bool mask_droploss = false;           ///< §3.4(b), the released variant: drop BCE + Dice of matched frame-masks
  double mask_droploss_iou = 0.01;      ///<   ... whose soft point IoU is <= this
  bool label_droploss = false;          ///< §3.4(c), disabled upstream: drop CE of queries whose best GT
  double label_droploss_iou = 0.01;     ///<   ... mean frame IoU is <= this
  bool quality_loss = false;            ///< §3.5 "maskiou_all" (stage 1); needs pred_maskiou
  bool deep_supervision = true;         ///< also supervise the auxiliary outputs
  /// Turns the local instance count into the normaliser shared by all processes: the mean over
  /// processes (all-reduce sum / world size). Unset = single process (identity).
  std::function<double(double)> reduce_num_masks;
};

/// Criterion options from a training stage's options.
CriterionOptions criterionOptionsFrom(const TrainOptions& train);

/// One decoder output as the criterion reads it.
struct CriterionPrediction {
  torch::Tensor pred_logits;   ///< [B, Q, C + 1]
  torch::Tensor pred_masks;    ///< [B, Q, T, h, w] mask logits (any resolution; usually 1/4 of the input)
  torch::Tensor pred_maskiou;  ///< [B, Q, T, 1] or [B, Q, T] predicted IoUs; only needed for the quality loss
};

struct CriterionOutput {
  CriterionPrediction main;              ///< the last decoder layer's prediction
  std::vector<CriterionPrediction> aux;  ///< the earlier predictions, in decoder order
};

/// The decoder's output for the criterion (same tensors; pred_maskiou is empty without the quality head).
CriterionOutput criterionOutputFrom(const DecoderOutput& decoder);

struct LossTerm {
  std::string name;      ///< e.g. "loss_dice_3"
  torch::Tensor value;   ///< unweighted scalar, differentiable
  double weight = 1.0;   ///< from the weight dict
};

struct CriterionLosses {
  std::vector<LossTerm> terms;  ///< in the official loss-dict order

  /// The unweighted term `name`; throws if absent.
  const torch::Tensor& at(const std::string& name) const;
  bool contains(const std::string& name) const;
  std::map<std::string, torch::Tensor> unweighted() const;
  std::map<std::string, double> weights() const;
  /// Sum of weight * value over all terms, in order (what the trainer back-propagates).
  torch::Tensor total() const;
};

/// Intermediate results of one decoder output, for tests and diagnostics (filled only on request).
struct OutputTrace {
  std::vector<MatchIndices> indices;   ///< per video
  std::vector<torch::Tensor> costs;    ///< per video [Q, K]
  torch::Tensor topk_idx;              ///< [N*T, k] kept candidate indices (into the oversampled draw)
  torch::Tensor point_coords;          ///< [N*T, P, 2]
  torch::Tensor point_logits;          ///< [N*T, P]
  torch::Tensor point_labels;          ///< [N*T, P]
  torch::Tensor frame_bce;             ///< [N*T] mean point BCE per matched frame-mask
  torch::Tensor frame_dice;            ///< [N*T] Dice loss per matched frame-mask
  torch::Tensor soft_iou;              ///< [N*T] soft point IoU per matched frame-mask
  torch::Tensor drop_keep;             ///< [N*T] mask DropLoss weights (all 1 when off)
  torch::Tensor label_keep;            ///< [B, Q] label DropLoss weights (undefined when off)
  torch::Tensor maskiou_target;        ///< [B*Q*T] quality-loss targets (undefined when off)
  torch::Tensor maskiou_best_gt;       ///< [B, Q] chosen GT per query, -1 if the video has none
};

struct CriterionTrace {
  double num_masks = 0.0;
  std::vector<OutputTrace> outputs;  ///< main, aux_0, aux_1, ...
};

class VideoSetCriterion {
 public:
  explicit VideoSetCriterion(CriterionOptions options = {});

  /// The losses of all outputs against one VideoTargets per video. Random draws, in order, per output
  /// (main first): the matcher's point set of each video, then the mask losses' candidates and random
  /// points. `trace`, if given, receives the intermediate results.
  CriterionLosses forward(const CriterionOutput& outputs, const std::vector<VideoTargets>& targets,
                          RandomPointSource& random = defaultRandomPointSource(),
                          CriterionTrace* trace = nullptr) const;

  /// Loss name -> weight, with the auxiliary copies for `aux_outputs` auxiliary outputs.
  std::map<std::string, double> weightDict(int64_t aux_outputs) const;

  const CriterionOptions& options() const { return options_; }
  const VideoHungarianMatcher& matcher() const { return matcher_; }

 private:
  std::vector<LossTerm> outputLosses(const CriterionPrediction& prediction, const std::vector<VideoTargets>& targets,
                                     double num_masks, RandomPointSource& random, OutputTrace* trace) const;
  double numMasks(const std::vector<VideoTargets>& targets) const;

  CriterionOptions options_;
  VideoHungarianMatcher matcher_;
  torch::Tensor class_weights_;  ///< [C + 1]: 1 for the classes, no_object_weight for "no object"
};

}  // namespace autoqvis
