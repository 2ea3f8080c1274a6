#include "core/selftrain/stage_summary.h"

#include <cstdio>
#include <sstream>

namespace autoqvis {
namespace {

template <class T>
std::optional<T> field(const nlohmann::json* details, const char* key) {
  if (!details || !details->contains(key) || !(*details)[key].is_number()) return std::nullopt;
  return (*details)[key].get<T>();
}

std::string cell(const std::optional<size_t>& value) { return value ? std::to_string(*value) : "-"; }

std::string percent(const std::optional<double>& value) {
  if (!value) return "-";
  if (*value < 0) return "n/a";
  char text[16];
  std::snprintf(text, sizeof(text), "%.2f", *value * 100.0);
  return text;
}

std::string padded(const std::string& text, size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

}  // namespace

std::vector<StageSummary> summarizeStages(const Workspace& workspace) {
  std::vector<StageSummary> out;
  for (const std::string& stage : workspace.stages()) {
    StageSummary s;
    s.stage = stage;
    s.complete = workspace.isComplete(stage);
    for (const std::string& step : Workspace::stepsOf(Workspace::stageKind(stage))) {
      const nlohmann::json* details = workspace.stepDetails(stage, step);
      if (!details) continue;
      s.steps_done.push_back(step);
      s.seconds += field<double>(details, "seconds").value_or(0.0);
    }
    const nlohmann::json* selected = workspace.stepDetails(stage, "selected");
    s.tau = field<double>(selected, "tau");
    s.objects = field<size_t>(selected, "objects");
    s.frames = field<size_t>(selected, "frames");
    s.videos = field<size_t>(selected, "videos");
    const nlohmann::json* evaluated = workspace.stepDetails(stage, "evaluated");
    s.AP = field<double>(evaluated, "AP");
    s.AP50 = field<double>(evaluated, "AP50");
    s.AP75 = field<double>(evaluated, "AP75");
    s.AR10 = field<double>(evaluated, "AR10");
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<StageSummary> baseSummary(const Workspace& workspace) {
  const nlohmann::json* evaluated = workspace.stepDetails("initial", "evaluated");
  if (!evaluated || !evaluated->contains("base")) return std::nullopt;
  const nlohmann::json& base = (*evaluated)["base"];
  StageSummary s;
  s.stage = "base";
  s.complete = true;
  s.AP = field<double>(&base, "AP");
  s.AP50 = field<double>(&base, "AP50");
  s.AP75 = field<double>(&base, "AP75");
  s.AR10 = field<double>(&base, "AR10");
  return s;
}

std::vector<StageSummary> summarizeWithBase(const Workspace& workspace) {
  std::vector<StageSummary> rows;
  if (auto base = baseSummary(workspace)) rows.push_back(std::move(*base));
  for (StageSummary& s : summarizeStages(workspace)) rows.push_back(std::move(s));
  return rows;
}

std::string formatStageTable(const std::vector<StageSummary>& stages) {
  std::ostringstream out;
  out << "stage       status    tau  objects  frames  videos      AP    AP50    AP75    AR10    time\n";
  for (const StageSummary& s : stages) {
    std::string status = s.complete ? "done" : (s.steps_done.empty() ? "-" : s.steps_done.back());
    char tau[16] = "-";
    if (s.tau) std::snprintf(tau, sizeof(tau), "%.2f", *s.tau);
    char time[16] = "-";
    if (!s.steps_done.empty()) std::snprintf(time, sizeof(time), "%.0f s", s.seconds);
    out << s.stage << std::string(s.stage.size() < 10 ? 10 - s.stage.size() : 0, ' ') << padded(status, 8)
        << padded(tau, 7) << padded(cell(s.objects), 9) << padded(cell(s.frames), 8) << padded(cell(s.videos), 8)
        << padded(percent(s.AP), 8) << padded(percent(s.AP50), 8) << padded(percent(s.AP75), 8)
        << padded(percent(s.AR10), 8) << padded(time, 8) << "\n";
  }
  return out.str();
}

}  // namespace autoqvis
