#include "app/headless/headless_main.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include <c10/util/Exception.h>

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
  const int code = command.run(args, env);
  progress.finish();
  progress.event(nlohmann::json{{"event", "done"}, {"command", command.name}, {"exit_code", code}}.dump());
  return code;
}

int runCommandReportingFailure(const Command& command, const std::vector<std::string>& rest) {
  try {
    return runCommand(command, rest);
  } catch (const UsageError& e) {
    std::cerr << "autoqvis " << command.name << ": " << e.what() << " (see --help)\n";
    return 2;
  } catch (const StoppedError&) {
    std::cerr << "\nautoqvis " << command.name << ": stopped; completed results were kept\n";
    return 130;
  } catch (const Error& e) {
    std::cerr << "\nautoqvis " << command.name << ": error: " << e.what() << "\n";
    return 1;
  } catch (const c10::Error& e) {
    // LibTorch's own errors (e.g. out of memory) without its C++ backtrace.
    std::cerr << "\nautoqvis " << command.name << ": error in LibTorch: " << e.what_without_backtrace() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "\nautoqvis " << command.name << ": unexpected error: " << e.what() << "\n";
    return 1;
  }
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
  return runCommandReportingFailure(*command, std::vector<std::string>(args.begin() + 1, args.end()));
}

}  // namespace autoqvis::cli
