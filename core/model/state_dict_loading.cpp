#include "core/model/state_dict_loading.h"

#include <torch/torch.h>

#include <map>
#include <sstream>

namespace autoqvis {
namespace {

std::string shapeText(const torch::Tensor& t) {
  std::ostringstream out;
  out << t.sizes();
  return out.str();
}

std::string listText(const std::vector<std::string>& names) {
  std::string text;
  const size_t shown = std::min<size_t>(names.size(), 8);
  for (size_t i = 0; i < shown; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > shown) text += ", ... (" + std::to_string(names.size()) + " in all)";
  return text;
}

}  // namespace

std::string StateDictReport::summary() const {
  std::string text = std::to_string(loaded.size()) + " tensors loaded";
  if (!missing.empty()) text += "; missing (left initialised): " + listText(missing);
  if (!unexpected.empty()) text += "; unexpected (ignored): " + listText(unexpected);
  if (!mismatched.empty()) text += "; shape mismatch (left initialised): " + listText(mismatched);
  return text;
}

StateDictReport loadStateDict(torch::nn::Module& module, const NamedTensors& state, const std::string& prefix) {
  std::map<std::string, torch::Tensor> targets;
  for (const auto& item : module.named_parameters(true)) targets.emplace(item.key(), item.value());
  for (const auto& item : module.named_buffers(true)) targets.emplace(item.key(), item.value());
  StateDictReport report;
  std::map<std::string, bool> seen;
  torch::NoGradGuard no_grad;
  for (const auto& [full_name, tensor] : state) {
    if (full_name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string name = full_name.substr(prefix.size());
    auto target = targets.find(name);
    if (target == targets.end()) {
      report.unexpected.push_back(full_name);
      continue;
    }
    seen[name] = true;
    if (target->second.sizes() != tensor.sizes()) {
      report.mismatched.push_back(full_name + ": checkpoint " + shapeText(tensor) + " vs model " + shapeText(target->second));
      continue;
    }
    target->second.copy_(tensor);
    report.loaded.push_back(full_name);
  }
  for (const auto& [name, tensor] : targets) {
    if (!seen.count(name)) report.missing.push_back(prefix + name);
  }
  return report;
}

}  // namespace autoqvis
