#include "widgets/review/review_catalog.h"

#include <cmath>
#include <limits>

#include "core/dataset/frame_fields.h"
#include "core/eval/quality_analysis.h"
#include "core/eval/rank_correlation.h"
#include "widgets/document/track_summary.h"

namespace autoqvis::widgets {
namespace fs = std::filesystem;

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// A previous-state object as a track: its masks, and the numbers its entries carry.
YtvisTrack trackOfStateObject(const StateObject& object, int64_t video_id) {
  YtvisTrack track;
  track.video_id = video_id;
  auto& pred_iou = track.frame_values[frame_fields::kPredIou];
  auto& quality = track.frame_values[frame_fields::kQuality];
  for (const StateEntry& e : object.frames) {
    const bool no_pixels = e.area && *e.area == 0;
    track.segmentations.push_back(no_pixels ? std::nullopt : e.segmentation);
    track.areas.push_back(e.area && !no_pixels ? std::optional<double>(static_cast<double>(*e.area)) : std::nullopt);
    track.bboxes.push_back(no_pixels ? std::nullopt : e.bbox);
    pred_iou.push_back(e.pred_iou);
    quality.push_back(e.empty() || no_pixels ? std::nullopt : std::optional<double>(e.metric));
    if (!track.score && e.score) track.score = e.score;
  }
  return track;
}

// A prediction as a track. A mask of no pixels is shown as no mask (the selection treats it as an
// empty frame too), so the timeline draws no bar there.
YtvisTrack trackOfPrediction(const YtvisTrack& result, const SelectionIndex& index, uint32_t first_entry) {
  YtvisTrack track = result;
  auto& quality = track.frame_values[frame_fields::kQuality];
  quality.assign(track.segmentations.size(), std::nullopt);
  for (size_t f = 0; f < quality.size(); ++f) {
    const uint32_t e = first_entry + static_cast<uint32_t>(f);
    if (!index.empty(e)) {
      quality[f] = index.metric(e);
    } else {
      track.segmentations[f].reset();
      if (f < track.areas.size()) track.areas[f].reset();
      if (f < track.bboxes.size()) track.bboxes[f].reset();
    }
  }
  return track;
}

int roundOfStateObject(const StateObject& object) {
  for (const StateEntry& e : object.frames) {
    if (e.round) return *e.round;
  }
  return -1;
}

void addTrueIou(const RoundInputs& inputs, const SelectionIndex& index, ReviewCatalog& catalog) {
  const YtvisDataset gt = loadYtvisDataset(catalog.ground_truth);
  const QualityAnalysis analysis = analyzeQuality(gt, inputs.results);
  catalog.true_iou.assign(index.numEntries(), kNaN);
  for (size_t s = 0; s < catalog.slot_info.size(); ++s) {
    const auto& slot = index.objectSlots()[s];
    if (slot.kind != SelectionIndex::SlotKind::Prediction) continue;
    const auto& frame_iou = analysis.predictions[static_cast<size_t>(slot.origin)].frame_iou;
    for (int f = 0; f < catalog.slot_info[s].frames && f < static_cast<int>(frame_iou.size()); ++f) {
      if (frame_iou[f]) catalog.true_iou[slot.first_entry + f] = static_cast<float>(*frame_iou[f]);
    }
  }
}

// Over this round's labels (the kept predictions' frames with a mask).
void addCorrelations(ReviewCatalog& catalog) {
  std::vector<double> confidence, predicted, quality_t, confidence_t, truth;
  for (size_t i = 0; i < catalog.round_labels.size(); ++i) {
    const uint32_t e = catalog.round_labels[i];
    const double s = catalog.label_confidence[i];
    const double q = catalog.quality[e];
    if (s > 0) {
      confidence.push_back(s);
      predicted.push_back(q / s);
    }
    if (!catalog.true_iou.empty() && std::isfinite(catalog.true_iou[e])) {
      quality_t.push_back(q);
      confidence_t.push_back(s);
      truth.push_back(catalog.true_iou[e]);
    }
  }
  catalog.rho_confidence_predicted = spearmanCorrelation(confidence, predicted);
  catalog.rho_quality_true = spearmanCorrelation(quality_t, truth);
  catalog.rho_confidence_true = spearmanCorrelation(confidence_t, truth);
  catalog.rho_pairs = truth.size();
}

}  // namespace

fs::path unlabeledGroundTruth(const Config& config) {
  if (config.data.unlabeled_ground_truth.empty()) return {};
  const fs::path path = resolveDataPath(config, config.data.unlabeled_ground_truth);
  std::error_code ec;
  return fs::is_regular_file(path, ec) ? path : fs::path();
}

std::shared_ptr<const ReviewCatalog> buildReviewCatalog(const RoundInputs& inputs, const SelectionIndex& index,
                                                        const fs::path& frames_root, const fs::path& ground_truth) {
  auto catalog = std::make_shared<ReviewCatalog>();
  catalog->stage = inputs.stage;
  catalog->official_round = inputs.official_round;
  auto document = std::make_shared<ViewerDocument>();
  document->request.dataset = inputs.dataset_path;
  document->request.frames_root = frames_root;
  document->request.results = inputs.results_path;
  document->origin = TrackOrigin::Results;
  document->dataset.videos = inputs.dataset.videos;
  document->dataset.reindex();
  for (const YtvisVideo& video : document->dataset.videos) {
    ViewerVideo entry;
    entry.id = video.id;
    entry.name = video.file_names.empty() ? "video " + std::to_string(video.id)
                                          : fs::path(video.file_names.front()).parent_path().filename().string();
    entry.width = video.width;
    entry.height = video.height;
    entry.frames = video.length();
    document->videos.push_back(std::move(entry));
  }
  catalog->video_slots.resize(document->videos.size());
  catalog->quality.assign(index.numEntries(), std::nan(""));
  catalog->has_mask.assign(index.numEntries(), 0);
  catalog->entry_slot.assign(index.numEntries(), 0);
  const auto& index_slots = index.objectSlots();
  for (uint32_t s = 0; s < index_slots.size(); ++s) {
    const SelectionIndex::Slot& slot = index_slots[s];
    const SelectionIndex::Video& video = index.videos()[slot.video];
    ReviewSlot info;
    info.video = video.dataset_index;
    info.previous = slot.kind == SelectionIndex::SlotKind::Previous;
    info.id = slot.id;
    info.first_entry = slot.first_entry;
    info.frames = video.frames;
    auto& rows = catalog->video_slots[static_cast<size_t>(info.video)];
    info.row = static_cast<int>(rows.size());
    rows.push_back(s);
    YtvisTrack track;
    if (info.previous) {
      const StateObject& object = inputs.previous->videos[static_cast<size_t>(video.previous_index)]
                                      .objects[static_cast<size_t>(slot.origin)];
      track = trackOfStateObject(object, video.id);
      info.round = roundOfStateObject(object);
    } else {
      track = trackOfPrediction(inputs.results[static_cast<size_t>(slot.origin)], index, slot.first_entry);
      info.round = inputs.official_round;
    }
    info.score = track.score ? *track.score : std::nan("");
    for (int f = 0; f < video.frames; ++f) {
      const uint32_t e = slot.first_entry + static_cast<uint32_t>(f);
      catalog->entry_slot[e] = s;
      if (index.empty(e)) continue;
      catalog->has_mask[e] = 1;
      catalog->quality[e] = index.metric(e);
      if (!info.previous) {
        catalog->round_labels.push_back(e);
        catalog->label_confidence.push_back(static_cast<float>(info.score));
      }
    }
    document->videos[static_cast<size_t>(info.video)].tracks.push_back(static_cast<int>(document->tracks.size()));
    document->videos[static_cast<size_t>(info.video)].masks += track.numPresentFrames();
    document->tracks.push_back(std::move(track));
    document->track_keys.push_back(info.row + 1);
    catalog->slot_info.push_back(info);
  }
  std::vector<const YtvisTrack*> all;
  for (const YtvisTrack& track : document->tracks) all.push_back(&track);
  document->frame_value_names = frameValueNames(all);
  catalog->document = std::move(document);
  catalog->ground_truth = ground_truth;
  if (!ground_truth.empty()) addTrueIou(inputs, index, *catalog);
  addCorrelations(*catalog);
  return catalog;
}

}  // namespace autoqvis::widgets
