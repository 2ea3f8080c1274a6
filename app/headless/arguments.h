// Command-line arguments of a headless command: `--name value`, `--name=value`, flags, and repeated
// options (--set). Unknown or missing options are errors that name the option.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/util/error.h"

namespace autoqvis::cli {

/// A malformed command line (exit code 2 rather than 1).
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& message) : Error(message) {}
};

class Arguments {
 public:
  /// `flags` take no value; every other option takes one. `repeatable` options may appear many times.
  Arguments(const std::vector<std::string>& args, const std::set<std::string>& value_options,
            const std::set<std::string>& flags, const std::set<std::string>& repeatable = {"set"});

  bool flag(const std::string& name) const { return flags_.count(name) > 0; }
  std::optional<std::string> value(const std::string& name) const;
  /// The value, or an Error saying the option is required.
  std::string required(const std::string& name) const;
  std::vector<std::string> values(const std::string& name) const;
  int intValue(const std::string& name, int fallback) const;
  double doubleValue(const std::string& name, double fallback) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::set<std::string> flags_;
};

}  // namespace autoqvis::cli
