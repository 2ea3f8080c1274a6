#include "core/eval/ytvis_metrics.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/util/error.h"

namespace autoqvis {

const std::array<const char*, 12>& ytvisMetricNames() {
  static const std::array<const char*, 12> names = {"AP",  "AP50", "AP75",  "APs", "APm", "APl",
                                                    "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"};
  return names;
}

YtvisMetrics metricsFromStats(const std::array<double, 12>& s) {
  YtvisMetrics m;
  m.stats = s;
  m.AP = s[0], m.AP50 = s[1], m.AP75 = s[2], m.APs = s[3], m.APm = s[4], m.APl = s[5];
  m.AR1 = s[6], m.AR10 = s[7], m.AR100 = s[8], m.ARs = s[9], m.ARm = s[10], m.ARl = s[11];
  return m;
}

std::string metricsToJson(const YtvisMetrics& metrics) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (size_t i = 0; i < metrics.stats.size(); ++i) out[ytvisMetricNames()[i]] = metrics.stats[i];
  return out.dump();  // nlohmann writes doubles with 17 significant digits: they read back bit-exact
}

YtvisMetrics metricsFromJson(const std::string& text, const std::string& source) {
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("not valid JSON: ") + e.what(), inFile(source));
  }
  std::array<double, 12> stats{};
  for (size_t i = 0; i < stats.size(); ++i) {
    const char* name = ytvisMetricNames()[i];
    auto it = value.find(name);
    if (it == value.end() || !it->is_number())
      throw Error("missing or non-numeric metric", atKey(source, name));
    stats[i] = it->get<double>();
  }
  return metricsFromStats(stats);
}

std::string formatMetricsTable(const YtvisMetrics& metrics, const std::string& title) {
  std::string out = title.empty() ? "" : title + "\n";
  char line[64];
  for (size_t i = 0; i < metrics.stats.size(); ++i) {
    const double v = metrics.stats[i];
    if (v == -1.0) {
      std::snprintf(line, sizeof(line), "  %-6s %7s\n", ytvisMetricNames()[i], "n/a");
    } else {
      std::snprintf(line, sizeof(line), "  %-6s %7.2f\n", ytvisMetricNames()[i], 100.0 * v);
    }
    out += line;
  }
  return out;
}

}  // namespace autoqvis
