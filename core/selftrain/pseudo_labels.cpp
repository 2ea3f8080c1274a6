#include "core/selftrain/pseudo_labels.h"

#include <nlohmann/json.hpp>

#include "core/dataset/frame_fields.h"
#include "core/util/atomic_file.h"

namespace autoqvis {

SelectionOptions selectionOptionsFor(const SelfTrainOptions& selftrain) {
  SelectionOptions options;
  options.tau = selftrain.quality_threshold;
  options.min_frames = selftrain.min_frames;
  options.score_threshold = selftrain.score_threshold;
  options.nms_iou = selftrain.nms_iou;
  options.merge_iou = selftrain.merge_iou;
  if (selftrain.label_source == "confidence") options.quality_source = QualitySource::Confidence;
  if (selftrain.label_source == "true_iou") options.quality_source = QualitySource::TrueIou;
  return options;
}
namespace {

using ojson = nlohmann::ordered_json;

// Fixed fields of build_total_info / create_video_info (README rule 14).
constexpr const char* kDateCaptured = "2019-04-11 00:18:45.652544";

ojson optionalJson(const std::optional<double>& value) { return value ? ojson(*value) : ojson(nullptr); }

ojson videoJson(const YtvisVideo& video, std::vector<std::string> file_names) {
  const size_t length = file_names.size();
  return {{"id", video.id},          {"width", video.width},   {"height", video.height},
          {"length", length},        {"file_names", std::move(file_names)}, {"date_captured", kDateCaptured},
          {"license", 1},            {"coco_url", ""},         {"flickr_url", ""}};
}

ojson annotationJson(int64_t id, int64_t video_id, const std::vector<StateEntry>& frames) {
  ojson segmentations = ojson::array(), areas = ojson::array(), bboxes = ojson::array();
  ojson score = ojson::array(), pred_iou = ojson::array(), quality = ojson::array(), round = ojson::array(),
        source = ojson::array();
  for (const StateEntry& e : frames) {
    if (e.segmentation) {
      segmentations.push_back({{"size", {e.segmentation->h, e.segmentation->w}}, {"counts", e.segmentation->counts}});
      areas.push_back(*e.area);
      bboxes.push_back(*e.bbox);
    } else {
      segmentations.push_back(nullptr);
      areas.push_back(nullptr);
      bboxes.push_back(nullptr);
    }
    score.push_back(optionalJson(e.score));
    pred_iou.push_back(optionalJson(e.pred_iou));
    quality.push_back(e.metric);
    round.push_back(e.round ? ojson(*e.round) : ojson(nullptr));
    source.push_back(e.user_decision ? "user" : "auto");
  }
  return {{"id", id},
          {"video_id", video_id},
          {"category_id", 1},
          {"segmentations", std::move(segmentations)},
          {"areas", std::move(areas)},
          {"bboxes", std::move(bboxes)},
          {"iscrowd", 0},
          {frame_fields::kScore, std::move(score)},
          {frame_fields::kPredIou, std::move(pred_iou)},
          {frame_fields::kQuality, std::move(quality)},
          {frame_fields::kRound, std::move(round)},
          {frame_fields::kSource, std::move(source)}};
}

const YtvisVideo& datasetVideo(const SelectionIndex& index, const SelectionResult::Video& video) {
  return index.inputs().dataset->videos[index.videos()[video.index_video].dataset_index];
}

}  // namespace

StateEntry materializeEntry(const SelectionIndex& index, const SelectionResult& result, uint32_t slot_index, int frame) {
  const SelectionIndex::Slot& slot = index.objectSlots()[slot_index];
  const SelectionIndex::Video& video = index.videos()[slot.video];
  const uint32_t e = slot.first_entry + frame;
  const Override* decision = index.decision(e);
  StateEntry entry;
  if (slot.kind == SelectionIndex::SlotKind::Previous) {
    entry = index.inputs().previous->videos[video.previous_index].objects[slot.origin].frames[frame];
  } else {
    const YtvisVideo& dv = index.inputs().dataset->videos[video.dataset_index];
    const YtvisTrack& track = (*index.inputs().results)[slot.origin];
    entry.file_name = dv.file_names[frame];
    entry.height = dv.height;
    entry.width = dv.width;
    if (index.area(e) != 0) {
      // pycocotools' canonical string of the decoded mask (get_one_anno_info re-encodes it).
      const Rle rle = decompress(*track.segmentations[frame]);
      entry.segmentation = compress(rle);
      entry.area = static_cast<int64_t>(index.area(e));
      entry.bbox = rleToBbox(rle);
    }
    entry.metric = index.metric(e);
    entry.score = track.score;
    entry.pred_iou = track.frame_values.at(frame_fields::kPredIou)[frame];
    entry.round = index.options().round;
  }
  entry.marked = result.tau <= index.threshold(e);
  if (decision) entry.user_decision = decision->decision;
  return entry;
}

RoundState materializeState(const SelectionIndex& index, const SelectionResult& result) {
  RoundState state;
  for (const SelectionResult::Video& rv : result.videos) {
    const SelectionIndex::Video& video = index.videos()[rv.index_video];
    StateVideo sv;
    sv.id = video.id;
    for (uint32_t k = rv.first_object; k < rv.first_object + rv.num_objects; ++k) {
      const SelectionResult::Object& object = result.objects[k];
      StateObject so;
      so.id = object.id;
      for (int f = 0; f < video.frames; ++f) so.frames.push_back(materializeEntry(index, result, result.sourceSlot(object, f), f));
      sv.objects.push_back(std::move(so));
    }
    state.videos.push_back(std::move(sv));
  }
  return state;
}

std::string pseudoLabelsToJson(const SelectionIndex& index, const SelectionResult& result, int indent) {
  ojson videos = ojson::array(), annotations = ojson::array();
  int64_t annotation_id = 1;
  for (const SelectionResult::Video& rv : result.videos) {
    if (!rv.accepted) continue;
    const YtvisVideo& dv = datasetVideo(index, rv);
    std::vector<std::string> names;
    for (int f = 0; f < dv.length(); ++f) {
      if (result.frameKept(rv, f)) names.push_back(dv.file_names[f]);
    }
    videos.push_back(videoJson(dv, std::move(names)));
    for (uint32_t k = rv.first_object; k < rv.first_object + rv.num_objects; ++k) {
      std::vector<StateEntry> frames;
      for (int f = 0; f < dv.length(); ++f) {
        if (result.frameKept(rv, f)) frames.push_back(materializeEntry(index, result, result.sourceSlot(result.objects[k], f), f));
      }
      annotations.push_back(annotationJson(annotation_id++, dv.id, frames));
    }
  }
  const ojson categories = ojson::array({{{"supercategory", "object"}, {"id", 1}, {"name", "object"}}});
  const ojson document = {{"info", ""}, {"videos", std::move(videos)}, {"annotations", std::move(annotations)},
                          {"categories", categories}};
  return document.dump(indent, ' ', false, ojson::error_handler_t::replace);
}

PseudoLabelRound selectPseudoLabels(const SelectionInputs& inputs, const SelectionOptions& options,
                                    const std::vector<Override>& overrides, const std::string& overrides_source) {
  SelectionIndex index = SelectionIndex::build(inputs, options);
  if (!overrides.empty()) index.applyOverrides(overrides, overrides_source);
  PseudoLabelRound round;
  index.evaluate(options.tau, round.selection);
  round.state = materializeState(index, round.selection);
  round.pseudo_labels_json = pseudoLabelsToJson(index, round.selection);
  return round;
}

void savePseudoLabelRound(const PseudoLabelRound& round, const std::filesystem::path& pseudo_labels_path,
                          const std::filesystem::path& state_path) {
  writeFileAtomically(state_path, roundStateToJson(round.state));
  writeFileAtomically(pseudo_labels_path, round.pseudo_labels_json);
}

}  // namespace autoqvis
