#include "app/gui/review_views.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/selftrain/label_status.h"
#include "core/selftrain/round_selection.h"
#include "core/util/stage_files.h"

namespace autoqvis::gui {

using widgets::LabelMarks;
using widgets::ReviewCatalog;
using widgets::ReviewSlot;
using widgets::ReviewSnapshot;

namespace {

bool sameTarget(const Override& a, const Override& b) {
  return a.video_id == b.video_id && a.target == b.target && a.object_id == b.object_id && a.frame == b.frame;
}

QString signedCount(size_t now, size_t before) {
  const long long delta = static_cast<long long>(now) - static_cast<long long>(before);
  return (delta > 0 ? "+" : "") + QString::number(delta);
}

QString countsText(const SelectionResult::Counts& c) {
  return QString("%1 labels · %2 objects · %3 frames · %4 videos").arg(c.labels).arg(c.objects).arg(c.frames).arg(c.videos);
}

QString rhoText(double value) { return std::isfinite(value) ? QString::number(value, 'f', 2) : QString("–"); }

// Why frame `f` is left out, built up label by label: the labels that drop it, or the video's reason.
void noteDroppedFrame(LabelMarks& marks, int row, int f, LabelStatus status, double quality, double tau, int min_frames) {
  QString& note = marks.frame_notes[static_cast<size_t>(f)];
  if (status == LabelStatus::DropsFrame || status == LabelStatus::RejectedByPerson) {
    marks.dropped_frames[f] = 1;
    const QString culprit = status == LabelStatus::DropsFrame
                                ? QString("#%1 Q %2 < τ %3").arg(row + 1).arg(quality, 0, 'f', 3).arg(tau, 0, 'f', 2)
                                : QString("#%1 rejected by a person").arg(row + 1);
    note = (note.isEmpty() ? QString("Frame %1 left out by the frame filter: ").arg(f) : note + ", ") + culprit;
  } else if (status == LabelStatus::FrameDropped) {
    marks.dropped_frames[f] = 1;
  } else if (status == LabelStatus::VideoDropped) {
    marks.dropped_frames[f] = 1;
    if (note.isEmpty()) {
      note = QString("Video left out: it keeps fewer than %1 frames at τ %2").arg(min_frames).arg(tau, 0, 'f', 2);
    }
  }
}

}  // namespace

std::vector<widgets::WorkspacePanel::Item> workspaceItems(const Workspace& workspace) {
  namespace fs = std::filesystem;
  using Kind = widgets::WorkspacePanel::ItemKind;
  const auto q = [](const fs::path& path) { return QString::fromStdString(path.string()); };
  const Config& config = workspace.config();
  std::vector<widgets::WorkspacePanel::Item> items;
  for (const std::string& stage : reviewableStages(workspace)) {
    const QString name = QString::fromStdString(stage);
    items.push_back({Kind::ReviewStage, name, "Review " + name + ": pseudo-labels on the unlabeled videos",
                     q(StageFiles{workspace.dir() / stage}.predictions())});
  }
  if (!config.data.val_videos.empty() && fs::exists(resolveDataPath(config, config.data.val_videos))) {
    items.push_back({Kind::ValidationTruth, {}, "Validation set: ground truth", q(resolveDataPath(config, config.data.val_videos))});
    for (const std::string& stage : workspace.stages()) {
      const fs::path results = StageFiles{workspace.dir() / stage}.valResults();
      if (!fs::exists(results)) continue;
      const QString name = QString::fromStdString(stage);
      items.push_back({Kind::ValidationResults, name, "Validation set: " + name + " predictions", q(results)});
    }
  }
  const fs::path stills = resolveDataPath(config, config.data.synthetic_annotations);
  if (fs::exists(stills)) items.push_back({Kind::SyntheticStills, {}, "Synthetic stills with their pseudo-masks", q(stills)});
  return items;
}

VideoMarks videoMarks(const ReviewCatalog& catalog, const ReviewSnapshot& snapshot, int video,
                      const std::vector<Override>& overrides, int min_frames) {
  const auto& video_rows = catalog.video_slots[static_cast<size_t>(video)];
  auto marks = std::make_shared<LabelMarks>();
  marks->rows = static_cast<int>(video_rows.size());
  marks->frames = catalog.document->videos[static_cast<size_t>(video)].frames;
  marks->marks.assign(static_cast<size_t>(marks->rows) * marks->frames, LabelMarks::None);
  marks->dropped_frames.assign(static_cast<size_t>(marks->frames), 0);
  marks->frame_notes.assign(static_cast<size_t>(marks->frames), QString());
  VideoMarks out;
  out.info.resize(video_rows.size());
  const int64_t video_id = catalog.document->videos[static_cast<size_t>(video)].id;
  for (size_t row = 0; row < video_rows.size(); ++row) {
    const ReviewSlot& slot = catalog.slot_info[video_rows[row]];
    auto& info = out.info[row];
    info.round = slot.round;
    const OverrideTarget target = slot.previous ? OverrideTarget::PreviousState : OverrideTarget::Prediction;
    for (const Override& o : overrides) {
      info.by_person = info.by_person || (o.video_id == video_id && o.target == target && o.object_id == slot.id);
    }
    for (int f = 0; f < marks->frames; ++f) {
      const uint32_t e = slot.first_entry + static_cast<uint32_t>(f);
      const LabelStatus status = snapshot.statuses[e];
      if (status == LabelStatus::Empty) continue;
      const bool accepted = isAccepted(status);
      info.accepted_frames += accepted;
      marks->marks[row * marks->frames + f] = accepted ? LabelMarks::Accepted : LabelMarks::Rejected;
      noteDroppedFrame(*marks, static_cast<int>(row), f, status, catalog.quality[e], snapshot.tau, min_frames);
    }
  }
  // A person's reject of a label whose object the set drops anyway drops no frame: only frames that
  // are really left out keep their note.
  for (int f = 0; f < marks->frames; ++f) {
    if (!marks->dropped_frames[f]) marks->frame_notes[f].clear();
  }
  out.marks = std::move(marks);
  return out;
}

void videoHistogram(const ReviewCatalog& catalog, const ReviewSnapshot& snapshot, int video,
                    std::vector<uint32_t>& total, std::vector<uint32_t>& accepted) {
  total.assign(widgets::kQualityBins, 0);
  accepted.assign(widgets::kQualityBins, 0);
  if (video < 0) return;
  for (uint32_t s : catalog.video_slots[static_cast<size_t>(video)]) {
    const ReviewSlot& slot = catalog.slot_info[s];
    if (slot.previous) continue;
    for (int f = 0; f < slot.frames; ++f) {
      const uint32_t e = slot.first_entry + static_cast<uint32_t>(f);
      if (!catalog.has_mask[e]) continue;
      const int bin = qualityBin(catalog.quality[e], widgets::kQualityBins);
      ++total[bin];
      accepted[bin] += isAccepted(snapshot.statuses[e]);
    }
  }
}

QString countersText(const ReviewSnapshot& snapshot, double committed_tau, const SelectionResult::Counts& committed,
                     size_t decisions, bool uncommitted) {
  const SelectionResult::Counts& now = snapshot.counts;
  QString html = QString("<b>At τ %1:</b> ").arg(snapshot.tau, 0, 'f', 2) + countsText(now);
  html += QString("<br>Committed τ %1: ").arg(committed_tau, 0, 'f', 2) + countsText(committed);
  html += QString("<br>Change: %1 labels, %2 objects, %3 frames, %4 videos")
              .arg(signedCount(now.labels, committed.labels))
              .arg(signedCount(now.objects, committed.objects))
              .arg(signedCount(now.frames, committed.frames))
              .arg(signedCount(now.videos, committed.videos));
  html += QString("<br>%1 decision%2 by a person").arg(decisions).arg(decisions == 1 ? "" : "s");
  if (uncommitted) html += " · <span style='color:#c0392b'><b>not committed</b></span>";
  return html;
}

widgets::QualityPanel::ScatterPoints scatterPoints(const ReviewCatalog& catalog, const ReviewSnapshot& snapshot,
                                                   bool by_quality, size_t max_points, QString& caption) {
  const bool truth = !catalog.true_iou.empty();
  widgets::QualityPanel::ScatterPoints points;
  const size_t n = catalog.round_labels.size();
  const size_t stride = std::max<size_t>(1, n / std::max<size_t>(1, max_points));
  for (size_t i = 0; i < n; i += stride) {
    const uint32_t e = catalog.round_labels[i];
    const double s = catalog.label_confidence[i];
    const double q = catalog.quality[e];
    const double y = truth ? static_cast<double>(catalog.true_iou[e]) : (s > 0 ? q / s : NAN);
    if (!std::isfinite(y)) continue;
    const double x = by_quality ? q : s;
    if (isAccepted(snapshot.statuses[e])) {
      points.x.push_back(x), points.y.push_back(y);
    } else {
      points.x_out.push_back(x), points.y_out.push_back(y);
    }
  }
  if (truth) {
    caption = QString("Spearman ρ with the true IoU over %1 labels: Q <b>%2</b>, s <b>%3</b> (ground truth: %4)")
                  .arg(catalog.rho_pairs)
                  .arg(rhoText(catalog.rho_quality_true))
                  .arg(rhoText(catalog.rho_confidence_true))
                  .arg(QString::fromStdString(catalog.ground_truth.filename().string()));
  } else {
    caption = QString("No ground truth for these videos: y is the predicted IoU. ρ(s, predicted IoU) = <b>%1</b>")
                  .arg(rhoText(catalog.rho_confidence_predicted));
  }
  if (stride > 1) caption += QString(" · every %1th label shown").arg(stride);
  return points;
}

BinLabels binLabels(const ReviewCatalog& catalog, const ReviewSnapshot& snapshot, int bin, int video, size_t limit) {
  BinLabels out;
  size_t total = 0;
  for (uint32_t e : catalog.round_labels) {
    if (qualityBin(catalog.quality[e], widgets::kQualityBins) != bin) continue;
    if (video >= 0 && catalog.slot_info[catalog.entry_slot[e]].video != video) continue;
    ++total;
    if (out.entries.size() < limit) out.entries.push_back(e);
  }
  std::sort(out.entries.begin(), out.entries.end(),
            [&](uint32_t a, uint32_t b) { return catalog.quality[a] > catalog.quality[b]; });
  for (uint32_t e : out.entries) {
    const ReviewSlot& slot = catalog.slot_info[catalog.entry_slot[e]];
    out.lines << QString("%1 · #%2 · frame %3 · Q %4 · %5")
                     .arg(QString::fromStdString(catalog.document->videos[static_cast<size_t>(slot.video)].name))
                     .arg(slot.row + 1)
                     .arg(catalog.frameOf(e))
                     .arg(catalog.quality[e], 0, 'f', 3)
                     .arg(labelStatusText(snapshot.statuses[e]));
  }
  const double low = static_cast<double>(bin) / widgets::kQualityBins;
  const double high = static_cast<double>(bin + 1) / widgets::kQualityBins;
  out.title = QString("Q %1–%2: %3 labels").arg(low, 0, 'f', 2).arg(high, 0, 'f', 2).arg(total);
  if (total > out.entries.size()) out.title += QString(" (first %1 listed)").arg(out.entries.size());
  return out;
}

widgets::PropertiesPanel::Rows reviewProperties(const ReviewCatalog& catalog, const ReviewSnapshot& snapshot,
                                                const QString& stage, int video, int row, int frame,
                                                const std::vector<Override>& overrides) {
  widgets::PropertiesPanel::Rows rows = {{"Stage", stage}, {"τ", QString::number(snapshot.tau, 'f', 3)}};
  if (video < 0 || row < 0) return rows;
  const ReviewSlot& slot = catalog.slot_info[catalog.slotAt(video, row)];
  rows.append({QString("Track"),
               QString("#%1 (%2 %3)").arg(row + 1).arg(slot.previous ? "previous state object" : "prediction").arg(slot.id)});
  if (frame >= 0 && frame < slot.frames) {
    rows.append({QString("This frame"), QString(labelStatusText(snapshot.statuses[catalog.entry(catalog.slotAt(video, row), frame)]))});
  }
  const int64_t video_id = catalog.document->videos[static_cast<size_t>(video)].id;
  for (const Override& o : overrides) {
    if (o.video_id != video_id || o.object_id != slot.id || (o.target == OverrideTarget::PreviousState) != slot.previous) continue;
    rows.append({o.frame ? QString("Decision, frame %1").arg(*o.frame) : QString("Decision"),
                 QString("%1 by %2, %3 (was %4)")
                     .arg(decisionName(o.decision.decision))
                     .arg(QString::fromStdString(o.decision.user))
                     .arg(QString::fromStdString(o.decision.time))
                     .arg(QString::fromStdString(o.decision.replaced))});
  }
  return rows;
}

std::optional<Override> decisionOn(const ReviewCatalog& catalog, const ReviewSnapshot& snapshot, int video, int row,
                                   Decision decision, std::optional<int> frame, const std::string& user,
                                   const std::string& time) {
  const ReviewSlot& slot = catalog.slot_info[catalog.slotAt(video, row)];
  if (frame && (*frame < 0 || *frame >= slot.frames || !catalog.has_mask[slot.first_entry + static_cast<uint32_t>(*frame)])) {
    return std::nullopt;
  }
  Override o;
  o.video_id = catalog.document->videos[static_cast<size_t>(video)].id;
  o.target = slot.previous ? OverrideTarget::PreviousState : OverrideTarget::Prediction;
  o.object_id = slot.id;
  o.frame = frame;
  o.decision.decision = decision;
  o.decision.user = user;
  o.decision.time = time;
  o.decision.round = catalog.official_round;
  bool accepted = false;
  for (int f = 0; f < slot.frames; ++f) {
    if (frame && f != *frame) continue;
    accepted = accepted || isAccepted(snapshot.statuses[slot.first_entry + static_cast<uint32_t>(f)]);
  }
  o.decision.replaced = accepted ? "accepted" : "rejected";
  return o;
}

std::vector<Override> withDecision(std::vector<Override> overrides, const Override& decision) {
  removeDecision(overrides, decision);
  overrides.push_back(decision);
  return overrides;
}

bool removeDecision(std::vector<Override>& overrides, const Override& target) {
  const auto end = std::remove_if(overrides.begin(), overrides.end(), [&](const Override& x) { return sameTarget(x, target); });
  const bool found = end != overrides.end();
  overrides.erase(end, overrides.end());
  return found;
}

}  // namespace autoqvis::gui
