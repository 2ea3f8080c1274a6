// The whole configuration of a run: one options struct per stage, loaded from YAML presets
// (configs/*.yaml), overridden with `--set section.key=value`, range-checked, and written back as
// the effective YAML (each key with its help text as a comment).
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/config/augmentation_options.h"
#include "core/config/data_options.h"
#include "core/config/model_options.h"
#include "core/config/runtime_options.h"
#include "core/config/selftrain_options.h"
#include "core/config/toy_world_options.h"
#include "core/config/train_options.h"

namespace autoqvis {

struct Config {
  RuntimeOptions runtime;
  DataOptions data;
  ToyWorldOptions toy_world;
  ModelOptions model;
  TrainOptions initial_training;  ///< stage 1: VIS model + quality head on synthetic videos
  TrainOptions round_training;    ///< each self-training round (DropLoss on, quality head frozen)
  AugmentationOptions augmentation;  ///< augmentation and loader details shared by both stages
  SelfTrainOptions selftrain;

  /// Defaults are the paper's settings (configs/paper-r50-ytvis19.yaml says the same explicitly).
  Config();

  template <class V>
  void visit(V& v) {
    v.section("runtime", runtime);
    v.section("data", data);
    v.section("toy_world", toy_world);
    v.section("model", model);
    v.section("initial_training", initial_training);
    v.section("round_training", round_training);
    v.section("augmentation", augmentation);
    v.section("selftrain", selftrain);
  }
};

/// Reads a YAML file on top of the defaults. Unknown sections or keys, wrong types and values out of
/// range throw an Error naming the file and the key.
Config loadConfig(const std::filesystem::path& path);
/// The same from YAML text; `source` names it in errors.
Config parseConfig(const std::string& yaml, const std::string& source);
/// Applies one "section.key=value" override (value in YAML syntax, e.g. 0.5, true, [360, 480]).
void applyOverride(Config& config, const std::string& assignment);
/// Throws an Error naming the first key whose value is out of its allowed range or set.
void checkConfig(const Config& config, const std::string& source = {});
/// The effective configuration as YAML with every key commented; parseConfig() reads it back.
std::string configToYaml(const Config& config);
void saveConfig(const Config& config, const std::filesystem::path& path);
/// "section.key" of every option, in order (for --help and the GUI).
std::vector<std::string> configKeys();
/// Every option as ("section.key", its value as flow YAML), in order: what a workspace records of the
/// configuration a finished stage was made with, to notice a later change.
std::vector<std::pair<std::string, std::string>> configValues(const Config& config);

/// Resolves a data path option against data.root (absolute paths are returned unchanged).
std::filesystem::path resolveDataPath(const Config& config, const std::string& relative);

}  // namespace autoqvis
