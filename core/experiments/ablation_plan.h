// The paper's ablations (Tables 2-5) as a plan of workspaces ("cells"), each one self-training run of
// the config with a few keys changed, all starting from one shared stage-1 model:
//
//   full           the method (tau 0.75); its round-1..3 are Table 4, its round 2 the "full" row elsewhere
//   no_quality     Table 3: confidence s instead of Q, tau 0.85 (the paper's setting for that row)
//   no_droploss    Table 3: round_training.droploss off
//   no_reset       Table 3: each round continues from the previous round's weights
//   tau_0.50/0.85/0.95  Table 5 (0.75 is `full`)
//   oracle_iou     Table 2, practical limit: Q = the true IoU with the ground truth, tau 0.5
//   ground_truth   Table 2, theoretical limit: one round on the unlabeled videos' annotations
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/experiments/paper_numbers.h"

namespace autoqvis {

struct AblationCell {
  std::string name;                    ///< folder name and the key of its results
  std::string label;                   ///< how the tables name the row
  int rounds = 2;                      ///< rounds it runs (and evaluates)
  std::vector<std::string> overrides;  ///< "section.key=value" on top of the base config
};

/// Table 5's τ values, the cell that runs each (0.75 is the full method's) and the paper's score there; the
/// report, the plots and the plan all read this one list.
struct TauCell {
  double value;
  const char* tau;  ///< as the config override and the tables write it
  const char* cell;
  paper::Score paper;
};
inline constexpr TauCell kTable5Cells[4] = {{0.50, "0.50", "tau_0.50", {52.4, 27.1}},
                                            {0.75, "0.75", "full", paper::kAutoQVis},
                                            {0.85, "0.85", "tau_0.85", {48.8, 26.0}},
                                            {0.95, "0.95", "tau_0.95", {48.7, 26.1}}};

/// The cells the requested tables need, each once, in a fixed order (full first). Throws Error for a
/// table other than 2, 3, 4 and 5.
std::vector<AblationCell> ablationCells(const std::set<int>& tables);

/// "2,3,4,5" -> {2, 3, 4, 5}; throws Error naming the text otherwise.
std::set<int> parseAblationTables(const std::string& text);

}  // namespace autoqvis
