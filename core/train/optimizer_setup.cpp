#include "core/train/optimizer_setup.h"

#include <torch/torch.h>

#include <set>

namespace autoqvis {
namespace {

// Parameters owned directly by normalisation layers or embeddings: detectron2 gives them their own
// weight decay (0 in the released configs).
void collectNoDecayParameters(torch::nn::Module& model, std::set<const void*>* norm, std::set<const void*>* embed) {
  for (const auto& item : model.named_modules()) {
    torch::nn::Module& m = *item.value();
    const bool is_norm = m.as<torch::nn::LayerNorm>() || m.as<torch::nn::GroupNorm>() ||
                         m.as<torch::nn::BatchNorm1d>() || m.as<torch::nn::BatchNorm2d>() ||
                         m.as<torch::nn::InstanceNorm2d>() || m.as<torch::nn::LocalResponseNorm>();
    const bool is_embed = m.as<torch::nn::Embedding>() != nullptr;
    if (!is_norm && !is_embed) continue;
    for (const auto& p : m.named_parameters(/*recurse=*/false)) {
      (is_norm ? norm : embed)->insert(p.value().unsafeGetTensorImpl());
    }
  }
}

}  // namespace

std::unique_ptr<torch::optim::AdamW> makeAdamW(torch::nn::Module& model, const TrainOptions& options,
                                               std::vector<ParameterGroupInfo>* groups) {
  std::set<const void*> norm, embed;
  collectNoDecayParameters(model, &norm, &embed);
  std::vector<torch::optim::OptimizerParamGroup> param_groups;
  std::vector<ParameterGroupInfo> infos;
  for (const auto& p : model.named_parameters()) {
    if (!p.value().requires_grad()) continue;  // frozen (e.g. the quality head in the rounds)
    const void* key = p.value().unsafeGetTensorImpl();
    ParameterGroupInfo info;
    info.name = p.key();
    info.base_lr = options.base_lr * (p.key().find("backbone") != std::string::npos ? options.backbone_lr_multiplier : 1.0);
    info.weight_decay = norm.count(key) ? options.weight_decay_norm
                        : embed.count(key) ? options.weight_decay_embed
                                           : options.weight_decay;
    // PyTorch's AdamW defaults otherwise: betas (0.9, 0.999), eps 1e-8.
    auto group_options = std::make_unique<torch::optim::AdamWOptions>(info.base_lr);
    group_options->weight_decay(info.weight_decay);
    param_groups.emplace_back(std::vector<torch::Tensor>{p.value()}, std::move(group_options));
    infos.push_back(info);
  }
  auto optimizer = std::make_unique<torch::optim::AdamW>(std::move(param_groups),
                                                         torch::optim::AdamWOptions(options.base_lr));
  if (groups) *groups = std::move(infos);
  return optimizer;
}

double learningRateFactor(const TrainOptions& options, int64_t iteration) {
  double factor = 1.0;
  if (iteration < options.warmup_iters) {
    const double alpha = static_cast<double>(iteration) / options.warmup_iters;
    factor = options.warmup_factor * (1.0 - alpha) + alpha;
  }
  for (int step : options.lr_steps) {
    if (iteration >= (step < 0 ? options.max_iter + step : step)) factor *= options.lr_gamma;
  }
  return factor;
}

void applyLearningRate(torch::optim::AdamW& optimizer, const std::vector<ParameterGroupInfo>& groups, double factor) {
  auto& param_groups = optimizer.param_groups();
  for (size_t i = 0; i < param_groups.size() && i < groups.size(); ++i) {
    static_cast<torch::optim::AdamWOptions&>(param_groups[i].options()).lr(groups[i].base_lr * factor);
  }
}

}  // namespace autoqvis
