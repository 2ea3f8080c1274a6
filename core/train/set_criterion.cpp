#include "core/train/set_criterion.h"

#include <algorithm>

#include "core/config/train_options.h"
#include "core/train/criterion_terms.h"
#include "core/util/error.h"

namespace autoqvis {
namespace {

// The official dict keys: no suffix for the main output, "_<i>" for auxiliary output i.
std::string suffixOf(int64_t output) { return output == 0 ? "" : "_" + std::to_string(output - 1); }

void checkPrediction(const CriterionPrediction& p, const std::vector<VideoTargets>& targets) {
  if (!p.pred_logits.defined() || !p.pred_masks.defined() || p.pred_logits.dim() != 3 || p.pred_masks.dim() != 5)
    throw Error("criterion expects pred_logits [B, Q, C+1] and pred_masks [B, Q, T, h, w]");
  if (p.pred_logits.size(0) != int64_t(targets.size()) || p.pred_masks.size(0) != int64_t(targets.size()))
    throw Error("criterion got " + std::to_string(targets.size()) + " targets for a batch of " +
                std::to_string(p.pred_logits.size(0)));
  for (const VideoTargets& t : targets)
    if (t.numInstances() > 0 && (t.masks.dim() != 4 || t.masks.size(1) != p.pred_masks.size(2)))
      throw Error("criterion: target masks must be [K, T, H, W] with T = " + std::to_string(p.pred_masks.size(2)));
}

}  // namespace

CriterionOptions criterionOptionsFrom(const TrainOptions& train) {
  CriterionOptions o;
  o.class_weight = train.class_weight;
  o.mask_weight = train.mask_weight;
  o.dice_weight = train.dice_weight;
  o.quality_weight = train.quality_weight;
  o.no_object_weight = train.no_object_weight;
  o.num_points = train.train_num_points;
  o.oversample_ratio = train.oversample_ratio;
  o.importance_sample_ratio = train.importance_sample_ratio;
  o.mask_droploss = train.droploss;
  o.mask_droploss_iou = train.droploss_iou;
  o.label_droploss = train.label_droploss;
  o.label_droploss_iou = train.droploss_iou;
  // A frozen head is not trained, so its loss is left out, as upstream removes "maskiou" (§3.5).
  o.quality_loss = train.train_quality_head;
  return o;
}

CriterionOutput criterionOutputFrom(const DecoderOutput& decoder) {
  // The losses run in fp32 (the reference's matcher casts to float; its losses run under autocast, whose
  // grid_sample and losses promote to fp32), so fp16 outputs of an autocast forward are cast here.
  auto fp32 = [](const torch::Tensor& t) { return t.defined() ? t.to(torch::kFloat32) : t; };
  auto convert = [&](const DecoderPrediction& p) {
    return CriterionPrediction{fp32(p.pred_logits), fp32(p.pred_masks), fp32(p.pred_maskiou)};
  };
  CriterionOutput out;
  out.main = convert(decoder.main);
  for (const DecoderPrediction& aux : decoder.aux) out.aux.push_back(convert(aux));
  return out;
}

const torch::Tensor& CriterionLosses::at(const std::string& name) const {
  for (const LossTerm& t : terms)
    if (t.name == name) return t.value;
  throw Error("no loss term named " + name);
}

bool CriterionLosses::contains(const std::string& name) const {
  return std::any_of(terms.begin(), terms.end(), [&](const LossTerm& t) { return t.name == name; });
}

std::map<std::string, torch::Tensor> CriterionLosses::unweighted() const {
  std::map<std::string, torch::Tensor> m;
  for (const LossTerm& t : terms) m[t.name] = t.value;
  return m;
}

std::map<std::string, double> CriterionLosses::weights() const {
  std::map<std::string, double> m;
  for (const LossTerm& t : terms) m[t.name] = t.weight;
  return m;
}

torch::Tensor CriterionLosses::total() const {
  if (terms.empty()) return torch::zeros({});
  // Weighted in place first and then summed in dict order, as the official training step does.
  torch::Tensor sum = terms.front().value * terms.front().weight;
  for (size_t i = 1; i < terms.size(); ++i) sum = sum + terms[i].value * terms[i].weight;
  return sum;
}

VideoSetCriterion::VideoSetCriterion(CriterionOptions options)
    : options_(std::move(options)),
      matcher_(MatcherOptions{options_.class_weight, options_.mask_weight, options_.dice_weight, options_.num_points}) {
  if (options_.num_classes < 1) throw Error("criterion needs at least one foreground class");
  class_weights_ = torch::ones({options_.num_classes + 1}, torch::kFloat32);
  class_weights_[options_.num_classes] = options_.no_object_weight;
}

std::map<std::string, double> VideoSetCriterion::weightDict(int64_t aux_outputs) const {
  std::map<std::string, double> base = {{"loss_ce", options_.class_weight},
                                        {"loss_mask", options_.mask_weight},
                                        {"loss_dice", options_.dice_weight}};
  if (options_.quality_loss) base["loss_maskiou"] = options_.quality_weight;
  std::map<std::string, double> all = base;
  for (int64_t i = 0; i < aux_outputs; ++i)
    for (const auto& [name, weight] : base) all[name + suffixOf(i + 1)] = weight;
  return all;
}

double VideoSetCriterion::numMasks(const std::vector<VideoTargets>& targets) const {
  double local = 0.0;
  for (const VideoTargets& t : targets) local += double(t.numInstances());
  const double shared = options_.reduce_num_masks ? options_.reduce_num_masks(local) : local;
  // The reference holds the count in a float32 tensor, clamps it at 1 and reads it back (.item()).
  return double(std::max(float(shared), 1.0f));
}

std::vector<LossTerm> VideoSetCriterion::outputLosses(const CriterionPrediction& prediction,
                                                      const std::vector<VideoTargets>& targets, double num_masks,
                                                      RandomPointSource& random, OutputTrace* trace) const {
  std::vector<MatchIndices> indices =
      matcher_.match(prediction.pred_logits, prediction.pred_masks, targets, random, trace ? &trace->costs : nullptr);

  // The IoU of every query with its best GT serves both the label DropLoss and the quality loss.
  BestGtIous best;
  if (options_.label_droploss || options_.quality_loss) best = bestGtFrameIous(prediction.pred_masks, targets);

  std::vector<LossTerm> terms;
  torch::Tensor query_weights;
  if (options_.label_droploss)
    query_weights = 1 - best.frame_ious.mean(2).le(options_.label_droploss_iou).to(torch::kFloat32);
  terms.push_back({"loss_ce", classificationLoss(prediction.pred_logits, targets, indices, class_weights_, query_weights),
                   options_.class_weight});

  const UncertainPointOptions points{options_.num_points, options_.oversample_ratio, options_.importance_sample_ratio};
  MaskLossResult masks = maskLosses(prediction.pred_masks, targets, indices, num_masks, points, options_.mask_droploss,
                                    options_.mask_droploss_iou, random);
  terms.push_back({"loss_mask", masks.loss_mask, options_.mask_weight});
  terms.push_back({"loss_dice", masks.loss_dice, options_.dice_weight});

  if (options_.quality_loss)
    terms.push_back({"loss_maskiou", qualityLoss(prediction.pred_maskiou, best), options_.quality_weight});

  if (trace) {
    trace->indices = indices;
    trace->topk_idx = masks.topk_idx;
    trace->point_coords = masks.point_coords;
    trace->point_logits = masks.point_logits;
    trace->point_labels = masks.point_labels;
    trace->frame_bce = masks.frame_bce;
    trace->frame_dice = masks.frame_dice;
    trace->soft_iou = masks.soft_iou;
    trace->drop_keep = masks.keep;
    trace->label_keep = query_weights;
    if (options_.quality_loss) {
      trace->maskiou_target = best.frame_ious.reshape({-1});
      trace->maskiou_best_gt = best.best_gt;
    }
  }
  return terms;
}

CriterionLosses VideoSetCriterion::forward(const CriterionOutput& outputs, const std::vector<VideoTargets>& targets,
                                           RandomPointSource& random, CriterionTrace* trace) const {
  std::vector<const CriterionPrediction*> predictions = {&outputs.main};
  if (options_.deep_supervision)
    for (const CriterionPrediction& aux : outputs.aux) predictions.push_back(&aux);
  for (const CriterionPrediction* p : predictions) checkPrediction(*p, targets);

  // Instances (not instance-frames) normalise the mask losses, shared across processes.
  const double num_masks = numMasks(targets);
  if (trace) {
    trace->num_masks = num_masks;
    trace->outputs.assign(predictions.size(), OutputTrace());
  }
  CriterionLosses losses;
  for (size_t o = 0; o < predictions.size(); ++o) {
    std::vector<LossTerm> terms =
        outputLosses(*predictions[o], targets, num_masks, random, trace ? &trace->outputs[o] : nullptr);
    for (LossTerm& t : terms) {
      t.name += suffixOf(int64_t(o));
      losses.terms.push_back(std::move(t));
    }
  }
  return losses;
}

}  // namespace autoqvis
