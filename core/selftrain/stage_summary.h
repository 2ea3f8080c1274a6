// What each stage of a workspace achieved, from its recorded steps: the pseudo-labels it accepted
// (objects / frames / videos), its validation AP / AP50 / AP75 / AR10 and the time its steps took. The
// `status` command, the demo's closing table and the GUI read it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/selftrain/workspace.h"

namespace autoqvis {

struct StageSummary {
  std::string stage;
  bool complete = false;
  std::vector<std::string> steps_done;
  std::optional<double> tau;  ///< stages that select pseudo-labels
  std::optional<size_t> objects, frames, videos;
  std::optional<double> AP, AP50, AP75, AR10;  ///< fractions in [0, 1]; -1 when undefined
  double seconds = 0;         ///< the finished steps, summed
};

std::vector<StageSummary> summarizeStages(const Workspace& workspace);
/// The weights stage 1 started from (data.initial_weights, e.g. the toy VideoCutLER) as a row named
/// "base": its validation numbers, evaluated with stage 1; nullopt before that or without such weights.
std::optional<StageSummary> baseSummary(const Workspace& workspace);
/// The base row (when there is one) followed by every stage's.
std::vector<StageSummary> summarizeWithBase(const Workspace& workspace);

/// One line per stage, values x100 as the papers print them; "-" where a stage has no such number.
std::string formatStageTable(const std::vector<StageSummary>& stages);

}  // namespace autoqvis
