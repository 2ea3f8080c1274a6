#include "widgets/review/round_comparison.h"

#include <algorithm>

#include "core/selftrain/label_status.h"
#include "core/selftrain/round_selection.h"

namespace autoqvis::widgets {

std::vector<RoundQuality> compareRounds(const std::filesystem::path& workspace_dir, int bins) {
  const Workspace workspace = Workspace::open(workspace_dir);
  std::vector<RoundQuality> rounds;
  for (const std::string& stage : reviewableStages(workspace)) {
    const RoundInputs inputs = loadRoundInputs(workspace, stage);
    const SelectionOptions options = roundSelectionOptions(workspace, stage, workspace.config().selftrain.quality_threshold);
    const SelectionIndex index = SelectionIndex::build(inputs.view(), options);
    RoundQuality round;
    round.stage = stage;
    round.fraction.assign(static_cast<size_t>(bins), 0.0);
    for (const SelectionIndex::Slot& slot : index.objectSlots()) {
      if (slot.kind != SelectionIndex::SlotKind::Prediction) continue;
      for (int f = 0; f < index.videos()[slot.video].frames; ++f) {
        const uint32_t e = slot.first_entry + static_cast<uint32_t>(f);
        if (index.empty(e)) continue;
        const int bin = qualityBin(index.metric(e), bins);
        round.fraction[static_cast<size_t>(bin)] += 1;
        ++round.labels;
      }
    }
    if (round.labels > 0) {
      for (double& f : round.fraction) f /= static_cast<double>(round.labels);
    }
    if (const nlohmann::json* selected = workspace.stepDetails(stage, "selected")) {
      round.tau = selected->value("tau", 0.0);
      round.objects = selected->value("objects", size_t{0});
      round.frames = selected->value("frames", size_t{0});
      round.videos = selected->value("videos", size_t{0});
    }
    rounds.push_back(std::move(round));
  }
  return rounds;
}

}  // namespace autoqvis::widgets
