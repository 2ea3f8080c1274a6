// The headless commands of `autoqvis --headless <command>`: each one is a small function over
// parsed arguments; the shared environment brings the console progress and the stop token.
#pragma once

#include <filesystem>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/headless/arguments.h"
#include "app/headless/console_progress.h"
#include "core/config/config.h"
#include "core/util/controller.h"

#include <nlohmann/json.hpp>

namespace autoqvis {
class Workspace;
struct ParallelHooks;
}  // namespace autoqvis

namespace autoqvis::cli {

struct Environment {
  ConsoleProgress& progress;
  StopToken stop;
  /// What a stop leaves behind, said after "stopped on request; " (a command updates it as it writes).
  std::string stop_note = "nothing was written";
};

/// A controller's failure, already formatted with its context by the controller contract.
class JobFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Command {
  const char* name;
  const char* summary;
  const char* usage;                  ///< option lines for --help
  std::set<std::string> options;      ///< options that take a value (besides the common ones)
  std::set<std::string> flags;        ///< options without a value
  int (*run)(const Arguments& args, Environment& env);
};

/// Every command, in the order --help lists them.
const std::vector<Command>& commands();

/// --config (a file or a built-in preset name; default: the demo preset) plus every --set override.
Config loadConfigFromArguments(const Arguments& args, const std::string& default_preset = "demo");
/// Runs a controller with the console progress, the --progress=jsonl events and the stop token. Throws
/// StoppedError when it stopped and JobFailed (exit 1) when it failed.
void runController(Controller& controller, Environment& env);

int runMakeToyData(const Arguments& args, Environment& env);
int runMakeBaseModel(const Arguments& args, Environment& env);
int runAblate(const Arguments& args, Environment& env);

/// Draws the ablation's plots into a folder and returns the files; the GUI build registers one
/// (widgets/experiments/ablation_plots.h), a headless-only build has none.
using AblationPlotter = std::vector<std::filesystem::path> (*)(const nlohmann::json& results,
                                                                const std::filesystem::path& folder);
void setAblationPlotter(AblationPlotter function);
int runImportVideos(const Arguments& args, Environment& env);
int runInfo(const Arguments& args, Environment& env);
int runExportDavis(const Arguments& args, Environment& env);
int runPreview(const Arguments& args, Environment& env);
int runDemo(const Arguments& args, Environment& env);
int runConfig(const Arguments& args, Environment& env);
int runEvaluate(const Arguments& args, Environment& env);
int runAnalyzeQuality(const Arguments& args, Environment& env);
int runInit(const Arguments& args, Environment& env);
int runStatus(const Arguments& args, Environment& env);
int runPredict(const Arguments& args, Environment& env);
int runPseudoLabels(const Arguments& args, Environment& env);
int runConvertWeights(const Arguments& args, Environment& env);
int runTrain(const Arguments& args, Environment& env);
int runRun(const Arguments& args, Environment& env);
int runExport(const Arguments& args, Environment& env);

/// The workspace in `dir`: created from --config / --set (after `adjust_new`) when missing; else opened,
/// with the requested configuration applied when it changes nothing under a finished step or --from
/// names the stage to redo from (throws Error naming the keys otherwise).
Workspace openWorkspaceForRun(const std::filesystem::path& dir, const Arguments& args,
                              const std::function<void(Config&)>& adjust_new);
/// The self-training controller over the workspace up to --until; a stop says where a rerun continues.
void runSelfTraining(Workspace& workspace, const Arguments& args, Environment& env, ParallelHooks parallel);

}  // namespace autoqvis::cli
