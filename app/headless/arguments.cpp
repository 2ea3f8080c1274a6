#include "app/headless/arguments.h"


namespace autoqvis::cli {

Arguments::Arguments(const std::vector<std::string>& args, const std::set<std::string>& value_options,
                     const std::set<std::string>& flags, const std::set<std::string>& repeatable) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + arg + "' (options start with --)");
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (flags.count(name)) {
      if (inline_value) throw UsageError("option --" + name + " takes no value");
      flags_.insert(name);
      continue;
    }
    if (!value_options.count(name)) throw UsageError("unknown option --" + name + " (see --help)");
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else {
      if (i + 1 >= args.size()) throw UsageError("option --" + name + " needs a value");
      value = args[++i];
    }
    auto& list = values_[name];
    if (!list.empty() && !repeatable.count(name)) throw UsageError("option --" + name + " given twice");
    list.push_back(value);
  }
}

std::optional<std::string> Arguments::value(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::string Arguments::required(const std::string& name) const {
  auto v = value(name);
  if (!v) throw UsageError("missing required option --" + name);
  return *v;
}

std::vector<std::string> Arguments::values(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

namespace {

// Parses the whole text as a number with `parse` (std::stoi, std::stod), or throws a UsageError.
template <class T, class Parse>
T parseNumber(const std::string& name, const std::string& text, const char* what, Parse&& parse) {
  try {
    size_t used = 0;
    T parsed = parse(text, &used);
    if (used == text.size()) return parsed;
  } catch (const std::exception&) {
  }
  throw UsageError("option --" + name + " expects " + what + ", got '" + text + "'");
}

}  // namespace

int Arguments::intValue(const std::string& name, int fallback) const {
  auto v = value(name);
  if (!v) return fallback;
  return parseNumber<int>(name, *v, "an integer", [](const std::string& s, size_t* used) { return std::stoi(s, used); });
}

double Arguments::doubleValue(const std::string& name, double fallback) const {
  auto v = value(name);
  if (!v) return fallback;
  return parseNumber<double>(name, *v, "a number", [](const std::string& s, size_t* used) { return std::stod(s, used); });
}

}  // namespace autoqvis::cli
