#include "core/experiments/ablation_run.h"

#include "core/selftrain/self_training_run.h"
#include "core/selftrain/stage_summary.h"
#include "core/selftrain/workspace.h"
#include "core/util/error.h"
#include "core/util/log.h"

namespace autoqvis {
namespace fs = std::filesystem;

namespace {

// An ablation folder belongs to one configuration: mixing two would make a table of two experiments.
Workspace openOrCreate(const fs::path& dir, const Config& config) {
  if (!Workspace::exists(dir)) return Workspace::create(dir, config);
  Workspace workspace = Workspace::open(dir);
  const std::vector<ConfigChange> changes = workspace.configChanges(config);
  if (!changes.empty()) {
    const ConfigChange& c = changes.front();
    throw Error("this ablation was run with another configuration (" + c.key + ": " + c.recorded + " -> " +
                    c.current + "); use a new --out or the same --config and --set",
                inFile(workspace.projectFile().string()));
  }
  return workspace;
}

// The cell's `initial` stage is the shared stage 1: its files, and its steps' records.
void adoptStage1(Workspace& cell, const Workspace& shared) {
  const fs::path from = shared.stageDir("initial"), to = cell.stageDir("initial");
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(from)) {
    if (entry.is_regular_file()) fs::copy_file(entry.path(), to / entry.path().filename(), fs::copy_options::overwrite_existing);
  }
  for (const std::string& step : Workspace::stepsOf(StageKind::Initial)) {
    nlohmann::json details = *shared.stepDetails("initial", step);
    details["shared_from"] = fs::absolute(from).string();
    cell.markStep("initial", step, details);
  }
}

nlohmann::json stageNumbers(const StageSummary& s) {
  nlohmann::json out = {{"seconds", s.seconds}, {"complete", s.complete}};
  auto put = [&out](const char* key, const auto& value) {
    if (value) out[key] = *value;
  };
  put("AP", s.AP), put("AP50", s.AP50), put("AP75", s.AP75), put("AR10", s.AR10);
  put("tau", s.tau), put("objects", s.objects), put("frames", s.frames), put("videos", s.videos);
  return out;
}

nlohmann::json workspaceNumbers(const fs::path& dir) {
  nlohmann::json stages = nlohmann::json::object();
  for (const StageSummary& s : summarizeStages(Workspace::open(dir))) {
    if (!s.steps_done.empty()) stages[s.stage] = stageNumbers(s);
  }
  return stages;
}

}  // namespace

Config ablationCellConfig(Config config, const AblationCell& cell, int seed) {
  for (const std::string& assignment : cell.overrides) applyOverride(config, assignment);
  config.selftrain.rounds = cell.rounds;
  // Round r trains with runtime.seed + r, so consecutive seeds would share streams across rounds (seed 1's
  // round 2 = seed 2's round 1); a stride far above any round count keeps every seed's rounds apart.
  config.runtime.seed += kAblationSeedStride * (seed - 1);
  return config;
}

AblationRun::AblationRun(Config config, AblationOptions options)
    : Controller("ablate"), config_(std::move(config)), options_(std::move(options)) {
  if (options_.seeds < 1) throw Error("--seeds must be at least 1", atKey("--seeds", std::to_string(options_.seeds)));
}

void AblationRun::run() {
  runStage1();
  const std::vector<AblationCell> cells = ablationCells(options_.tables);
  // Seed by seed: a stopped ablation has whole tables for its first seeds.
  for (int seed = 1; seed <= options_.seeds; ++seed) {
    for (const AblationCell& cell : cells) {
      checkStop();
      runCell(cell, seed);
    }
  }
}

void AblationRun::runStage1() {
  Workspace workspace = openOrCreate(stage1Dir(options_.out), config_);
  if (workspace.isComplete("initial")) return;
  SelfTrainingRun run(workspace, SelfTrainingOptions{std::string("initial"), {}});
  runChild(run, "stage-1");
}

void AblationRun::runCell(const AblationCell& cell, int seed) {
  const fs::path dir = cellDir(options_.out, cell.name, seed);
  Workspace workspace = openOrCreate(dir, ablationCellConfig(config_, cell, seed));
  const std::string last = "round-" + std::to_string(cell.rounds);
  if (workspace.isComplete(last)) return;
  if (!workspace.hasStep("initial", "trained")) adoptStage1(workspace, Workspace::open(stage1Dir(options_.out)));
  logInfo("ablation cell " + cell.name + " seed " + std::to_string(seed) + " (" + dir.string() + ")");
  SelfTrainingRun run(workspace, SelfTrainingOptions{last, {}});
  runChild(run, cell.name + "-seed" + std::to_string(seed));
}

nlohmann::json collectAblationResults(const AblationOptions& options) {
  nlohmann::json results = {{"seeds", options.seeds}, {"tables", options.tables}, {"cells", nlohmann::json::object()}};
  const fs::path stage1 = AblationRun::stage1Dir(options.out);
  double seconds = 0;
  if (Workspace::exists(stage1)) {
    const Workspace workspace = Workspace::open(stage1);
    results["stage1"] = workspaceNumbers(stage1).value("initial", nlohmann::json::object());
    seconds += results["stage1"].value("seconds", 0.0);
    if (auto base = baseSummary(workspace)) results["base"] = stageNumbers(*base);
  }
  for (const AblationCell& cell : ablationCells(options.tables)) {
    nlohmann::json runs = nlohmann::json::array();
    for (int seed = 1; seed <= options.seeds; ++seed) {
      const fs::path dir = AblationRun::cellDir(options.out, cell.name, seed);
      if (!Workspace::exists(dir)) continue;
      nlohmann::json stages = workspaceNumbers(dir);
      for (auto& [stage, numbers] : stages.items()) {
        if (stage != "initial") seconds += numbers.value("seconds", 0.0);  // stage 1 is shared, counted once
      }
      runs.push_back({{"seed", seed}, {"stages", std::move(stages)}});
    }
    results["cells"][cell.name] = {{"label", cell.label}, {"rounds", cell.rounds}, {"runs", std::move(runs)}};
  }
  results["compute_seconds"] = seconds;
  return results;
}

}  // namespace autoqvis
