// One logged training iteration as a plain value, and its JSON form: the lines of a stage's
// metrics.jsonl and the "metrics" events of --progress=jsonl are the same object, so a script or the
// GUI plots a run from either.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace autoqvis {

/// One logged training iteration: every loss term, the LR and the timings (a plain value, queued as is).
struct IterationMetrics {
  std::string stage;                 ///< workspace stage or workdir name, e.g. "initial", "round-1"
  int64_t iteration = 0;             ///< iterations completed
  int64_t max_iter = 0;
  double total_loss = 0;             ///< weighted sum, mean over the iterations since the last report
  std::map<std::string, double> losses;  ///< each weighted term, mean over the same iterations
  double lr = 0;                     ///< base LR times the schedule factor
  double iteration_time = 0;         ///< seconds per iteration (mean), data loading included
  double data_time = 0;              ///< seconds per iteration waiting for data (mean)
  int64_t skipped_steps = 0;         ///< steps skipped for non-finite loss or gradients, in all
};

/// {"iteration", "max_iter", "total_loss", "lr", "time", "data_time", "skipped_steps", "stage"?, and one
/// number per loss term under its own name ("loss_ce", "loss_mask", ...)}.
nlohmann::json iterationMetricsToJson(const IterationMetrics& metrics);
/// The inverse; unknown numeric fields are taken as loss terms. Throws Error naming the missing field.
IterationMetrics iterationMetricsFromJson(const nlohmann::json& object);

}  // namespace autoqvis
