#include "core/export/davis_export.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/export/palette_png.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace autoqvis {
namespace fs = std::filesystem;

namespace {

bool safeComponent(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\\') == std::string::npos;
}

// The folder of a video's frames ("<video>/<frame>.jpg" -> "<video>"), or its id when that is not a
// safe name, so that nothing is written outside the output folder.
std::string videoFolder(const YtvisVideo& video) {
  if (!video.file_names.empty()) {
    const fs::path parent = fs::path(video.file_names.front()).parent_path().filename();
    if (safeComponent(parent.string())) return parent.string();
  }
  return std::to_string(video.id);
}

// Frame file stems; frames whose names are unusable or repeat are numbered instead.
std::vector<std::string> frameStems(const YtvisVideo& video) {
  std::vector<std::string> stems;
  std::set<std::string> seen;
  bool usable = true;
  for (const auto& name : video.file_names) {
    stems.push_back(fs::path(name).stem().string());
    usable = usable && safeComponent(stems.back()) && seen.insert(stems.back()).second;
  }
  if (usable) return stems;
  for (int t = 0; t < video.length(); ++t) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%05d", t);
    stems[t] = buffer;
  }
  return stems;
}

}  // namespace

DavisExporter::DavisExporter(const YtvisDataset& dataset, const std::vector<YtvisTrack>& tracks, fs::path out_dir,
                             DavisExportOptions options)
    : Controller("export-davis"), dataset_(dataset), tracks_(tracks), out_dir_(std::move(out_dir)), options_(options) {}

namespace {

// Tracks of one video in palette order (descending score; equal scores keep file order, so the
// numbering is reproducible), checked against the video before anything is written.
std::vector<const YtvisTrack*> paletteOrder(std::vector<const YtvisTrack*> tracks, const YtvisVideo& video,
                                            const ErrorContext& context) {
  std::stable_sort(tracks.begin(), tracks.end(),
                   [](const YtvisTrack* a, const YtvisTrack* b) { return a->score.value_or(0) > b->score.value_or(0); });
  if (tracks.size() > 255) throw Error("has " + std::to_string(tracks.size()) + " tracks; a palette PNG holds 255", context);
  for (const YtvisTrack* track : tracks) {
    ErrorContext track_context = context;
    if (track->id > 0) track_context.annotation_id = track->id;
    if (track->numFrames() != video.length()) {
      throw Error("has " + std::to_string(track->numFrames()) + " per-frame masks but the video has " +
                      std::to_string(video.length()) + " frames",
                  track_context);
    }
    for (int t = 0; t < track->numFrames(); ++t) {
      const auto& mask = track->segmentations[t];
      if (mask && (mask->h != video.height || mask->w != video.width)) {
        track_context.frame = t;
        throw Error("mask size disagrees with the video size", track_context);
      }
    }
  }
  return tracks;
}

}  // namespace

void DavisExporter::run() {
  std::map<int64_t, std::vector<const YtvisTrack*>> by_video;
  for (const auto& track : tracks_) {
    if (track.score && *track.score < options_.min_score) continue;
    by_video[track.video_id].push_back(&track);
  }
  int64_t total_frames = 0;
  for (const auto& video : dataset_.videos) total_frames += video.length();
  auto progress = reporter("export-davis", "frames", total_frames);
  nlohmann::json index = nlohmann::json::object();
  for (const auto& video : dataset_.videos) {
    ErrorContext context = inFile(out_dir_.string());
    context.video_id = video.id;
    const auto tracks = paletteOrder(by_video[video.id], video, context);
    std::string folder = videoFolder(video);
    if (index.contains(folder)) folder += "_" + std::to_string(video.id);  // two videos, one folder name
    const auto stems = frameStems(video);
    nlohmann::json objects = nlohmann::json::object();
    for (size_t k = 0; k < tracks.size(); ++k) {
      objects[std::to_string(k + 1)] = {{"annotation_id", tracks[k]->id}, {"score", tracks[k]->score.value_or(1.0)}};
    }
    index[folder] = {{"video_id", video.id}, {"objects", std::move(objects)}};
    cv::Mat mask(video.height, video.width, CV_8UC1);
    for (int t = 0; t < video.length(); ++t) {
      checkStop();
      cv::Mat indices = cv::Mat::zeros(video.height, video.width, CV_8UC1);
      bool any = false;
      for (size_t k = tracks.size(); k-- > 0;) {  // highest index first, so index 1 ends on top
        const auto& segmentation = tracks[k]->segmentations[t];
        if (!segmentation) continue;
        rleDecode(decompress(*segmentation), mask.data, mask.step);
        indices.setTo(static_cast<int>(k + 1), mask);
        any = true;
      }
      if (any || !options_.skip_empty_frames) {
        writePalettePng(out_dir_ / folder / (stems[t] + ".png"), indices);
        ++frames_written_;
      }
      progress.step(1, folder);
    }
    tracks_written_ += static_cast<int>(tracks.size());
  }
  writeFileAtomically(out_dir_ / "index.json", index.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace autoqvis
