// The review pause (selftrain.review_before_training): a round waits for a person after its pseudo-labels
// while its selection.json is still the one the run wrote from the config ("tau_source": "config").
// The round controller stops there; the GUI asks for the review when it opens such a workspace.
#pragma once

#include <optional>
#include <string>

#include "core/selftrain/workspace.h"

namespace autoqvis {

/// True when `stage` is a round that must not train before a person commits its selection.
bool roundAwaitsReview(const Workspace& workspace, const std::string& stage);
/// The round whose pseudo-labels are made and wait for review (selected, not trained), if any.
std::optional<std::string> stageAwaitingReview(const Workspace& workspace);

}  // namespace autoqvis
