#include "core/dataset/dataset_stats.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

namespace autoqvis {
namespace {

constexpr double kSmallArea = 32.0 * 32.0;
constexpr double kMediumArea = 96.0 * 96.0;

void countArea(DatasetStats& stats, double area) {
  if (area <= 0) ++stats.empty_masks;
  if (area < kSmallArea) {
    ++stats.small;
  } else if (area < kMediumArea) {
    ++stats.medium;
  } else {
    ++stats.large;
  }
}

std::string resolution(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

}  // namespace

DatasetStats computeStats(const YtvisDataset& dataset) {
  DatasetStats stats;
  stats.videos = static_cast<int64_t>(dataset.videos.size());
  std::map<int64_t, int64_t> tracks_per_video;
  for (const auto& video : dataset.videos) {
    stats.frames += video.length();
    stats.min_length = stats.min_length == 0 ? video.length() : std::min<int64_t>(stats.min_length, video.length());
    stats.max_length = std::max<int64_t>(stats.max_length, video.length());
    ++stats.resolutions[resolution(video.width, video.height)];
    tracks_per_video[video.id] = 0;
  }
  stats.tracks = static_cast<int64_t>(dataset.annotations.size());
  int64_t frames_sum = 0;
  for (const auto& track : dataset.annotations) {
    ++tracks_per_video[track.video_id];
    const int64_t present = track.numPresentFrames();
    frames_sum += present;
    stats.min_track_frames = frames_sum == present ? present : std::min(stats.min_track_frames, present);
    stats.max_track_frames = std::max(stats.max_track_frames, present);
    for (size_t t = 0; t < track.segmentations.size(); ++t) {
      if (!track.segmentations[t]) continue;
      ++stats.instance_frames;
      countArea(stats, t < track.areas.size() && track.areas[t] ? *track.areas[t] : 0.0);
    }
  }
  if (stats.tracks > 0) stats.mean_track_frames = static_cast<double>(frames_sum) / stats.tracks;
  if (stats.videos > 0) stats.mean_tracks_per_video = static_cast<double>(stats.tracks) / stats.videos;
  for (const auto& [id, count] : tracks_per_video) stats.videos_without_tracks += count == 0;
  return stats;
}

DatasetStats computeStats(const CocoDataset& dataset) {
  DatasetStats stats;
  stats.videos = static_cast<int64_t>(dataset.images.size());
  stats.frames = stats.videos;
  stats.min_length = stats.max_length = stats.videos > 0 ? 1 : 0;
  std::map<int64_t, int64_t> per_image;
  for (const auto& image : dataset.images) {
    ++stats.resolutions[resolution(image.width, image.height)];
    per_image[image.id] = 0;
  }
  stats.tracks = static_cast<int64_t>(dataset.annotations.size());
  stats.instance_frames = stats.tracks;
  for (const auto& annotation : dataset.annotations) {
    ++per_image[annotation.image_id];
    countArea(stats, annotation.area);
  }
  stats.min_track_frames = stats.max_track_frames = stats.tracks > 0 ? 1 : 0;
  stats.mean_track_frames = stats.tracks > 0 ? 1.0 : 0.0;
  if (stats.videos > 0) stats.mean_tracks_per_video = static_cast<double>(stats.tracks) / stats.videos;
  for (const auto& [id, count] : per_image) stats.videos_without_tracks += count == 0;
  return stats;
}

std::string formatStats(const DatasetStats& s, const std::string& title) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(2);
  out << title << "\n";
  out << "  videos            " << s.videos << " (" << s.frames << " frames, length " << s.min_length << ".." << s.max_length
      << ")\n";
  out << "  resolutions      ";
  for (const auto& [size, count] : s.resolutions) out << " " << size << " x" << count;
  out << "\n";
  out << "  tracks            " << s.tracks << " (" << s.mean_tracks_per_video << " per video, " << s.videos_without_tracks
      << " videos without any)\n";
  out << "  track frames      " << s.min_track_frames << ".." << s.max_track_frames << ", mean " << s.mean_track_frames
      << "\n";
  out << "  instance-frames   " << s.instance_frames << " (small " << s.small << ", medium " << s.medium << ", large "
      << s.large << ", empty " << s.empty_masks << ")\n";
  return out.str();
}

std::string statsToJson(const DatasetStats& s) {
  nlohmann::json out = {{"videos", s.videos},
                        {"frames", s.frames},
                        {"tracks", s.tracks},
                        {"instance_frames", s.instance_frames},
                        {"empty_masks", s.empty_masks},
                        {"small", s.small},
                        {"medium", s.medium},
                        {"large", s.large},
                        {"min_track_frames", s.min_track_frames},
                        {"max_track_frames", s.max_track_frames},
                        {"mean_track_frames", s.mean_track_frames},
                        {"mean_tracks_per_video", s.mean_tracks_per_video},
                        {"videos_without_tracks", s.videos_without_tracks},
                        {"min_length", s.min_length},
                        {"max_length", s.max_length},
                        {"resolutions", s.resolutions}};
  return out.dump();
}

}  // namespace autoqvis
