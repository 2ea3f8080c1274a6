// `init` creates a workspace (project folder) from a config; `status` shows its stages: the finished
// steps, the accepted pseudo-labels, the validation AP and the best round.
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/headless/command.h"
#include "core/selftrain/self_training_run.h"
#include "core/selftrain/stage_summary.h"
#include "core/selftrain/workspace.h"
#include "core/util/atomic_file.h"
#include "core/util/log.h"

namespace autoqvis::cli {
namespace {

template <class T>
nlohmann::json orNull(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json summaryJson(const StageSummary& s) {
  return {{"name", s.stage},           {"complete", s.complete},     {"steps", s.steps_done},
          {"tau", orNull(s.tau)},      {"objects", orNull(s.objects)}, {"frames", orNull(s.frames)},
          {"videos", orNull(s.videos)}, {"AP", orNull(s.AP)},         {"AP50", orNull(s.AP50)},
          {"AP75", orNull(s.AP75)},    {"AR10", orNull(s.AR10)},     {"seconds", s.seconds}};
}

// best.json as the run wrote it, or null before the first evaluated round.
nlohmann::json bestJson(const Workspace& workspace) {
  const BestModelFiles best = bestModelFiles(workspace);
  if (!std::filesystem::exists(best.record)) return nullptr;
  try {
    return nlohmann::json::parse(readFile(best.record));
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(std::string("malformed JSON: ") + e.what(), inFile(best.record.string()));
  }
}

}  // namespace

int runInit(const Arguments& args, Environment&) {
  const Config config = loadConfigFromArguments(args);
  const Workspace workspace = Workspace::create(args.required("workspace"), config);
  std::cout << "created workspace " << workspace.dir().string() << " (" << Workspace::stageNames(config).size()
            << " stages; configuration in " << workspace.projectFile().string() << ")\n";
  return 0;
}

int runStatus(const Arguments& args, Environment&) {
  const Workspace workspace = Workspace::open(args.required("workspace"));
  const std::vector<StageSummary> stages = summarizeStages(workspace);
  const nlohmann::json best = bestJson(workspace);
  if (args.flag("json")) {
    nlohmann::json out = {{"workspace", workspace.dir().string()}, {"stages", nlohmann::json::array()}};
    for (const StageSummary& s : stages) out["stages"].push_back(summaryJson(s));
    out["next"] = workspace.nextStage() ? nlohmann::json(*workspace.nextStage()) : nlohmann::json(nullptr);
    out["best"] = best;
    // The weights stage 1 started from, on the same validation videos (null without data.initial_weights).
    const std::optional<StageSummary> base = baseSummary(workspace);
    out["base"] = base ? summaryJson(*base) : nlohmann::json(nullptr);
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  std::cout << "workspace " << workspace.dir().string() << "\n" << formatStageTable(summarizeWithBase(workspace));
  if (!best.is_null()) std::cout << "best round by validation AP50: " << best.value("stage", "?") << "\n";
  std::cout << (workspace.nextStage() ? "next: " + *workspace.nextStage() : std::string("all stages complete")) << "\n";
  return 0;
}

}  // namespace autoqvis::cli
