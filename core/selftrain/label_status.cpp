#include "core/selftrain/label_status.h"

#include <algorithm>
#include <limits>

#include "core/util/parallel_for.h"

namespace autoqvis {
namespace {

constexpr double kMinusInf = -std::numeric_limits<double>::infinity();

// A person's frame-level reject is a threshold of -inf (so is a previous round's unmarked label, which
// is why the decision itself is looked up, but only then).
bool rejectedFrame(const SelectionIndex& index, uint32_t entry) {
  if (index.threshold(entry) != kMinusInf) return false;
  const Override* decision = index.decision(entry);
  return decision && decision->frame && decision->decision.decision == Decision::Reject;
}

// The statuses of one slot's frames: what is the same for all its frames is looked up once.
void slotStatuses(const SelectionIndex& index, const SelectionResult& result, uint32_t slot_index, int frames,
                  LabelStatus* out) {
  const SelectionIndex::Slot& slot = index.objectSlots()[slot_index];
  const int32_t object_index = result.slot_object[slot_index];
  const SelectionResult::Object* object = object_index >= 0 ? &result.objects[static_cast<size_t>(object_index)] : nullptr;
  const SelectionResult::Video* video = object ? &result.videos[object->video] : nullptr;
  for (int f = 0; f < frames; ++f) {
    const uint32_t entry = slot.first_entry + static_cast<uint32_t>(f);
    LabelStatus& status = out[f];
    if (index.empty(entry)) {
      status = LabelStatus::Empty;
    } else if (slot.removed || rejectedFrame(index, entry)) {
      status = LabelStatus::RejectedByPerson;
    } else if (!object) {
      status = result.tau <= index.threshold(entry) ? LabelStatus::ObjectFiltered : LabelStatus::BelowTau;
    } else if (result.sourceSlot(*object, f) != slot_index) {
      status = LabelStatus::Superseded;
    } else if (!(result.tau <= index.threshold(entry))) {
      status = LabelStatus::DropsFrame;
    } else if (!result.frameKept(*video, f)) {
      status = LabelStatus::FrameDropped;
    } else {
      status = video->accepted ? LabelStatus::Accepted : LabelStatus::VideoDropped;
    }
  }
}

}  // namespace

const char* labelStatusText(LabelStatus status) {
  switch (status) {
    case LabelStatus::Empty: return "no mask";
    case LabelStatus::Accepted: return "accepted";
    case LabelStatus::BelowTau: return "Q below tau";
    case LabelStatus::DropsFrame: return "Q below tau, drops its frame";
    case LabelStatus::ObjectFiltered: return "object has too few frames at Q >= tau";
    case LabelStatus::FrameDropped: return "frame dropped by another label";
    case LabelStatus::VideoDropped: return "video keeps too few frames";
    case LabelStatus::Superseded: return "merged: another label of the object here";
    case LabelStatus::RejectedByPerson: return "rejected by a person";
  }
  return "";
}

void computeLabelStatuses(const SelectionIndex& index, const SelectionResult& result, std::vector<LabelStatus>& out,
                          std::vector<uint32_t>* accepted_bins, int threads) {
  out.resize(index.numEntries());
  const auto& index_slots = index.objectSlots();
  const size_t bins = accepted_bins ? accepted_bins->size() : 0;
  // A few contiguous runs of slots per thread; each counts into its own bins, summed at the end.
  const size_t chunks = std::min<size_t>(index_slots.size(), 4 * static_cast<size_t>(resolveThreadCount(threads)));
  std::vector<std::vector<uint32_t>> chunk_bins(chunks, std::vector<uint32_t>(bins, 0));
  parallelFor(chunks, threads, [&](size_t c) {
    const size_t first = index_slots.size() * c / chunks, last = index_slots.size() * (c + 1) / chunks;
    for (size_t s = first; s < last; ++s) {
      const SelectionIndex::Slot& slot = index_slots[s];
      const int frames = index.videos()[slot.video].frames;
      LabelStatus* statuses = &out[slot.first_entry];
      slotStatuses(index, result, static_cast<uint32_t>(s), frames, statuses);
      if (bins == 0 || slot.kind != SelectionIndex::SlotKind::Prediction) continue;
      for (int f = 0; f < frames; ++f) {
        if (statuses[f] != LabelStatus::Accepted) continue;
        ++chunk_bins[c][qualityBin(index.metric(slot.first_entry + static_cast<uint32_t>(f)), static_cast<int>(bins))];
      }
    }
  });
  if (!accepted_bins) return;
  std::fill(accepted_bins->begin(), accepted_bins->end(), 0);
  for (const auto& counts : chunk_bins) {
    for (size_t b = 0; b < bins; ++b) (*accepted_bins)[b] += counts[b];
  }
}

}  // namespace autoqvis
