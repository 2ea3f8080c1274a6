#include "app/headless/headless_main.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/headless/command.h"
#include "core/config/presets.h"
#include "core/util/blas_info.h"
#include "core/util/log.h"
#include "core/util/torch_runtime.h"
#include "core/util/version.h"

namespace autoqvis::cli {
namespace {

const std::set<std::string> kCommonOptions = {"config", "set", "progress", "log-level"};

StopToken& globalStop() {
  static StopToken token;
  return token;
}

// Ctrl-C asks the running controller to stop at its next check; a second Ctrl-C kills the process.
void onInterrupt(int) {
  if (globalStop().stopRequested()) std::_Exit(130);
  globalStop().requestStop();
}

const Command* findCommand(const std::string& name) {
  for (const auto& command : commands()) {
    if (name == command.name) return &command;
  }
  return nullptr;
}

std::string commandHelp(const Command& command) {
  return std::string("usage: autoqvis --headless ") + command.name + " [options]\n\n" + command.summary + "\n\n" +
         command.usage +
         "\ncommon options:\n"
         "  --config FILE|PRESET   YAML config or a built-in preset (default: demo)\n"
         "  --set section.key=V    override one config key (repeatable)\n"
         "  --progress STYLE       auto | bar | lines | jsonl | none (jsonl: one JSON object per line on stdout)\n"
         "  --log-level LEVEL      debug | info | warning | error\n";
}

// Maps the command's outcome to the exit code: 0 done, 1 failed, 2 bad command line, 130 stopped, with a
// message that says what the stop left behind.
int runReportingFailure(const char* name, const std::function<int()>& run, const Environment& env) {
  try {
    return run();
  } catch (const UsageError& e) {
    std::cerr << "autoqvis " << name << ": " << e.what() << " (see --help)\n";
    return 2;
  } catch (const StoppedError&) {
    std::cerr << "\nautoqvis " << name << ": stopped on request; " << env.stop_note << "\n";
    return 130;
  } catch (const JobFailed& e) {
    std::cerr << "\nautoqvis " << name << ": error: " << e.what() << "\n";
    return 1;
  } catch (...) {
    std::cerr << "\nautoqvis " << name << ": error: " << describeCurrentException() << "\n";
    return 1;
  }
}

// The last jsonl line is always {"event":"done","command","exit_code"}.
int runCommand(const Command& command, const std::vector<std::string>& rest) {
  std::set<std::string> options = command.options;
  options.insert(kCommonOptions.begin(), kCommonOptions.end());
  std::set<std::string> flags = command.flags;
  flags.insert("help");
  Arguments args(rest, options, flags);
  if (args.flag("help")) {
    std::cout << commandHelp(command);
    return 0;
  }
  if (auto level = args.value("log-level")) setLogLevel(parseLogLevel(*level));
  ConsoleProgress progress(parseProgressStyle(args.value("progress").value_or("auto")));
  Environment env{progress, globalStop()};
  logInfo("BLAS: " + describeBlas(detectBlas()));
  const int code = runReportingFailure(command.name, [&] { return command.run(args, env); }, env);
  progress.finish();
  progress.event(nlohmann::json{{"event", "done"}, {"command", command.name}, {"exit_code", code}}.dump());
  return code;
}

}  // namespace

std::string helpText() {
  std::string text =
      "AutoQ-VIS Studio " + versionString() +
      ": unsupervised video instance segmentation by quality-guided self-training.\n\n"
      "usage: autoqvis                         start the desktop application\n"
      "       autoqvis DATASET.json|VIDEO [--results R.json] [--frames DIR] [--video N] [--frame F] [--track ID]\n"
      "                                        open a dataset or video (with results) in the desktop viewer\n"
      "       autoqvis --headless COMMAND ...  run a job without a display\n"
      "       autoqvis --version | --help\n\n"
      "commands:\n";
  for (const auto& command : commands()) {
    char line[160];
    std::snprintf(line, sizeof(line), "  %-15s %s\n", command.name, command.summary);
    text += line;
  }
  text += "\n'autoqvis --headless COMMAND --help' lists a command's options. Built-in presets:";
  for (const auto& name : presetNames()) text += " " + name;
  text += "\n";
  return text;
}

int runHeadless(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << helpText();
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    setTorchThreads(0);
    std::cout << buildReport();
    return 0;
  }
  const Command* command = findCommand(args[0]);
  if (!command) {
    std::cerr << "autoqvis: unknown command '" << args[0] << "'\n\n" << helpText();
    return 2;
  }
  globalStop();  // create the token before a signal handler can touch it
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  try {
    return runCommand(*command, std::vector<std::string>(args.begin() + 1, args.end()));
  } catch (const UsageError& e) {
    std::cerr << "autoqvis " << command->name << ": " << e.what() << " (see --help)\n";
    return 2;
  }
}

}  // namespace autoqvis::cli
