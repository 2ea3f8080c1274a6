// SelectionIndex::evaluate: the tau-dependent half of the selection (marking, object filter, running
// merge, frame filter, counts) over the thresholds and overlap rows that build() prepared.
#include "core/selftrain/selection_index.h"

#include <algorithm>

namespace autoqvis {

SelectionResult SelectionIndex::evaluate(double tau) const {
  SelectionResult out;
  evaluate(tau, out);
  return out;
}

void SelectionIndex::evaluate(double tau, SelectionResult& out) const {
  checkTau(tau, ErrorContext{});
  out.tau = tau;
  out.counts = {};
  out.videos.clear();
  out.objects.clear();
  out.sources.clear();
  out.frame_kept.clear();
  out.slot_object.assign(slots_.size(), -1);
  for (uint32_t v = 0; v < videos_.size(); ++v) evaluateVideo(v, tau, out);
}

void SelectionIndex::evaluateVideo(uint32_t v, double tau, SelectionResult& out) const {
  using Object = SelectionResult::Object;
  using How = SelectionResult::How;
  const Video& video = videos_[v];
  SelectionResult::Video rv;
  rv.index_video = v;
  rv.first_object = static_cast<uint32_t>(out.objects.size());
  const uint32_t position = static_cast<uint32_t>(out.videos.size());
  // A video already in the state is merged into; one that is not is copied (merge_object_based_results).
  bool merging = false;
  int64_t max_id = 0;
  auto push = [&](int64_t id, uint32_t slot, How how) {
    out.slot_object[slot] = static_cast<int32_t>(out.objects.size());
    out.objects.push_back(Object{id, position, slot, 0, how});
  };
  for (uint32_t s = video.first_slot; s < video.first_slot + video.num_previous; ++s) {
    if (slots_[s].removed) continue;
    if (!merging || slots_[s].id > max_id) max_id = slots_[s].id;
    merging = true;
    push(slots_[s].id, s, How::Kept);
  }
  const uint32_t first_prediction = video.first_slot + video.num_previous;
  for (uint32_t j = first_prediction; j < first_prediction + video.num_predictions; ++j) {
    const Slot& target = slots_[j];
    if (target.removed || !(tau <= target.survive)) continue;
    if (!merging) {
      push(target.id, j, How::Copied);
      continue;
    }
    // The running merge: the first object of the state as merged so far that has a frame with
    // IoU >= merge_iou takes the new object's frames (README rules 9-11).
    uint32_t matched = UINT32_MAX;
    if (target.num_rows > 0) {
      for (uint32_t k = rv.first_object; k < out.objects.size(); ++k) {
        if (sameObject(out, out.objects[k], target)) {
          matched = k;
          break;
        }
      }
    }
    if (matched != UINT32_MAX) {
      replace(out, matched, j, tau);
      out.slot_object[j] = static_cast<int32_t>(matched);
    } else {
      push(++max_id, j, How::Appended);  // max existing id + 1, recomputed per object (rule 12)
    }
  }
  rv.num_objects = static_cast<uint32_t>(out.objects.size()) - rv.first_object;
  if (rv.num_objects == 0) return;
  frameFilter(v, tau, out, rv);
  out.videos.push_back(rv);
}

bool SelectionIndex::sameObject(const SelectionResult& out, const SelectionResult::Object& object, const Slot& target) const {
  const int frames = videos_[target.video].frames;
  for (uint32_t r = target.first_row; r < target.first_row + target.num_rows; ++r) {
    const OverlapRow& row = rows_[r];
    if (object.slot != SelectionResult::kMixed) {
      if (object.slot == row.source) return true;
      continue;
    }
    const uint64_t* bits = &words_[row.first_word];
    for (int f = 0; f < frames; ++f) {
      if ((bits[f / 64] >> (f % 64) & 1) && out.sources[object.first_source + f] == row.source) return true;
    }
  }
  return false;
}

void SelectionIndex::replace(SelectionResult& out, uint32_t k, uint32_t j, double tau) const {
  SelectionResult::Object& object = out.objects[k];
  const Slot& target = slots_[j];
  const int frames = videos_[target.video].frames;
  const uint32_t first = static_cast<uint32_t>(out.sources.size());
  out.sources.resize(first + frames);
  int taken = 0;
  for (int f = 0; f < frames; ++f) {
    const uint32_t old_slot = out.sourceSlot(object, f);
    const uint32_t old_entry = slots_[old_slot].first_entry + f;
    const uint32_t new_entry = target.first_entry + f;
    const bool new_marked = tau <= threshold_[new_entry];
    const bool old_marked = tau <= threshold_[old_entry];
    bool take = new_marked || !old_marked;
    if (take && options_.keep_marked_over_empty && area_[new_entry] == 0 && old_marked && area_[old_entry] != 0) {
      take = false;
    }
    out.sources[first + f] = take ? j : old_slot;
    taken += take;
  }
  object.how = SelectionResult::How::Replaced;
  if (taken == frames) {
    object.slot = j;
  } else if (taken > 0) {
    object.slot = SelectionResult::kMixed;
    object.first_source = first;
    return;
  }
  out.sources.resize(first);
}

void SelectionIndex::frameFilter(uint32_t v, double tau, SelectionResult& out, SelectionResult::Video& rv) const {
  const int frames = videos_[v].frames;
  rv.first_frame = static_cast<uint32_t>(out.frame_kept.size());
  out.frame_kept.resize(rv.first_frame + frames, 1);
  uint8_t* kept = &out.frame_kept[rv.first_frame];
  // filter_marked_results: a frame stays when every object is marked there.
  for (uint32_t k = rv.first_object; k < rv.first_object + rv.num_objects; ++k) {
    const SelectionResult::Object& object = out.objects[k];
    if (object.slot != SelectionResult::kMixed) {
      const double* thresholds = &threshold_[slots_[object.slot].first_entry];
      for (int f = 0; f < frames; ++f) kept[f] &= static_cast<uint8_t>(tau <= thresholds[f]);
    } else {
      for (int f = 0; f < frames; ++f) {
        kept[f] &= static_cast<uint8_t>(tau <= threshold_[slots_[out.sources[object.first_source + f]].first_entry + f]);
      }
    }
  }
  for (int f = 0; f < frames; ++f) rv.kept_frames += kept[f];
  rv.accepted = static_cast<int>(rv.kept_frames) >= options_.min_frames;
  out.counts.state_videos += 1;
  out.counts.state_objects += rv.num_objects;
  if (!rv.accepted) return;
  out.counts.videos += 1;
  out.counts.frames += rv.kept_frames;
  out.counts.objects += rv.num_objects;
  for (uint32_t k = rv.first_object; k < rv.first_object + rv.num_objects; ++k) {
    const SelectionResult::Object& object = out.objects[k];
    for (int f = 0; f < frames; ++f) {
      if (kept[f]) out.counts.labels += area_[slots_[out.sourceSlot(object, f)].first_entry + f] != 0;
    }
  }
}

}  // namespace autoqvis
