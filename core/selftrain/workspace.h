// A workspace: one directory per project, shared by the GUI and headless mode. It holds
// project.yaml (the full configuration), state.json (which stages are complete) and one folder per
// stage (initial/, round-1/, ...). Every file is written atomically, so a killed run resumes from the
// last complete stage.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config.h"

namespace autoqvis {

class Workspace {
 public:
  /// Creates a workspace in `dir` (created if missing) with this configuration. Refuses a directory
  /// that already holds a project.yaml, so an existing project is never overwritten.
  static Workspace create(const std::filesystem::path& dir, const Config& config);
  /// Opens an existing workspace; throws Error naming the file when project.yaml or state.json is
  /// missing or malformed.
  static Workspace open(const std::filesystem::path& dir);
  static bool exists(const std::filesystem::path& dir);

  /// "initial", then "round-1" .. "round-N" for N = selftrain.rounds.
  static std::vector<std::string> stageNames(const Config& config);

  const std::filesystem::path& dir() const { return dir_; }
  const Config& config() const { return config_; }
  std::filesystem::path projectFile() const { return dir_ / "project.yaml"; }
  std::filesystem::path stateFile() const { return dir_ / "state.json"; }
  /// The stage's folder (created on first use). Throws Error for a stage name the config lacks.
  std::filesystem::path stageDir(const std::string& stage) const;

  bool isComplete(const std::string& stage) const;
  std::vector<std::string> completedStages() const;
  /// The first stage not complete yet, in order; nullopt when all are.
  std::optional<std::string> nextStage() const;
  /// Records the stage as complete (state.json is rewritten atomically).
  void markComplete(const std::string& stage);
  /// Forgets this stage and every later one (they depend on it), e.g. to rerun a round.
  void resetFrom(const std::string& stage);

 private:
  Workspace(std::filesystem::path dir, Config config);
  void checkStage(const std::string& stage) const;
  void saveState() const;
  void loadState();

  std::filesystem::path dir_;
  Config config_;
  std::vector<std::string> stages_;
  std::vector<std::string> complete_;  ///< in stage order
};

}  // namespace autoqvis
