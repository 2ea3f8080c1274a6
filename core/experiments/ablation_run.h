// `ablate`: the paper's ablation tables on one config. One shared stage 1 (OUT/stage1, trained once),
// then every cell of the plan (ablation_plan.h) for every seed as its own workspace
// (OUT/cells/<cell>-seed<k>), whose `initial` stage is the shared one and whose rounds train with
// runtime.seed = the config's seed + kAblationSeedStride * (k - 1). Every cell is a workspace, so a stopped
// ablation resumes at the first unfinished step of the first unfinished cell.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/experiments/ablation_plan.h"
#include "core/util/controller.h"

#include <nlohmann/json.hpp>

namespace autoqvis {

/// Seed k of a cell adds this times (k - 1) to runtime.seed; round r then trains with runtime.seed + r, so no
/// two (seed, round) pairs share a random stream while rounds < the stride.
constexpr int kAblationSeedStride = 1000;

/// The configuration of one cell for seed k (1-based): the cell's overrides and rounds, the seed's offset.
Config ablationCellConfig(Config config, const AblationCell& cell, int seed);

struct AblationOptions {
  std::filesystem::path out;
  int seeds = 2;
  std::set<int> tables = {2, 3, 4, 5};
};

class AblationRun : public Controller {
 public:
  AblationRun(Config config, AblationOptions options);
  void run() override;

  static std::filesystem::path stage1Dir(const std::filesystem::path& out) { return out / "stage1"; }
  static std::filesystem::path cellDir(const std::filesystem::path& out, const std::string& cell, int seed) {
    return out / "cells" / (cell + "-seed" + std::to_string(seed));
  }

 private:
  void runStage1();
  void runCell(const AblationCell& cell, int seed);

  Config config_;
  AblationOptions options_;
};

/// Every cell's per-stage numbers (fractions), read from the workspaces under `out`: {"seeds", "tables",
/// "stage1": {...}, "base": {...} (the weights stage 1 started from), "cells": {name: {"label", "rounds", "runs": [{"seed", "stages": {stage: {...}}}]}},
/// "compute_seconds"}. Cells and stages that have not started are left out.
nlohmann::json collectAblationResults(const AblationOptions& options);

}  // namespace autoqvis
