// ablation.md from the collected ablation results (ablation_run.h): our Tables 2-5 -- mean +- std over
// seeds of the validation AP50 and AP, in percent -- beside the paper's numbers, with what each row ran,
// how many labels the rounds accepted and what the whole ablation cost.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace autoqvis {

struct MeanStd {
  double mean = 0, std = 0;  ///< std: the sample standard deviation (n - 1); 0 for one value
  size_t n = 0;
};

/// A metric (fraction) of one stage of one cell over its seeds; nullopt when no seed has it yet.
std::optional<MeanStd> cellMetric(const nlohmann::json& results, const std::string& cell, const std::string& stage,
                                  const std::string& metric);

std::string ablationMarkdown(const nlohmann::json& results);

}  // namespace autoqvis
