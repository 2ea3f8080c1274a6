// Reads a training stage's metrics.jsonl (one IterationMetrics object per line), for the GUI's curves
// and history and for tests comparing two runs. The trainer appends to the file, so it may be read
// while being written, and a stage resumed from a checkpoint may log an iteration again.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/util/iteration_metrics.h"

namespace autoqvis {

/// The lines of `text` in iteration order. A last line without its newline is being written and is
/// skipped; a resumed stage's line for an iteration replaces the earlier lines from that iteration on.
/// Throws Error naming `source`, the line and the field for a malformed line.
std::vector<IterationMetrics> parseMetricsLines(const std::string& text, const std::string& source);
/// The same from a file; an absent file has no lines.
std::vector<IterationMetrics> loadMetricsFile(const std::filesystem::path& path);

}  // namespace autoqvis
