// Entry point of headless mode: parses the command line, runs one command, maps errors to a message
// and an exit code (0 success, 1 failed, 2 usage error, 130 stopped by Ctrl-C).
#pragma once

#include <string>
#include <vector>

namespace autoqvis::cli {

/// `args` excludes the program name and the --headless flag.
int runHeadless(const std::vector<std::string>& args);
/// Text of `autoqvis --help`.
std::string helpText();

}  // namespace autoqvis::cli
