#include "widgets/document/track_summary.h"
#include "core/dataset/frame_fields.h"

#include <algorithm>
#include <set>

namespace autoqvis::widgets {

TrackSummary summarizeTrack(const YtvisTrack& track, int64_t key) {
  TrackSummary summary;
  summary.key = key;
  summary.score = track.score;
  double area_sum = 0;
  for (int f = 0; f < track.numFrames(); ++f) {
    if (!track.segmentations[f]) continue;
    ++summary.frames_present;
    if (f < static_cast<int>(track.areas.size()) && track.areas[f]) area_sum += *track.areas[f];
    if (!summary.spans.empty() && summary.spans.back().last == f - 1) {
      summary.spans.back().last = f;
    } else {
      summary.spans.push_back({f, f});
    }
  }
  if (summary.frames_present > 0) summary.mean_area = area_sum / summary.frames_present;
  for (const auto& [name, values] : track.frame_values) {
    double sum = 0;
    int count = 0;
    for (const auto& value : values) {
      if (value) sum += *value, ++count;
    }
    if (count > 0) summary.mean_values[name] = sum / count;
  }
  return summary;
}

std::vector<std::string> frameValueNames(const std::vector<const YtvisTrack*>& tracks) {
  std::set<std::string> names;
  for (const YtvisTrack* track : tracks) {
    for (const auto& entry : track->frame_values) names.insert(entry.first);
  }
  std::vector<std::string> ordered;
  for (const char* preferred : {frame_fields::kPredIou, frame_fields::kQuality}) {
    if (names.erase(preferred)) ordered.emplace_back(preferred);
  }
  ordered.insert(ordered.end(), names.begin(), names.end());
  return ordered;
}

std::optional<double> frameValue(const YtvisTrack& track, const std::string& name, int frame) {
  auto it = track.frame_values.find(name);
  if (it == track.frame_values.end() || frame < 0 || frame >= static_cast<int>(it->second.size())) return {};
  return it->second[frame];
}

}  // namespace autoqvis::widgets
