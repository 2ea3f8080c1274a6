#include "app/gui/viewer_properties.h"

#include <cmath>

#include "core/dataset/frame_fields.h"
#include "widgets/document/track_list_model.h"

namespace autoqvis::gui {
namespace {

QString toQString(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }
QString formatNumber(double value) { return QString::number(value, 'f', 3); }

}  // namespace

PropertyRows fileProperties(const widgets::ViewerDocument& document) {
  const widgets::OpenRequest& request = document.request;
  PropertyRows rows;
  if (!request.video_file.empty()) {
    rows.append({"Video file", toQString(request.video_file)});
  } else {
    rows.append({"Dataset", toQString(request.dataset)});
    rows.append({"Frames", toQString(request.frames_root)});
  }
  if (!request.results.empty()) rows.append({"Results", toQString(request.results)});
  const char* origin = document.origin == widgets::TrackOrigin::GroundTruth ? "annotations (ground truth)"
                       : document.origin == widgets::TrackOrigin::Results   ? "results / pseudo-labels"
                                                                            : "none";
  rows.append({"Masks shown", QString(origin)});
  rows.append({"Videos", QString::number(document.videos.size())});
  rows.append({"Tracks", QString::number(document.tracks.size())});
  QStringList values;
  for (const std::string& name : document.frame_value_names) values.append(QString::fromStdString(name));
  if (!values.isEmpty()) rows.append({"Per-frame values", values.join(", ")});
  return rows;
}

PropertyRows videoProperties(const widgets::ViewerVideo& video, int frame_count, double fps) {
  return {{"Name", QString::fromStdString(video.name)},
          {"Id", QString::number(video.id)},
          {"Size", QString("%1 × %2").arg(video.width).arg(video.height)},
          {"Frames", QString::number(frame_count)},
          {"Frame rate", QString("%1 fps").arg(fps, 0, 'g', 4)},
          {"Tracks", QString::number(video.tracks.size())},
          {"Masks", QString::number(video.masks)}};
}

PropertyRows frameProperties(int frame, double fps, const std::vector<const YtvisTrack*>& tracks,
                             const widgets::FramePacket* packet) {
  int masks = 0;
  for (const YtvisTrack* track : tracks) masks += frame < track->numFrames() && track->segmentations[frame] ? 1 : 0;
  return {{"Index", QString::number(frame)},
          {"Time", QString("%1 s").arg(frame / fps, 0, 'f', 2)},
          {"Masks", QString::number(masks)},
          {"Picture", !packet ? "decoding…" : packet->error.isEmpty() ? "ok" : packet->error}};
}

PropertyRows trackProperties(const widgets::TrackSummary* summary, const YtvisTrack* track, int frame,
                             const std::vector<std::string>& value_names) {
  if (!summary || !track) return {{"Track", "none: click a mask or a row"}};
  PropertyRows rows = {{"Track", QString("#%1").arg(summary->key)},
                       {"Frames with a mask", QString::number(summary->frames_present)},
                       {"Mean area", QString("%1 px").arg(std::lround(summary->mean_area))}};
  if (!summary->spans.empty()) {
    rows.append({"Span", QString("%1–%2 (%3 runs)")
                             .arg(summary->spans.front().first)
                             .arg(summary->spans.back().last)
                             .arg(summary->spans.size())});
  }
  if (summary->score) rows.append({"Score", formatNumber(*summary->score)});
  const bool present = frame < track->numFrames() && track->segmentations[frame];
  rows.append({"At this frame", present ? QString("mask, %1 px").arg(track->areas[frame].value_or(0)) : "no mask"});
  for (const std::string& name : value_names) {
    const QString title = widgets::TrackListModel::valueTitle(QString::fromStdString(name));
    const auto mean = summary->mean_values.find(name);
    if (mean != summary->mean_values.end()) rows.append({title + " (mean)", formatNumber(mean->second)});
    if (auto value = widgets::frameValue(*track, name, frame)) rows.append({title + " (this frame)", formatNumber(*value)});
  }
  return rows;
}

QString trackLabel(const widgets::TrackSummary& summary, const YtvisTrack& track, int frame) {
  QString text = QString("#%1").arg(summary.key);
  if (summary.score) text += "  s " + QString::number(*summary.score, 'f', 2);
  if (auto iou = widgets::frameValue(track, frame_fields::kPredIou, frame)) text += "  IoU " + QString::number(*iou, 'f', 2);
  if (auto quality = widgets::frameValue(track, frame_fields::kQuality, frame)) {
    text += "  Q " + QString::number(*quality, 'f', 2);
  }
  return text;
}

}  // namespace autoqvis::gui
