// The rounds of a workspace side by side, for the review's Rounds tab: per stage that predicted on the
// unlabeled videos, the distribution of Q over its labels (the predictions kept by NMS and the score
// filter, as the selection sees them) and the size of the set it accepted (its recorded `selected`
// step). Qt-free; builds one SelectionIndex per stage, so run it off the GUI thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace autoqvis::widgets {

struct RoundQuality {
  std::string stage;
  std::vector<double> fraction;  ///< per Q bin over [0, 1]: share of the stage's labels
  size_t labels = 0;
  std::optional<double> tau;     ///< of its selection, once selected
  size_t objects = 0, frames = 0, videos = 0;
};

/// Throws Error naming the file when a stage's files cannot be read.
std::vector<RoundQuality> compareRounds(const std::filesystem::path& workspace_dir, int bins);

}  // namespace autoqvis::widgets
