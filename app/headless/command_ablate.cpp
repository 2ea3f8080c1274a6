// `ablate`: the paper's ablation tables (core/experiments/ablation_run.h) on the demo world or a given
// config, then ablation.json, ablation.md and the plots (when this build has the GUI's plotting). A
// stopped ablation still writes the tables of what has finished; a rerun continues; --report only
// rewrites the tables and plots from what has finished (e.g. while another process runs the cells).
#include <iostream>

#include "app/headless/command.h"
#include "core/experiments/ablation_report.h"
#include "core/experiments/ablation_run.h"
#include "core/toyworld/toy_world_writer.h"
#include "core/util/atomic_file.h"
#include "core/util/log.h"

namespace autoqvis::cli {
namespace {

AblationPlotter& plotter() {
  static AblationPlotter instance = nullptr;
  return instance;
}

void writeReport(const AblationOptions& options) {
  const nlohmann::json results = collectAblationResults(options);
  writeFileAtomically(options.out / "ablation.json", results.dump(2) + "\n");
  writeFileAtomically(options.out / "ablation.md", ablationMarkdown(results));
  std::cout << ablationMarkdown(results) << "\nwrote " << (options.out / "ablation.md").string() << " and "
            << (options.out / "ablation.json").string() << "\n";
  if (!plotter()) {
    logWarning("this build has no GUI libraries: the ablation plots are not drawn (ablation.md has the numbers)");
    return;
  }
  for (const std::filesystem::path& png : plotter()(results, options.out)) std::cout << "wrote " << png.string() << "\n";
}

}  // namespace

void setAblationPlotter(AblationPlotter function) { plotter() = function; }

int runAblate(const Arguments& args, Environment& env) {
  Config config = loadConfigFromArguments(args);
  AblationOptions options;
  options.out = args.required("out");
  options.seeds = args.intValue("seeds", options.seeds);
  if (auto tables = args.value("tables")) options.tables = parseAblationTables(*tables);
  if (auto device = args.value("device")) config.runtime.device = *device;
  if (args.flag("report")) {
    writeReport(options);
    return 0;
  }
  // The toy world is written beside the cells unless --data-root names existing data.
  if (auto data_root = args.value("data-root")) {
    config.data.root = *data_root;
  } else {
    config.data.root = (options.out / "data").string();
    ToyWorldWriter writer(config.toy_world, config.data.root);
    runController(writer, env);
  }
  AblationRun ablation(config, options);
  env.stop_note = "every finished step is kept under " + options.out.string() + "; rerun the same command to continue";
  try {
    runController(ablation, env);
  } catch (const StoppedError&) {
    writeReport(options);
    throw;
  }
  writeReport(options);
  return 0;
}

}  // namespace autoqvis::cli
