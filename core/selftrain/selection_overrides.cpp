// SelectionIndex::applyOverrides: a person's decisions become thresholds, like every other decision.
#include <limits>
#include <unordered_map>

#include "core/selftrain/selection_index.h"

namespace autoqvis {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

ErrorContext overrideContext(const std::string& source, size_t i, const Override& o) {
  ErrorContext context = atKey(source, "overrides[" + std::to_string(i) + "]");
  context.video_id = o.video_id;
  if (o.frame) context.frame = *o.frame;
  return context;
}

}  // namespace

void SelectionIndex::applyOverrides(const std::vector<Override>& overrides, const std::string& source) {
  std::unordered_map<int64_t, uint32_t> video_by_id;
  for (uint32_t v = 0; v < videos_.size(); ++v) video_by_id.emplace(videos_[v].id, v);
  // Resolve every override to its slot first, so that a bad one changes nothing.
  std::vector<uint32_t> targets(overrides.size());
  for (size_t i = 0; i < overrides.size(); ++i) {
    const Override& o = overrides[i];
    const ErrorContext context = overrideContext(source, i, o);
    auto it = video_by_id.find(o.video_id);
    if (it == video_by_id.end()) {
      throw Error("the video has no prediction kept by NMS and the score filter and no previous state object", context);
    }
    const Video& video = videos_[it->second];
    const bool previous = o.target == OverrideTarget::PreviousState;
    const uint32_t first = video.first_slot + (previous ? 0 : video.num_previous);
    const uint32_t count = previous ? video.num_previous : video.num_predictions;
    uint32_t found = UINT32_MAX;
    for (uint32_t s = first; s < first + count; ++s) {
      if (slots_[s].id == o.object_id) found = s;
    }
    if (found == UINT32_MAX) {
      throw Error(std::string("no ") + (previous ? "previous state object" : "kept prediction") + " with object_id " +
                      std::to_string(o.object_id),
                  context);
    }
    if (o.frame && *o.frame >= video.frames) {
      throw Error("frame out of range: the video has " + std::to_string(video.frames) + " frames", context);
    }
    targets[i] = found;
  }
  overrides_ = overrides;
  threshold_ = base_threshold_;
  entry_decision_.assign(threshold_.size(), -1);
  slot_decision_.assign(slots_.size(), -1);
  for (auto& slot : slots_) slot.removed = false;
  for (size_t i = 0; i < overrides_.size(); ++i) {
    const Override& o = overrides_[i];
    if (!o.frame) {
      slot_decision_[targets[i]] = static_cast<int32_t>(i);
      continue;
    }
    const uint32_t e = slots_[targets[i]].first_entry + *o.frame;
    threshold_[e] = o.decision.decision == Decision::Accept ? kInf : -kInf;
    entry_decision_[e] = static_cast<int32_t>(i);
  }
  for (uint32_t s = 0; s < slots_.size(); ++s) {
    Slot& slot = slots_[s];
    if (slot.kind == SlotKind::Prediction) computeSurvival(slot);
    const int32_t d = slot_decision_[s];
    if (d < 0) continue;
    const bool accept = overrides_[d].decision.decision == Decision::Accept;
    if (slot.kind == SlotKind::Prediction) slot.survive = accept ? kInf : -kInf;
    slot.removed = !accept;
    // The object's decision is the provenance of frames that have none of their own.
    for (int f = 0; f < videos_[slot.video].frames; ++f) {
      if (entry_decision_[slot.first_entry + f] < 0) entry_decision_[slot.first_entry + f] = d;
    }
  }
}

}  // namespace autoqvis
