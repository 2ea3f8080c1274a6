// The ablation's figures as PNG files, drawn with QCustomPlot off screen: validation AP50 per
// self-training round (Table 4) and per quality threshold tau (Table 5), ours as mean +- std over
// seeds with error bars, the paper's YouTube-VIS numbers beside them. Needs a QApplication (the
// headless `ablate` makes one on the offscreen platform).
#pragma once

#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

namespace autoqvis {

/// Writes ablation_rounds.png and ablation_tau.png into `folder` (those whose numbers exist) and
/// returns the files written.
std::vector<std::filesystem::path> renderAblationPlots(const nlohmann::json& results, const std::filesystem::path& folder);

}  // namespace autoqvis
