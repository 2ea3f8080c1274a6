#include "core/selftrain/workspace.h"

#include <algorithm>
#include <chrono>
#include <ctime>

#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include "core/util/stage_files.h"

namespace autoqvis {
namespace fs = std::filesystem;

namespace {

// Version 1 recorded only {"complete": bool} per stage; it is still read (a complete stage then has
// every step and no recorded configuration).
constexpr int kStateVersion = 2;

std::string utcNow() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

bool startsWith(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// The first kind of stage whose results depend on the key; nullopt for keys that change no result.
// Every later stage depends on the earlier ones, so a key that matters to a kind matters to all after.
std::optional<StageKind> firstKindAffected(const std::string& key) {
  // Where and how fast it runs changes no result (the loader's batches do not depend on its threads),
  // nor does pausing for a person's review (what they commit is in the round's selection.json).
  if (key == "runtime.device" || key == "runtime.threads" || key == "augmentation.loader_workers" ||
      key == "augmentation.loader_prefetch_batches" || key == "selftrain.review_before_training") {
    return std::nullopt;
  }
  if (key == "selftrain.rounds") return StageKind::Final;  // the finished rounds stay valid
  if (startsWith(key, "round_training.") || startsWith(key, "selftrain.")) return StageKind::Round;
  return StageKind::Initial;
}

nlohmann::json configSnapshot(const Config& config) {
  nlohmann::json values = nlohmann::json::object();
  for (const auto& [key, value] : configValues(config)) values[key] = value;
  return values;
}

}  // namespace

Workspace::Workspace(fs::path dir, Config config)
    : dir_(std::move(dir)), config_(std::move(config)), stages_(stageNames(config_)) {}

std::vector<std::string> Workspace::stageNames(const Config& config) {
  std::vector<std::string> names = {"initial"};
  for (int r = 1; r <= config.selftrain.rounds; ++r) names.push_back("round-" + std::to_string(r));
  if (config.selftrain.rounds >= 1) names.push_back("final");
  return names;
}

StageKind Workspace::stageKind(const std::string& stage) {
  if (stage == "initial") return StageKind::Initial;
  if (stage == "final") return StageKind::Final;
  if (startsWith(stage, "round-") && stage.size() > 6 &&
      std::all_of(stage.begin() + 6, stage.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return StageKind::Round;
  }
  throw Error("unknown stage '" + stage + "' (stages are initial, round-1 .. round-N, final)");
}

int Workspace::stageRound(const std::string& stage, const Config& config) {
  switch (stageKind(stage)) {
    case StageKind::Initial: return 0;
    case StageKind::Final: return config.selftrain.rounds + 1;
    case StageKind::Round: break;
  }
  return std::stoi(stage.substr(6));
}

const std::vector<std::string>& Workspace::stepsOf(StageKind kind) {
  static const std::vector<std::string> initial = {"trained", "evaluated"};
  static const std::vector<std::string> round = {"predicted", "selected", "trained", "evaluated"};
  static const std::vector<std::string> final_stage = {"predicted", "selected"};
  switch (kind) {
    case StageKind::Initial: return initial;
    case StageKind::Round: return round;
    case StageKind::Final: break;
  }
  return final_stage;
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

std::string Workspace::previousStage(const std::string& stage) const {
  checkStage(stage);
  const auto position = std::find(stages_.begin(), stages_.end(), stage);
  if (position == stages_.begin()) throw Error("the stage '" + stage + "' has no previous stage");
  return *(position - 1);
}

bool Workspace::hasStep(const std::string& stage, const std::string& step) const {
  auto record = records_.find(stage);
  return record != records_.end() && record->second.steps.count(step) > 0;
}

const nlohmann::json* Workspace::stepDetails(const std::string& stage, const std::string& step) const {
  auto record = records_.find(stage);
  if (record == records_.end()) return nullptr;
  auto entry = record->second.steps.find(step);
  return entry == record->second.steps.end() ? nullptr : &entry->second;
}

bool Workspace::isComplete(const std::string& stage) const {
  if (std::find(stages_.begin(), stages_.end(), stage) == stages_.end()) return false;
  const auto& steps = stepsOf(stageKind(stage));
  return std::all_of(steps.begin(), steps.end(), [&](const std::string& step) { return hasStep(stage, step); });
}

std::vector<std::string> Workspace::completedStages() const {
  std::vector<std::string> complete;
  for (const auto& stage : stages_) {
    if (isComplete(stage)) complete.push_back(stage);
  }
  return complete;
}

std::optional<std::string> Workspace::nextStage() const {
  for (const auto& stage : stages_) {
    if (!isComplete(stage)) return stage;
  }
  return std::nullopt;
}

void Workspace::markStep(const std::string& stage, const std::string& step, nlohmann::json details) {
  checkStage(stage);
  // Stages and steps run in order: nothing is recorded before what it builds on.
  for (const auto& earlier : stages_) {
    if (earlier == stage) break;
    if (!isComplete(earlier)) {
      throw Error("stage '" + stage + "' cannot complete before '" + earlier + "'", inFile(stateFile().string()));
    }
  }
  const auto& steps = stepsOf(stageKind(stage));
  const auto position = std::find(steps.begin(), steps.end(), step);
  if (position == steps.end()) throw Error("stage '" + stage + "' has no step '" + step + "'");
  for (auto earlier = steps.begin(); earlier != position; ++earlier) {
    if (!hasStep(stage, *earlier)) {
      throw Error("step '" + step + "' of '" + stage + "' cannot finish before '" + *earlier + "'",
                  inFile(stateFile().string()));
    }
  }
  StageRecord& record = records_[stage];
  details["finished"] = utcNow();
  record.steps[step] = std::move(details);
  record.config = configSnapshot(config_);
  saveState();
}

void Workspace::markComplete(const std::string& stage) {
  for (const auto& step : stepsOf(stageKind(stage))) {
    if (!hasStep(stage, step)) markStep(stage, step);
  }
}

void Workspace::resetFrom(const std::string& stage) {
  checkStage(stage);
  for (auto it = std::find(stages_.begin(), stages_.end(), stage); it != stages_.end(); ++it) {
    records_.erase(*it);
    // A stage's training checkpoints would make its rerun resume the old training; its results stay
    // until the rerun replaces them.
    std::error_code ec;
    fs::remove_all(StageFiles{dir_ / *it}.checkpoints(), ec);
  }
  saveState();
}

void Workspace::resetFromStep(const std::string& stage, const std::string& step) {
  checkStage(stage);
  const auto& steps = stepsOf(stageKind(stage));
  const auto position = std::find(steps.begin(), steps.end(), step);
  if (position == steps.end()) throw Error("stage '" + stage + "' has no step '" + step + "'");
  const auto record = records_.find(stage);
  if (record != records_.end()) {
    for (auto later = position; later != steps.end(); ++later) record->second.steps.erase(*later);
    if (record->second.steps.empty()) records_.erase(record);
  }
  if (std::find(position, steps.end(), "trained") != steps.end()) {
    std::error_code ec;
    fs::remove_all(StageFiles{dir_ / stage}.checkpoints(), ec);
  }
  const auto next = std::find(stages_.begin(), stages_.end(), stage) + 1;
  if (next != stages_.end()) {
    resetFrom(*next);  // saves the state
  } else {
    saveState();
  }
}

std::vector<ConfigChange> Workspace::configChanges(const Config& candidate) const {
  const nlohmann::json current = configSnapshot(candidate);
  std::vector<ConfigChange> changes;
  for (const auto& stage : stages_) {
    auto record = records_.find(stage);
    if (record == records_.end()) continue;
    const StageKind kind = stageKind(stage);
    for (const auto& [key, recorded] : record->second.config.items()) {
      const std::optional<StageKind> affected = firstKindAffected(key);
      if (!affected || kind < *affected) continue;
      const std::string now = current.contains(key) ? current[key].get<std::string>() : std::string("(absent)");
      const std::string was = recorded.is_string() ? recorded.get<std::string>() : recorded.dump();
      const bool reported = std::any_of(changes.begin(), changes.end(), [&](const ConfigChange& c) { return c.key == key; });
      if (now != was && !reported) changes.push_back({stage, key, was, now});
    }
  }
  return changes;
}

void Workspace::replaceConfig(const Config& config) {
  checkConfig(config, projectFile().string());
  saveConfig(config, projectFile());
  config_ = config;
  stages_ = stageNames(config_);
  for (auto it = records_.begin(); it != records_.end();) {
    it = std::find(stages_.begin(), stages_.end(), it->first) == stages_.end() ? records_.erase(it) : std::next(it);
  }
  saveState();
}

void Workspace::saveState() const {
  nlohmann::json stages = nlohmann::json::object();
  for (const auto& stage : stages_) {
    nlohmann::json entry = {{"complete", isComplete(stage)}, {"steps", nlohmann::json::object()}};
    if (auto record = records_.find(stage); record != records_.end()) {
      for (const auto& [step, details] : record->second.steps) entry["steps"][step] = details;
      entry["config"] = record->second.config;
    }
    stages[stage] = entry;
  }
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
    throw Error("expected {\"version\": 2, \"stages\": {...}}", inFile(source));
  }
  const int version = state.value("version", 0);
  if (version != 1 && version != kStateVersion) throw Error("unsupported state version", atKey(source, "version"));
  records_.clear();
  for (const auto& stage : stages_) {
    auto entry = state["stages"].find(stage);
    if (entry == state["stages"].end()) continue;  // e.g. rounds added to the config later
    const std::string key = "stages." + stage;
    if (!entry->is_object() || !entry->contains("complete") || !(*entry)["complete"].is_boolean()) {
      throw Error("expected {\"complete\": true|false, ...}", atKey(source, key));
    }
    StageRecord record;
    if (auto steps = entry->find("steps"); steps != entry->end()) {
      if (!steps->is_object()) throw Error("expected an object of finished steps", atKey(source, key + ".steps"));
      for (const auto& [step, details] : steps->items()) record.steps[step] = details;
    } else if ((*entry)["complete"].get<bool>()) {
      for (const auto& step : stepsOf(stageKind(stage))) record.steps[step] = nlohmann::json::object();
    }
    if (auto config = entry->find("config"); config != entry->end() && config->is_object()) record.config = *config;
    if (!record.steps.empty()) records_[stage] = std::move(record);
  }
}

}  // namespace autoqvis
