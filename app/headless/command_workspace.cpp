// `init` creates a workspace (project folder) from a config; `status` shows its stages.
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/headless/command.h"
#include "core/selftrain/workspace.h"
#include "core/util/log.h"

namespace autoqvis::cli {

int runInit(const Arguments& args, Environment&) {
  const Config config = loadConfigFromArguments(args);
  const Workspace workspace = Workspace::create(args.required("workspace"), config);
  std::cout << "created workspace " << workspace.dir().string() << " (" << Workspace::stageNames(config).size()
            << " stages; configuration in " << workspace.projectFile().string() << ")\n";
  return 0;
}

int runStatus(const Arguments& args, Environment&) {
  const Workspace workspace = Workspace::open(args.required("workspace"));
  const auto stages = Workspace::stageNames(workspace.config());
  if (args.flag("json")) {
    nlohmann::json out = {{"workspace", workspace.dir().string()}, {"stages", nlohmann::json::array()}};
    for (const auto& stage : stages) out["stages"].push_back({{"name", stage}, {"complete", workspace.isComplete(stage)}});
    out["next"] = workspace.nextStage() ? nlohmann::json(*workspace.nextStage()) : nlohmann::json(nullptr);
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return 0;
  }
  std::cout << "workspace " << workspace.dir().string() << "\n";
  for (const auto& stage : stages) std::cout << "  " << (workspace.isComplete(stage) ? "[x] " : "[ ] ") << stage << "\n";
  std::cout << (workspace.nextStage() ? "next: " + *workspace.nextStage() : std::string("all stages complete")) << "\n";
  return 0;
}

}  // namespace autoqvis::cli
