// "labels" and "labels_drop" of VideoSetCriterion (method.md §3.3, §3.4(c)).
#include "core/train/criterion_terms.h"
#include "core/util/error.h"

namespace autoqvis {

torch::Tensor classificationLoss(const torch::Tensor& pred_logits, const std::vector<VideoTargets>& targets,
                                 const std::vector<MatchIndices>& indices, const torch::Tensor& class_weights,
                                 const torch::Tensor& query_weights) {
  const torch::Tensor logits = pred_logits.to(torch::kFloat32);
  const int64_t no_object = logits.size(2) - 1;
  torch::Tensor target_classes =
      torch::full({logits.size(0), logits.size(1)}, no_object, torch::TensorOptions().dtype(torch::kLong).device(logits.device()));
  for (size_t b = 0; b < indices.size(); ++b) {
    if (indices[b].src.numel() == 0) continue;
    const torch::Tensor labels = targets[b].labels.to(logits.device()).index_select(0, indices[b].tgt.to(logits.device()));
    target_classes[int64_t(b)].index_put_({indices[b].src.to(logits.device())}, labels);
  }
  // cross_entropy wants the class dimension second: [B, C + 1, Q].
  const torch::Tensor input = logits.transpose(1, 2);
  const torch::Tensor weight = class_weights.to(logits.device());
  if (!query_weights.defined())
    return torch::nn::functional::cross_entropy(input, target_classes,
                                                torch::nn::functional::CrossEntropyFuncOptions().weight(weight));

  // Label DropLoss: the per-query CE (still class-weighted) is weighted again by the detached IoU weight.
  const torch::Tensor per_query = torch::nn::functional::cross_entropy(
      input, target_classes, torch::nn::functional::CrossEntropyFuncOptions().weight(weight).reduction(torch::kNone));
  const torch::Tensor w = query_weights.detach().to(per_query.options());
  const torch::Tensor weighted = per_query * w;
  const torch::Tensor w_sum = w.sum();
  // With every query dropped the reference returns the (zero) sum instead of dividing by zero.
  if (w_sum.item<double>() == 0.0) return weighted.sum();
  return weighted.sum() / w_sum;
}

}  // namespace autoqvis
