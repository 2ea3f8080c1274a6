#include "core/selftrain/workspace.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace autoqvis {
namespace fs = std::filesystem;

namespace {

constexpr int kStateVersion = 1;

std::string utcNow() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

}  // namespace

Workspace::Workspace(fs::path dir, Config config)
    : dir_(std::move(dir)), config_(std::move(config)), stages_(stageNames(config_)) {}

std::vector<std::string> Workspace::stageNames(const Config& config) {
  std::vector<std::string> names = {"initial"};
  for (int r = 1; r <= config.selftrain.rounds; ++r) names.push_back("round-" + std::to_string(r));
  return names;
}

bool Workspace::exists(const fs::path& dir) { return fs::is_regular_file(dir / "project.yaml"); }

Workspace Workspace::create(const fs::path& dir, const Config& config) {
  if (exists(dir)) throw Error("a workspace already exists here; open it instead", inFile((dir / "project.yaml").string()));
  checkConfig(config, "project");
  Workspace workspace(dir, config);
  saveConfig(config, workspace.projectFile());
  workspace.saveState();
  return workspace;
}

Workspace Workspace::open(const fs::path& dir) {
  if (!exists(dir)) {
    throw Error(fs::is_directory(dir) ? "not a workspace (no project.yaml)" : "workspace folder does not exist",
                inFile(dir.string()));
  }
  Workspace workspace(dir, loadConfig(dir / "project.yaml"));
  workspace.loadState();
  return workspace;
}

void Workspace::checkStage(const std::string& stage) const {
  if (std::find(stages_.begin(), stages_.end(), stage) == stages_.end()) {
    std::string known;
    for (const auto& s : stages_) known += (known.empty() ? "" : ", ") + s;
    throw Error("unknown stage '" + stage + "' (this project has: " + known + ")", inFile(projectFile().string()));
  }
}

fs::path Workspace::stageDir(const std::string& stage) const {
  checkStage(stage);
  const fs::path folder = dir_ / stage;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw Error("cannot create stage folder: " + ec.message(), inFile(folder.string()));
  return folder;
}

bool Workspace::isComplete(const std::string& stage) const {
  return std::find(complete_.begin(), complete_.end(), stage) != complete_.end();
}

std::vector<std::string> Workspace::completedStages() const { return complete_; }

std::optional<std::string> Workspace::nextStage() const {
  for (const auto& stage : stages_) {
    if (!isComplete(stage)) return stage;
  }
  return std::nullopt;
}

void Workspace::markComplete(const std::string& stage) {
  checkStage(stage);
  // Stages run in order: a round cannot be complete before the stages it builds on.
  const auto position = std::find(stages_.begin(), stages_.end(), stage) - stages_.begin();
  for (long i = 0; i < position; ++i) {
    if (!isComplete(stages_[i])) {
      throw Error("stage '" + stage + "' cannot complete before '" + stages_[i] + "'", inFile(stateFile().string()));
    }
  }
  if (!isComplete(stage)) complete_.push_back(stage);
  saveState();
}

void Workspace::resetFrom(const std::string& stage) {
  checkStage(stage);
  const auto first = std::find(stages_.begin(), stages_.end(), stage);
  complete_.erase(std::remove_if(complete_.begin(), complete_.end(),
                                 [&](const std::string& s) {
                                   return std::find(first, stages_.end(), s) != stages_.end();
                                 }),
                  complete_.end());
  saveState();
}

void Workspace::saveState() const {
  nlohmann::json stages = nlohmann::json::object();
  for (const auto& stage : stages_) stages[stage] = {{"complete", isComplete(stage)}};
  nlohmann::json state = {{"version", kStateVersion}, {"updated", utcNow()}, {"stages", stages}};
  writeFileAtomically(stateFile(), state.dump(2) + "\n");
}

void Workspace::loadState() {
  const std::string source = stateFile().string();
  nlohmann::json state;
  try {
    state = nlohmann::json::parse(readFile(stateFile()));
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(std::string("malformed JSON: ") + e.what(), inFile(source));
  }
  if (!state.is_object() || !state.contains("stages") || !state["stages"].is_object()) {
    throw Error("expected {\"version\": 1, \"stages\": {...}}", inFile(source));
  }
  if (state.value("version", 0) != kStateVersion) throw Error("unsupported state version", atKey(source, "version"));
  complete_.clear();
  for (const auto& stage : stages_) {
    auto entry = state["stages"].find(stage);
    if (entry == state["stages"].end()) continue;  // e.g. rounds added to the config later
    if (!entry->is_object() || !entry->contains("complete") || !(*entry)["complete"].is_boolean()) {
      throw Error("expected {\"complete\": true|false}", atKey(source, "stages." + stage));
    }
    if ((*entry)["complete"].get<bool>()) complete_.push_back(stage);
  }
}

}  // namespace autoqvis
