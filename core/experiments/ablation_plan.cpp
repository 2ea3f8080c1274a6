#include "core/experiments/ablation_plan.h"

#include <sstream>

#include "core/util/error.h"

namespace autoqvis {

std::set<int> parseAblationTables(const std::string& text) {
  std::set<int> tables;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item != "2" && item != "3" && item != "4" && item != "5") {
      throw Error("tables are 2, 3, 4 and 5 (comma-separated), not '" + item + "'", atKey("--tables", item));
    }
    tables.insert(std::stoi(item));
  }
  if (tables.empty()) throw Error("name at least one table (2, 3, 4, 5)", atKey("--tables", text));
  return tables;
}

std::vector<AblationCell> ablationCells(const std::set<int>& tables) {
  for (int table : tables) {
    if (table < 2 || table > 5) throw Error("no ablation table " + std::to_string(table) + " (2, 3, 4, 5)");
  }
  std::vector<AblationCell> cells;
  // Table 4's third round is the full method's round 3: rounds 1 and 2 are the same run.
  cells.push_back({"full", "AutoQ-VIS (full)", tables.count(4) ? 3 : 2, {}});
  if (tables.count(3)) {
    cells.push_back({"no_quality", "w/o quality predictor (s, tau 0.85)", 2,
                     {"selftrain.label_source=confidence", "selftrain.quality_threshold=0.85"}});
    cells.push_back({"no_droploss", "w/o DropLoss", 2, {"round_training.droploss=false"}});
    cells.push_back({"no_reset", "w/o weight reset", 2, {"selftrain.reset_weights=false"}});
  }
  if (tables.count(5)) {
    for (const TauCell& c : kTable5Cells) {
      if (std::string(c.cell) == "full") continue;
      cells.push_back({c.cell, std::string("tau ") + c.tau, 2, {std::string("selftrain.quality_threshold=") + c.tau}});
    }
  }
  if (tables.count(2)) {
    cells.push_back({"oracle_iou", "practical limit (true IoU >= 0.5)", 2,
                     {"selftrain.label_source=true_iou", "selftrain.quality_threshold=0.5"}});
    cells.push_back({"ground_truth", "theoretical limit (ground truth)", 1, {"selftrain.label_source=ground_truth"}});
  }
  return cells;
}

}  // namespace autoqvis
