// A workspace: one directory per project, shared by the GUI and headless mode. It holds
// project.yaml (the full configuration), state.json (the finished steps of each stage) and one folder
// per stage: initial/, round-1/ .. round-N/, final/.
//
//   initial   trained, evaluated               stage 1 on the synthetic videos
//   round-r   predicted, selected, trained,    the previous stage's model on the unlabeled videos, the
//             evaluated                        pseudo-labels (official round r-1), training from the
//                                              initial weights on them and the synthetic videos
//   final     predicted, selected              the last round's model labels the videos once more: the
//                                              pseudo-labelled set a user exports
//
// A step is recorded only after its files are complete (each written atomically), so a killed run
// resumes at the first unfinished step. Each stage also records the configuration it was made with,
// so a later change under a finished step is noticed (configChanges) instead of silently mixing two
// configurations in one project.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config.h"

namespace autoqvis {

enum class StageKind { Initial, Round, Final };

/// A configuration key whose value differs from what a stage with finished steps was made with.
struct ConfigChange {
  std::string stage;  ///< the first such stage (it and every later one depend on the key)
  std::string key;    ///< "section.key"
  std::string recorded;
  std::string current;
};

class Workspace {
 public:
  /// Creates a workspace in `dir` (created if missing) with this configuration. Refuses a directory
  /// that already holds a project.yaml, so an existing project is never overwritten.
  static Workspace create(const std::filesystem::path& dir, const Config& config);
  /// Opens an existing workspace; throws Error naming the file when project.yaml or state.json is
  /// missing or malformed.
  static Workspace open(const std::filesystem::path& dir);
  static bool exists(const std::filesystem::path& dir);

  /// "initial", "round-1" .. "round-N" for N = selftrain.rounds, then "final" when N >= 1.
  static std::vector<std::string> stageNames(const Config& config);
  /// Throws Error for a name that is none of the above.
  static StageKind stageKind(const std::string& stage);
  /// r for "round-r"; 0 for "initial"; N + 1 for "final" (N = selftrain.rounds).
  static int stageRound(const std::string& stage, const Config& config);
  /// The steps of a stage of this kind, in order.
  static const std::vector<std::string>& stepsOf(StageKind kind);

  const std::filesystem::path& dir() const { return dir_; }
  const Config& config() const { return config_; }
  const std::vector<std::string>& stages() const { return stages_; }
  std::filesystem::path projectFile() const { return dir_ / "project.yaml"; }
  std::filesystem::path stateFile() const { return dir_ / "state.json"; }
  /// The stage's folder (created on first use). Throws Error for a stage name the config lacks.
  std::filesystem::path stageDir(const std::string& stage) const;
  /// The stage before this one ("initial" before "round-1"); throws for "initial".
  std::string previousStage(const std::string& stage) const;

  bool isComplete(const std::string& stage) const;
  std::vector<std::string> completedStages() const;
  /// The first stage not complete yet, in order; nullopt when all are.
  std::optional<std::string> nextStage() const;
  bool hasStep(const std::string& stage, const std::string& step) const;
  /// What the step recorded (seconds, counts, metrics), or null when it has not finished.
  const nlohmann::json* stepDetails(const std::string& stage, const std::string& step) const;
  /// Records a finished step with its details and the configuration (state.json is rewritten
  /// atomically). Refuses a step before the earlier steps and stages it builds on.
  void markStep(const std::string& stage, const std::string& step, nlohmann::json details = nlohmann::json::object());
  /// Records every step of the stage.
  void markComplete(const std::string& stage);
  /// Forgets this stage and every later one (they depend on it), e.g. to rerun a round, and removes
  /// their training checkpoints so the rerun trains afresh.
  void resetFrom(const std::string& stage);
  /// Forgets `step` and the later steps of `stage`, and every later stage (e.g. when a person commits
  /// a new selection for a round that has trained on the old one). Removes the checkpoints of the
  /// stages whose training is forgotten.
  void resetFromStep(const std::string& stage, const std::string& step);

  /// The keys `candidate` changes under stages with finished steps, earliest stage first. The
  /// runtime's device and thread count and the loader's threads change no result and are ignored.
  std::vector<ConfigChange> configChanges(const Config& candidate) const;
  /// Makes `config` the project's configuration (project.yaml rewritten atomically). Call it only
  /// when configChanges(config) is empty, or after resetFrom the first stage it names.
  void replaceConfig(const Config& config);

 private:
  struct StageRecord {
    std::map<std::string, nlohmann::json> steps;
    nlohmann::json config = nlohmann::json::object();  ///< configValues when the last step finished
  };

  Workspace(std::filesystem::path dir, Config config);
  void checkStage(const std::string& stage) const;
  void saveState() const;
  void loadState();

  std::filesystem::path dir_;
  Config config_;
  std::vector<std::string> stages_;
  std::map<std::string, StageRecord> records_;  ///< stages with at least one finished step
};

}  // namespace autoqvis
