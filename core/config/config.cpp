#include "core/config/config.h"

#include "core/config/builtin_resources.h"

#include <yaml-cpp/yaml.h>

#include <locale>
#include <set>
#include <sstream>

#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace autoqvis {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string typeName(const bool&) { return "true or false"; }
std::string typeName(const int&) { return "an integer"; }
std::string typeName(const int64_t&) { return "an integer"; }
std::string typeName(const double&) { return "a number"; }
std::string typeName(const std::string&) { return "a string"; }
template <class T>
std::string typeName(const std::vector<T>&) { return "a list"; }

// Converts a YAML scalar, throwing with the key and the offending text on failure.
template <class T>
T convert(const YAML::Node& node, const std::string& key, const std::string& source) {
  try {
    if (!node.IsScalar()) throw YAML::BadConversion(node.Mark());
    return node.as<T>();
  } catch (const YAML::Exception&) {
    std::string text = node.IsScalar() ? node.Scalar() : YAML::Dump(node);
    throw Error("expected " + typeName(T{}) + ", got '" + text + "'", atKey(source, key));
  }
}

// Map keys as text; a non-scalar key (`[a, b]: 1`) is shown as YAML rather than failing to convert.
std::string keyText(const YAML::Node& key) { return key.IsScalar() ? key.Scalar() : YAML::Dump(key); }

// Reads fields of one section from a YAML map and rejects keys no field claimed.
class YamlReader {
 public:
  explicit YamlReader(std::string source) : source_(std::move(source)) {}

  void readDocument(const YAML::Node& root, Config& config) {
    if (root.IsNull()) return;
    if (!root.IsMap()) throw Error("a config must be a YAML map of sections", inFile(source_));
    root_ = &root;
    config.visit(*this);
    for (const auto& entry : root) {
      const std::string name = keyText(entry.first);
      if (!seen_sections_.count(name)) {
        throw Error("unknown section (allowed: " + join(sections_) + ")", atKey(source_, name));
      }
    }
  }

  template <class Options>
  void section(const char* name, Options& options) {
    sections_.push_back(name);
    seen_sections_.insert(name);
    const YAML::Node node = (*root_)[name];
    if (!node) return;
    if (node.IsNull()) return;
    if (!node.IsMap()) throw Error("a section must be a map of key: value", atKey(source_, name));
    prefix_ = name;
    node_ = node;
    claimed_.clear();
    options.visit(*this);
    for (const auto& entry : node) {
      const std::string key = keyText(entry.first);
      if (!claimed_.count(key)) {
        throw Error("unknown key (allowed: " + join(keys_of_section_) + ")", atKey(source_, prefix_ + "." + key));
      }
    }
    keys_of_section_.clear();
  }

  template <class T>
  void field(const char* key, T& value, const char*, T = T{}, T = T{}) {
    if (const YAML::Node node = claim(key)) value = convert<T>(node, prefix_ + "." + key, source_);
  }
  void choice(const char* key, std::string& value, const char*, std::vector<std::string>) {
    field(key, value, nullptr);
  }
  template <class T>
  void list(const char* key, std::vector<T>& value, const char*, T, T) {
    const YAML::Node node = claim(key);
    if (!node) return;
    const std::string full = prefix_ + "." + key;
    if (node.IsScalar()) {  // a single value is a one-element list
      value = {convert<T>(node, full, source_)};
      return;
    }
    if (!node.IsSequence()) throw Error("expected a list like [1, 2]", atKey(source_, full));
    value.clear();
    for (const auto& item : node) value.push_back(convert<T>(item, full, source_));
  }

 private:
  YAML::Node claim(const char* key) {
    keys_of_section_.push_back(key);
    claimed_.insert(key);
    return node_[key];
  }

  std::string source_;
  const YAML::Node* root_ = nullptr;
  YAML::Node node_;
  std::string prefix_;
  std::vector<std::string> sections_;
  std::set<std::string> seen_sections_;
  std::set<std::string> claimed_;
  std::vector<std::string> keys_of_section_;
};

// Checks every numeric field against its range and every choice against its set.
class RangeChecker {
 public:
  explicit RangeChecker(std::string source) : source_(std::move(source)) {}
  template <class Options>
  void section(const char* name, Options& options) {
    prefix_ = name;
    options.visit(*this);
  }
  template <class T>
  void field(const char* key, T& value, const char*, T lo, T hi) {
    if (!(value >= lo && value <= hi)) fail(key, toText(value), "is out of range [" + toText(lo) + ", " + toText(hi) + "]");
  }
  void field(const char*, bool&, const char*) {}
  void field(const char*, std::string&, const char*) {}
  void choice(const char* key, std::string& value, const char*, const std::vector<std::string>& allowed) {
    for (const auto& a : allowed) {
      if (value == a) return;
    }
    fail(key, value, "is not one of: " + join(allowed));
  }
  template <class T>
  void list(const char* key, std::vector<T>& values, const char*, T lo, T hi) {
    if (values.empty()) fail(key, "[]", "must not be empty");
    for (const T& value : values) {
      if (!(value >= lo && value <= hi)) fail(key, toText(value), "is out of range [" + toText(lo) + ", " + toText(hi) + "]");
    }
  }

 private:
  template <class T>
  static std::string toText(const T& value) {
    std::ostringstream out;
    out << value;
    return out.str();
  }
  [[noreturn]] void fail(const char* key, const std::string& value, const std::string& why) {
    throw Error("value " + value + " " + why, atKey(source_, prefix_ + "." + key));
  }
  std::string source_;
  std::string prefix_;
};

// Whether `text` parses (in the C locale, as YAML does) to exactly `value`.
bool readsBackAs(const std::string& text, double value) {
  std::istringstream in(text);
  in.imbue(std::locale::classic());
  double parsed = 0;
  in >> parsed;
  return !in.fail() && parsed == value;
}

// Emits a commented YAML document.
class YamlWriter {
 public:
  explicit YamlWriter(YAML::Emitter& out) : out_(out) {}
  template <class Options>
  void section(const char* name, Options& options) {
    out_ << YAML::Key << name << YAML::Value << YAML::BeginMap;
    options.visit(*this);
    out_ << YAML::EndMap;
  }
  template <class T>
  void field(const char* key, T& value, const char* help, T lo = T{}, T hi = T{}) {
    // yaml-cpp writes a comment as a trailing comment of the previous line: so it goes after the value.
    out_ << YAML::Key << key << YAML::Value << value << YAML::Comment(help);
  }
  void field(const char* key, double& value, const char* help, double = 0, double = 0) {
    // Shortest text that reads back to the same double, so a written config reloads exactly.
    std::ostringstream text;
    text.imbue(std::locale::classic());
    text.precision(17);
    text << value;
    std::string shortest = text.str();
    for (int precision = 1; precision <= 17; ++precision) {
      std::ostringstream candidate;
      candidate.imbue(std::locale::classic());
      candidate.precision(precision);
      candidate << value;
      if (readsBackAs(candidate.str(), value)) {
        shortest = candidate.str();
        break;
      }
    }
    if (shortest.find_first_of(".e") == std::string::npos && shortest.find("inf") == std::string::npos) shortest += ".0";
    out_ << YAML::Key << key << YAML::Value << shortest << YAML::Comment(help);
  }
  void choice(const char* key, std::string& value, const char* help, const std::vector<std::string>& allowed) {
    out_ << YAML::Key << key << YAML::Value << value << YAML::Comment(std::string(help) + " (" + join(allowed) + ")");
  }
  template <class T>
  void list(const char* key, std::vector<T>& values, const char* help, T, T) {
    out_ << YAML::Key << key << YAML::Value << YAML::Flow << values << YAML::Comment(help);
  }

 private:
  YAML::Emitter& out_;
};

// Lists "section.key" names.
class KeyLister {
 public:
  template <class Options>
  void section(const char* name, Options& options) {
    prefix_ = name;
    options.visit(*this);
  }
  template <class... Rest>
  void field(const char* key, Rest&&...) { keys.push_back(prefix_ + "." + key); }
  void choice(const char* key, std::string&, const char*, const std::vector<std::string>&) {
    keys.push_back(prefix_ + "." + key);
  }
  template <class... Rest>
  void list(const char* key, Rest&&...) { keys.push_back(prefix_ + "." + key); }
  std::vector<std::string> keys;

 private:
  std::string prefix_;
};

YAML::Node parseYaml(const std::string& yaml, const std::string& source) {
  try {
    return YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    throw Error("malformed YAML at line " + std::to_string(e.mark.line + 1) + ": " + e.msg, inFile(source));
  }
}

// Ranges are per key; these rules relate two keys, so they are checked after the ranges.
void checkRelations(const Config& c, const std::string& source) {
  auto require = [&](bool ok, const std::string& key, const std::string& why) {
    if (!ok) throw Error(why, atKey(source, key));
  };
  const ToyWorldOptions& toy = c.toy_world;
  require(toy.min_objects_per_image <= toy.max_objects_per_image, "toy_world.max_objects_per_image",
          "must be >= toy_world.min_objects_per_image (" + std::to_string(toy.min_objects_per_image) + ")");
  require(toy.min_objects_per_video <= toy.max_objects_per_video, "toy_world.max_objects_per_video",
          "must be >= toy_world.min_objects_per_video (" + std::to_string(toy.min_objects_per_video) + ")");
  for (const char* stage : {"initial_training", "round_training"}) {
    const TrainOptions& t = std::string(stage) == "initial_training" ? c.initial_training : c.round_training;
    require(t.crop_size.size() == 2 && t.crop_size[0] <= t.crop_size[1], std::string(stage) + ".crop_size",
            "must be [min, max] with min <= max");
    require(t.copy_paste_min_ratio <= t.copy_paste_max_ratio, std::string(stage) + ".copy_paste_max_ratio",
            "must be >= copy_paste_min_ratio");
  }
  require(c.augmentation.rotation_center_min <= c.augmentation.rotation_center_max, "augmentation.rotation_center_max",
          "must be >= augmentation.rotation_center_min");
  const std::string& source_of_labels = c.selftrain.label_source;
  require(source_of_labels == "quality" || source_of_labels == "confidence" || source_of_labels == "true_iou" ||
              source_of_labels == "ground_truth",
          "selftrain.label_source", "must be quality, confidence, true_iou or ground_truth, not '" + source_of_labels + "'");
  require(c.model.hidden_dim % c.model.num_heads == 0, "model.num_heads",
          "must divide model.hidden_dim (" + std::to_string(c.model.hidden_dim) + ")");
  require(c.model.conv_dim % c.model.num_heads == 0, "model.num_heads",
          "must divide model.conv_dim (" + std::to_string(c.model.conv_dim) + ")");
}

}  // namespace

Config::Config() {
  // A round trains longer, on pseudo-labels mixed with synthetic videos, with DropLoss and the
  // quality head frozen (method.md §4.5).
  round_training.max_iter = 10000;
  round_training.batch_size = 4;
  round_training.droploss = true;
  round_training.train_quality_head = false;
}

Config parseConfig(const std::string& yaml, const std::string& source) {
  Config config;
  YamlReader(source).readDocument(parseYaml(yaml, source), config);
  checkConfig(config, source);
  return config;
}

Config loadConfig(const std::filesystem::path& path) { return parseConfig(readFile(path), path.string()); }

void applyOverride(Config& config, const std::string& assignment) {
  const auto eq = assignment.find('=');
  const auto dot = assignment.find('.');
  if (eq == std::string::npos || dot == std::string::npos || dot > eq) {
    throw Error("an override must look like section.key=value, got '" + assignment + "'", atKey("--set", assignment));
  }
  const std::string section = assignment.substr(0, dot);
  const std::string key = assignment.substr(dot + 1, eq - dot - 1);
  const std::string value = assignment.substr(eq + 1);
  YAML::Node root;
  root[section][key] = parseYaml(value.empty() ? "''" : value, "--set " + assignment);
  // Work on a copy so that a rejected override leaves the configuration as it was.
  Config updated = config;
  YamlReader("--set").readDocument(root, updated);
  checkConfig(updated, "--set");
  config = std::move(updated);
}

void checkConfig(const Config& config, const std::string& source) {
  const std::string name = source.empty() ? "config" : source;
  RangeChecker checker(name);
  const_cast<Config&>(config).visit(checker);
  checkRelations(config, name);
}


std::string configToYaml(const Config& config) {
  YAML::Emitter out;
  out << YAML::Comment("AutoQ-VIS Studio configuration; every key is documented");
  out << YAML::BeginMap;
  YamlWriter writer(out);
  const_cast<Config&>(config).visit(writer);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

void saveConfig(const Config& config, const std::filesystem::path& path) {
  writeFileAtomically(path, configToYaml(config));
}

std::vector<std::string> configKeys() {
  Config config;
  KeyLister lister;
  config.visit(lister);
  return lister.keys;
}

std::vector<std::pair<std::string, std::string>> configValues(const Config& config) {
  // Through the written YAML, so each value is spelled exactly as project.yaml spells it.
  const YAML::Node root = parseYaml(configToYaml(config), "configuration");
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& section : root) {
    for (const auto& entry : section.second) {
      YAML::Emitter text;
      text << YAML::Flow << entry.second;
      values.emplace_back(section.first.Scalar() + "." + entry.first.Scalar(), text.c_str());
    }
  }
  return values;
}

std::filesystem::path resolveDataPath(const Config& config, const std::string& relative) {
  if (isBuiltinPath(relative)) return builtinResource(relative);
  std::filesystem::path path(relative);
  if (path.is_absolute()) return path;
  return std::filesystem::path(config.data.root) / path;
}

}  // namespace autoqvis
