// SelectionIndex::build and applyOverrides: everything that does not depend on tau.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "core/dataset/frame_fields.h"
#include "core/selftrain/selection_index.h"

namespace autoqvis {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// One frame's mask, decoded once per video for NMS and the merge pairing (area 0 = empty).
struct FrameMask {
  Rle rle;
  uint64_t area = 0;
};

ErrorContext resultContext(const SelectionInputs& in, size_t index, int64_t video_id, const std::string& field = "") {
  ErrorContext context = atKey(in.results_source, "results[" + std::to_string(index) + "]" + (field.empty() ? "" : "." + field));
  context.video_id = video_id;
  return context;
}

std::vector<FrameMask> decodeTrack(const std::vector<std::optional<CompressedRle>>& masks, const YtvisVideo& video,
                                   const ErrorContext& context) {
  std::vector<FrameMask> out(masks.size());
  for (size_t f = 0; f < masks.size(); ++f) {
    if (!masks[f]) continue;
    if (masks[f]->h != video.height || masks[f]->w != video.width) {
      ErrorContext frame_context = context;
      frame_context.frame = static_cast<int64_t>(f);
      throw Error("mask size disagrees with the video size", frame_context);
    }
    out[f].rle = decompress(*masks[f]);
    out[f].area = rleArea(out[f].rle);
  }
  return out;
}

// apply_nmsV2's IoU: torch int64 / int64 gives float32; an empty union counts 0.
double nmsFrameIou(const FrameMask& a, const FrameMask& b) {
  if (a.area == 0 || b.area == 0) return 0.0;
  const Overlap o = rleOverlap(a.rle, b.rle);
  return o.union_ == 0 ? 0.0 : static_cast<double>(static_cast<float>(o.intersection) / static_cast<float>(o.union_));
}

// check_object_same's IoU: numpy, float64; frames where either side is empty are skipped.
bool mergeOverlap(const FrameMask& a, const FrameMask& b, double threshold) {
  if (a.area == 0 || b.area == 0) return false;
  const Overlap o = rleOverlap(a.rle, b.rle);
  return o.union_ > 0 && static_cast<double>(o.intersection) / static_cast<double>(o.union_) >= threshold;
}

}  // namespace

class SelectionIndexBuilder {
 public:
  SelectionIndexBuilder(SelectionIndex& index) : ix_(index), in_(index.inputs_), opt_(index.options_) {}

  void run() {
    if (!in_.dataset || !in_.results) throw Error("the selection needs a dataset and a results list");
    if (opt_.min_frames < 1) throw Error("min_frames must be >= 1", atKey(in_.dataset_source, "min_frames"));
    checkTau(opt_.tau, ErrorContext{});
    for (size_t i = 0; i < in_.dataset->videos.size(); ++i) dataset_index_.emplace(in_.dataset->videos[i].id, static_cast<int>(i));
    groupResults();
    ix_.fates_.assign(in_.results->size(), SelectionIndex::Fate::Suppressed);
    ix_.result_slot_.assign(in_.results->size(), -1);
    std::vector<bool> done(in_.dataset->videos.size(), false);
    if (in_.previous) {
      for (size_t p = 0; p < in_.previous->videos.size(); ++p) {
        const StateVideo& state_video = in_.previous->videos[p];
        ErrorContext context = inFile(in_.previous_source);
        context.video_id = state_video.id;
        auto it = dataset_index_.find(state_video.id);
        if (it == dataset_index_.end()) throw Error("video id is not in the dataset (a state of another dataset?)", context);
        if (done[it->second]) throw Error("duplicate video id", context);
        done[it->second] = true;
        addVideo(it->second, static_cast<int32_t>(p));
      }
    }
    std::vector<int> rest;
    for (size_t d = 0; d < done.size(); ++d) {
      if (!done[d] && !by_video_[d].empty()) rest.push_back(static_cast<int>(d));
    }
    // The official loader walks the videos in ascending id (README rule 8).
    std::sort(rest.begin(), rest.end(), [&](int a, int b) { return in_.dataset->videos[a].id < in_.dataset->videos[b].id; });
    for (int d : rest) addVideo(d, -1);
    ix_.applyOverrides({}, "");
  }

 private:
  void groupResults() {
    by_video_.assign(in_.dataset->videos.size(), {});
    for (size_t i = 0; i < in_.results->size(); ++i) {
      const YtvisTrack& track = (*in_.results)[i];
      auto it = dataset_index_.find(track.video_id);
      if (it == dataset_index_.end()) {
        throw Error("result refers to a video id that is not in the dataset", resultContext(in_, i, track.video_id, "video_id"));
      }
      const YtvisVideo& video = in_.dataset->videos[it->second];
      if (track.numFrames() != video.length()) {
        throw Error("has " + std::to_string(track.numFrames()) + " per-frame masks but the video has " +
                        std::to_string(video.length()) + " frames",
                    resultContext(in_, i, track.video_id, "segmentations"));
      }
      if (!track.score) throw Error("missing field", resultContext(in_, i, track.video_id, frame_fields::kScore));
      auto pred_iou = track.frame_values.find(frame_fields::kPredIou);
      if (pred_iou == track.frame_values.end()) {
        throw Error("missing per-frame list (one number per frame)", resultContext(in_, i, track.video_id, frame_fields::kPredIou));
      }
      for (size_t f = 0; f < pred_iou->second.size(); ++f) {
        if (pred_iou->second[f]) continue;
        ErrorContext context = resultContext(in_, i, track.video_id, frame_fields::kPredIou);
        context.frame = static_cast<int64_t>(f);
        throw Error("null predicted IoU", context);
      }
      by_video_[it->second].push_back(static_cast<uint32_t>(i));
    }
  }

  uint32_t addEntries(int frames) {
    const uint32_t first = static_cast<uint32_t>(ix_.metric_.size());
    ix_.metric_.resize(first + frames, 0.0);
    ix_.base_threshold_.resize(first + frames, 0.0);
    ix_.area_.resize(first + frames, 0);
    return first;
  }

  void addVideo(int dataset_index, int32_t previous_index) {
    const YtvisVideo& dv = in_.dataset->videos[dataset_index];
    SelectionIndex::Video video;
    video.id = dv.id;
    video.dataset_index = dataset_index;
    video.frames = dv.length();
    video.previous_index = previous_index;
    video.first_slot = static_cast<uint32_t>(ix_.slots_.size());
    const uint32_t v = static_cast<uint32_t>(ix_.videos_.size());
    std::vector<std::vector<FrameMask>> masks;  // per slot of this video
    if (previous_index >= 0) addPreviousSlots(v, dv, in_.previous->videos[previous_index], masks);
    video.num_previous = static_cast<uint32_t>(ix_.slots_.size()) - video.first_slot;
    addPredictionSlots(v, dv, by_video_[dataset_index], masks);
    video.num_predictions = static_cast<uint32_t>(ix_.slots_.size()) - video.first_slot - video.num_previous;
    if (video.num_previous > 0) addOverlapRows(video, masks);
    ix_.videos_.push_back(video);
  }

  void addPreviousSlots(uint32_t v, const YtvisVideo& dv, const StateVideo& sv, std::vector<std::vector<FrameMask>>& masks) {
    for (size_t k = 0; k < sv.objects.size(); ++k) {
      const StateObject& object = sv.objects[k];
      ErrorContext context = atKey(in_.previous_source, "object " + std::to_string(object.id));
      context.video_id = sv.id;
      if (static_cast<int>(object.frames.size()) != dv.length()) {
        throw Error("has " + std::to_string(object.frames.size()) + " frames but the video has " + std::to_string(dv.length()) +
                        " (a state of another dataset?)",
                    context);
      }
      SelectionIndex::Slot slot;
      slot.kind = SelectionIndex::SlotKind::Previous;
      slot.id = object.id;
      slot.video = v;
      slot.origin = static_cast<int32_t>(k);
      slot.survive = kInf;
      slot.first_entry = addEntries(dv.length());
      std::vector<std::optional<CompressedRle>> segmentations;
      for (const StateEntry& e : object.frames) segmentations.push_back(e.segmentation);
      masks.push_back(decodeTrack(segmentations, dv, context));
      for (int f = 0; f < dv.length(); ++f) {
        const uint32_t e = slot.first_entry + f;
        ix_.metric_[e] = object.frames[f].metric;
        ix_.area_[e] = static_cast<uint32_t>(masks.back()[f].area);
        ix_.base_threshold_[e] = object.frames[f].marked ? kInf : -kInf;
      }
      ix_.slots_.push_back(slot);
    }
  }

  void addPredictionSlots(uint32_t v, const YtvisVideo& dv, const std::vector<uint32_t>& results,
                          std::vector<std::vector<FrameMask>>& masks) {
    std::vector<std::vector<FrameMask>> predicted;
    for (uint32_t r : results) predicted.push_back(decodeTrack((*in_.results)[r].segmentations, dv, resultContext(in_, r, dv.id)));
    // apply_nmsV2: greedy in file order; a suppressed prediction suppresses nothing.
    std::vector<bool> suppressed(results.size(), false);
    for (size_t a = 0; a < results.size(); ++a) {
      if (suppressed[a]) continue;
      for (size_t b = a + 1; b < results.size(); ++b) {
        if (suppressed[b]) continue;
        double iou = 0.0;
        for (int f = 0; f < dv.length(); ++f) iou = std::max(iou, nmsFrameIou(predicted[a][f], predicted[b][f]));
        if (iou >= opt_.nms_iou) suppressed[b] = true;
      }
    }
    int64_t kept = 0;
    for (size_t a = 0; a < results.size(); ++a) {
      const YtvisTrack& track = (*in_.results)[results[a]];
      if (suppressed[a]) continue;
      if (*track.score < opt_.score_threshold) {
        ix_.fates_[results[a]] = SelectionIndex::Fate::LowScore;
        continue;
      }
      ix_.fates_[results[a]] = SelectionIndex::Fate::Kept;
      ix_.result_slot_[results[a]] = static_cast<int32_t>(ix_.slots_.size());
      SelectionIndex::Slot slot;
      slot.kind = SelectionIndex::SlotKind::Prediction;
      slot.id = kept++;
      slot.video = v;
      slot.origin = static_cast<int32_t>(results[a]);
      slot.first_entry = addEntries(dv.length());
      const auto& pred_iou = track.frame_values.at(frame_fields::kPredIou);
      const auto* true_iou = opt_.quality_source == QualitySource::TrueIou ? &trueIouOf(results[a]) : nullptr;
      for (int f = 0; f < dv.length(); ++f) {
        const uint32_t e = slot.first_entry + f;
        // Q in float64 from the float32 values, as get_iou_pred_iou (README rule 4).
        if (opt_.quality_source == QualitySource::Predicted) ix_.metric_[e] = *pred_iou[f] * *track.score;
        else if (opt_.quality_source == QualitySource::Confidence) ix_.metric_[e] = *track.score;
        else ix_.metric_[e] = (*true_iou)[f].value_or(0.0);
        ix_.area_[e] = static_cast<uint32_t>(predicted[a][f].area);
        ix_.base_threshold_[e] = ix_.area_[e] == 0 ? kInf : ix_.metric_[e];
      }
      masks.push_back(std::move(predicted[a]));
      ix_.slots_.push_back(slot);
    }
  }

  // For each prediction j, the frames where it overlaps an earlier slot (a previous object or an
  // earlier prediction: the only slots a running merge can have put into a state object).
  void addOverlapRows(const SelectionIndex::Video& video, const std::vector<std::vector<FrameMask>>& masks) {
    const int words = (video.frames + 63) / 64;
    for (uint32_t j = video.num_previous; j < video.num_previous + video.num_predictions; ++j) {
      SelectionIndex::Slot& target = ix_.slots_[video.first_slot + j];
      target.first_row = static_cast<uint32_t>(ix_.rows_.size());
      for (uint32_t s = 0; s < j; ++s) {
        std::vector<uint64_t> bits(words, 0);
        bool any = false;
        for (int f = 0; f < video.frames; ++f) {
          if (!mergeOverlap(masks[s][f], masks[j][f], opt_.merge_iou)) continue;
          bits[f / 64] |= uint64_t{1} << (f % 64);
          any = true;
        }
        if (!any) continue;
        ix_.rows_.push_back({video.first_slot + s, static_cast<uint32_t>(ix_.words_.size())});
        ix_.words_.insert(ix_.words_.end(), bits.begin(), bits.end());
      }
      target.num_rows = static_cast<uint32_t>(ix_.rows_.size()) - target.first_row;
    }
  }

  // The oracle's per-frame true IoU of result i (selftrain.label_source true_iou).
  const std::vector<std::optional<double>>& trueIouOf(uint32_t i) const {
    const YtvisTrack& track = (*in_.results)[i];
    auto it = track.frame_values.find(frame_fields::kTrueIou);
    if (it == track.frame_values.end()) {
      throw Error("missing per-frame list (the true-IoU oracle needs the ground truth's IoU per frame)",
                  resultContext(in_, i, track.video_id, frame_fields::kTrueIou));
    }
    return it->second;
  }

  SelectionIndex& ix_;
  const SelectionInputs& in_;
  const SelectionOptions& opt_;
  std::unordered_map<int64_t, int> dataset_index_;
  std::vector<std::vector<uint32_t>> by_video_;  ///< per dataset video: results indices in file order
};

SelectionIndex SelectionIndex::build(const SelectionInputs& inputs, const SelectionOptions& options) {
  SelectionIndex index;
  index.inputs_ = inputs;
  index.options_ = options;
  SelectionIndexBuilder(index).run();
  return index;
}

void SelectionIndex::computeSurvival(Slot& slot) {
  // remove_low_quality_objects: >= min_frames frames marked and non-empty, i.e. tau <= the
  // min_frames-th largest threshold among the non-empty frames.
  std::vector<double> values;
  for (int f = 0; f < videos_[slot.video].frames; ++f) {
    const uint32_t e = slot.first_entry + f;
    if (area_[e] != 0) values.push_back(threshold_[e]);
  }
  const size_t k = static_cast<size_t>(options_.min_frames);
  if (values.size() < k) {
    slot.survive = -kInf;
    return;
  }
  std::nth_element(values.begin(), values.begin() + (k - 1), values.end(), std::greater<double>());
  slot.survive = values[k - 1];
}

const Override* SelectionIndex::decision(uint32_t entry) const {
  if (entry_decision_[entry] >= 0) return &overrides_[entry_decision_[entry]];
  return nullptr;
}

}  // namespace autoqvis
