#include "core/util/iteration_metrics.h"

#include <nlohmann/json.hpp>

#include "core/util/error.h"

namespace autoqvis {
namespace {

// Fields of the record itself; every other number is a loss term.
const char* const kRecordFields[] = {"iteration", "max_iter", "total_loss", "lr", "time", "data_time",
                                     "skipped_steps", "stage", "event", "job"};

bool isRecordField(const std::string& key) {
  for (const char* field : kRecordFields) {
    if (key == field) return true;
  }
  return false;
}

}  // namespace

nlohmann::json iterationMetricsToJson(const IterationMetrics& m) {
  nlohmann::json line = {{"iteration", m.iteration}, {"max_iter", m.max_iter},  {"total_loss", m.total_loss},
                         {"lr", m.lr},               {"time", m.iteration_time}, {"data_time", m.data_time},
                         {"skipped_steps", m.skipped_steps}};
  if (!m.stage.empty()) line["stage"] = m.stage;
  for (const auto& [name, value] : m.losses) line[name] = value;
  return line;
}

IterationMetrics iterationMetricsFromJson(const nlohmann::json& object) {
  if (!object.is_object()) throw Error("a metrics line must be a JSON object");
  auto number = [&](const char* key) {
    auto it = object.find(key);
    if (it == object.end() || !it->is_number()) throw Error("missing or non-numeric field", atKey("", key));
    return it->get<double>();
  };
  IterationMetrics m;
  m.iteration = static_cast<int64_t>(number("iteration"));
  m.total_loss = number("total_loss");
  m.lr = number("lr");
  m.iteration_time = object.value("time", 0.0);
  m.data_time = object.value("data_time", 0.0);
  m.max_iter = object.value("max_iter", int64_t{0});
  m.skipped_steps = object.value("skipped_steps", int64_t{0});
  m.stage = object.value("stage", std::string());
  for (const auto& [key, value] : object.items()) {
    if (!isRecordField(key) && value.is_number()) m.losses[key] = value.get<double>();
  }
  return m;
}

}  // namespace autoqvis
