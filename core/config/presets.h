// The YAML presets of configs/, compiled into the binary so that `autoqvis` runs with no files
// around it and `--config demo` works from any directory.
#pragma once

#include <string>
#include <vector>

namespace autoqvis {

/// Names of the built-in presets ("demo", "paper-r50-ytvis19", ...).
std::vector<std::string> presetNames();
/// The preset's YAML text; throws Error for an unknown name.
std::string presetYaml(const std::string& name);

}  // namespace autoqvis
