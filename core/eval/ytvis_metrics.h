// The 12 summary numbers of YouTube-VIS evaluation and their two printed forms: a JSON object of
// fractions at full precision (for scripts and eval.json) and the x100 table the papers print.
#pragma once

#include <array>
#include <string>

namespace autoqvis {

/// The official stats, as fractions; -1 where the official code gives -1 (no ground truth counted).
struct YtvisMetrics {
  double AP = -1, AP50 = -1, AP75 = -1, APs = -1, APm = -1, APl = -1;
  double AR1 = -1, AR10 = -1, AR100 = -1, ARs = -1, ARm = -1, ARl = -1;
  std::array<double, 12> stats{-1, -1, -1, -1, -1, -1,
                               -1, -1, -1, -1, -1, -1};  ///< the same, in official order
};

/// The keys, in stats order: AP AP50 AP75 APs APm APl AR1 AR10 AR100 ARs ARm ARl.
const std::array<const char*, 12>& ytvisMetricNames();

/// Fills the named fields and `stats` from the official stats vector.
YtvisMetrics metricsFromStats(const std::array<double, 12>& stats);

/// One JSON object {"AP": ..., ...} with every value at full (round-trip) precision.
std::string metricsToJson(const YtvisMetrics& metrics);
/// Reads such an object (e.g. an expected.*.json fixture); throws Error naming a missing key.
YtvisMetrics metricsFromJson(const std::string& text, const std::string& source);

/// A readable table, values x100 with two decimals as the papers print them; -1 shows as "n/a".
std::string formatMetricsTable(const YtvisMetrics& metrics, const std::string& title);

}  // namespace autoqvis
