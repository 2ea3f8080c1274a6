// The headless commands of `autoqvis --headless <command>`: each one is a small function over
// parsed arguments; the shared environment brings the console progress and the stop token.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "app/headless/arguments.h"
#include "app/headless/console_progress.h"
#include "core/config/config.h"
#include "core/util/progress.h"

namespace autoqvis::cli {

struct Environment {
  ConsoleProgress& progress;
  StopToken stop;
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
Config loadConfigFromArguments(const Arguments& args);
/// Hands a controller the console progress and the stop token, then runs it.
void runController(Controller& controller, Environment& env);

int runMakeToyData(const Arguments& args, Environment& env);
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
int runConvertWeights(const Arguments& args, Environment& env);
int runTrain(const Arguments& args, Environment& env);

}  // namespace autoqvis::cli
