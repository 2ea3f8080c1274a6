// Why each per-frame label of a round is, or is not, in the pseudo-label set at one tau: the review
// page paints accepted labels solid and the others hatched, and says which rule left them out. One
// status per SelectionIndex entry (slot.first_entry + frame), from an evaluate() result; a pass over
// the entries without touching a mask.
#pragma once

#include <cstdint>
#include <vector>

#include "core/selftrain/selection_index.h"

namespace autoqvis {

enum class LabelStatus : uint8_t {
  Empty = 0,        ///< no mask in this frame
  Accepted,         ///< in the pseudo-label set
  BelowTau,         ///< Q < tau, and its object is not in the state anyway
  DropsFrame,       ///< Q < tau on an object the state keeps: the frame filter drops this frame
  ObjectFiltered,   ///< Q >= tau, but the object has fewer than min_frames frames at Q >= tau
  FrameDropped,     ///< Q >= tau, but another object's label below tau drops the frame
  VideoDropped,     ///< Q >= tau, but the video keeps fewer than min_frames frames
  Superseded,       ///< the merge took another object's label for this object and frame
  RejectedByPerson, ///< a person rejected the object or this frame
};

/// A short English phrase for the status ("accepted", "Q below tau", ...).
const char* labelStatusText(LabelStatus status);
inline bool isAccepted(LabelStatus status) { return status == LabelStatus::Accepted; }

/// The bin of Q among `bins` equal bins over [0, 1] (Q = 1 in the last).
inline int qualityBin(double quality, int bins) {
  const int bin = static_cast<int>(quality * bins);
  return bin < 0 ? 0 : (bin >= bins ? bins - 1 : bin);
}

/// One status per entry of `index` for the selection `result` (evaluated on this index). With
/// `accepted_bins` (sized to the number of bins), also counts the accepted labels of this round's
/// predictions per equal bin of Q over [0, 1]. Runs over the slots on `threads` threads (0: all cores).
void computeLabelStatuses(const SelectionIndex& index, const SelectionResult& result, std::vector<LabelStatus>& out,
                          std::vector<uint32_t>* accepted_bins = nullptr, int threads = 0);

}  // namespace autoqvis
