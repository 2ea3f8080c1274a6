#include "core/util/metrics_file.h"

#include <nlohmann/json.hpp>

#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace autoqvis {

std::vector<IterationMetrics> parseMetricsLines(const std::string& text, const std::string& source) {
  std::vector<IterationMetrics> lines;
  size_t begin = 0;
  int number = 0;
  while (begin < text.size()) {
    const size_t end = text.find('\n', begin);
    if (end == std::string::npos) break;  // the trainer is still writing this line
    ++number;
    const std::string line = text.substr(begin, end - begin);
    begin = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = source + ":" + std::to_string(number);
    IterationMetrics metrics;
    try {
      metrics = iterationMetricsFromJson(nlohmann::json::parse(line));
    } catch (const nlohmann::json::exception& e) {
      throw Error(std::string("malformed metrics line: ") + e.what(), inFile(where));
    } catch (const Error& e) {
      throw e.withContext(inFile(where));
    }
    // A stage resumed from an earlier checkpoint logs those iterations again: the later run counts.
    while (!lines.empty() && lines.back().iteration >= metrics.iteration) lines.pop_back();
    lines.push_back(std::move(metrics));
  }
  return lines;
}

std::vector<IterationMetrics> loadMetricsFile(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return {};
  return parseMetricsLines(readFile(path), path.string());
}

}  // namespace autoqvis
