#include "widgets/document/viewer_document.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <system_error>

#include "core/util/error.h"
#include "core/util/log.h"
#include "widgets/document/track_summary.h"

namespace autoqvis::widgets {

namespace fs = std::filesystem;

namespace {

bool isFile(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

bool isDirectory(const fs::path& path) {
  std::error_code error;
  return fs::is_directory(path, error);
}

void requireFile(const fs::path& path, const std::string& what) {
  if (!isFile(path)) throw Error(what + " not found", inFile(path.string()));
}

// Results are a JSON list; pseudo-labels may also come as a whole dataset (object with annotations).
bool startsWithObject(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  char c = 0;
  while (in.get(c)) {
    if (c == '{') return true;
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\xEF' && c != '\xBB' && c != '\xBF')
      return false;
  }
  return false;
}

// Tracks of a results list or of a pseudo-label dataset, checked against `videos` when given.
std::vector<YtvisTrack> loadTrackFile(const fs::path& path, const YtvisDataset* videos) {
  if (!startsWithObject(path)) {
    // Tolerant like the official evaluator: a viewer should show a file with a frame-count slip.
    return loadYtvisResults(path, videos, ResultsCheck::Official);
  }
  YtvisDataset labels = loadYtvisDataset(path);
  if (videos) {
    for (const YtvisTrack& track : labels.annotations) {
      if (!videos->findVideo(track.video_id)) {
        ErrorContext context = inFile(path.string());
        context.video_id = track.video_id;
        context.annotation_id = track.id;
        throw Error("label refers to a video id that is not in the dataset", context);
      }
    }
  }
  return std::move(labels.annotations);
}

std::string videoName(const YtvisVideo& video) {
  if (!video.file_names.empty()) {
    const fs::path folder = fs::path(video.file_names.front()).parent_path().filename();
    if (!folder.empty()) return folder.string();
    if (video.length() == 1) return video.file_names.front();  // a still of an image set
  }
  return "video " + std::to_string(video.id);
}

void checkFramesPresent(const YtvisDataset& dataset, const fs::path& root) {
  if (!isDirectory(root)) {
    throw Error("frames folder not found (choose it with --frames or in the Open dialog)",
                inFile(root.string()));
  }
  int missing = 0;
  fs::path first_missing;
  for (const YtvisVideo& video : dataset.videos) {
    if (video.file_names.empty()) continue;
    const fs::path first = root / video.file_names.front();
    if (!isFile(first)) {
      if (missing++ == 0) first_missing = first;
    }
  }
  if (missing == 0) return;
  if (missing == static_cast<int>(dataset.videos.size())) {
    throw Error("no frames found for any of the " + std::to_string(missing) + " videos under " +
                    root.string() + " (the first expected frame is missing)",
                inFile(first_missing.string()));
  }
  logWarning(std::to_string(missing) + " of " + std::to_string(dataset.videos.size()) +
             " videos have no frames under " + root.string() + ", e.g. " + first_missing.string() +
             " is missing");
}

// Which results video id a plain video file stands for.
int64_t chooseVideoId(const std::vector<YtvisTrack>& tracks, const OpenRequest& request) {
  std::vector<int64_t> ids;
  for (const YtvisTrack& track : tracks) {
    if (std::find(ids.begin(), ids.end(), track.video_id) == ids.end()) ids.push_back(track.video_id);
  }
  if (request.video_id) {
    if (!tracks.empty() && std::find(ids.begin(), ids.end(), *request.video_id) == ids.end()) {
      ErrorContext context = inFile(request.results.string());
      context.video_id = *request.video_id;
      throw Error("no result names this video id", context);
    }
    return *request.video_id;
  }
  if (ids.empty()) return 1;
  if (ids.size() > 1) {
    logWarning(request.results.string() + " names " + std::to_string(ids.size()) +
               " videos; showing video_id " + std::to_string(ids.front()) + " on " +
               request.video_file.string() + " (choose another with --video)");
  }
  return ids.front();
}

void loadVideoFile(const OpenRequest& request, ViewerDocument& document) {
  requireFile(request.video_file, "video file");
  const std::unique_ptr<VideoSource> source = openVideoSource(request.video_file);
  std::vector<YtvisTrack> tracks;
  if (!request.results.empty()) {
    requireFile(request.results, "results file");
    tracks = loadTrackFile(request.results, nullptr);
  }
  const int64_t id = chooseVideoId(tracks, request);
  YtvisVideo video;
  video.id = id;
  video.width = source->frameSize().width;
  video.height = source->frameSize().height;
  const std::string file_name = request.video_file.filename().string();
  for (int f = 0; f < source->frameCount(); ++f)
    video.file_names.push_back(file_name + "#" + std::to_string(f));
  int mismatched = 0;
  for (size_t i = 0; i < tracks.size(); ++i) {
    if (tracks[i].video_id != id) continue;
    if (tracks[i].numFrames() != video.length()) ++mismatched;
    document.tracks.push_back(std::move(tracks[i]));
    document.track_keys.push_back(static_cast<int64_t>(i) + 1);
  }
  if (mismatched > 0) {
    logWarning(std::to_string(mismatched) + " results have a frame count other than the " +
               std::to_string(video.length()) + " frames of " + request.video_file.string() +
               "; their masks are shown on the frames they cover");
  }
  document.fps = source->fps();
  document.dataset.videos.push_back(std::move(video));
  document.dataset.reindex();
  document.origin = request.results.empty() ? TrackOrigin::None : TrackOrigin::Results;
}

void loadDataset(ViewerDocument& document) {
  OpenRequest& request = document.request;
  requireFile(request.dataset, "dataset file");
  bool image_set = false;
  document.dataset = loadVideosOrImageSet(request.dataset, &image_set);
  if (request.frames_root.empty()) {
    request.frames_root = image_set ? defaultImagesRoot(request.dataset) : defaultFramesRoot(request.dataset);
  }
  checkFramesPresent(document.dataset, request.frames_root);
  if (!request.results.empty()) {
    requireFile(request.results, "results file");
    document.tracks = loadTrackFile(request.results, &document.dataset);
    document.origin = TrackOrigin::Results;
    for (size_t i = 0; i < document.tracks.size(); ++i) {
      document.track_keys.push_back(document.tracks[i].id > 0 ? document.tracks[i].id
                                                              : static_cast<int64_t>(i) + 1);
    }
  } else {
    document.tracks = std::move(document.dataset.annotations);
    document.dataset.annotations.clear();
    document.origin = document.tracks.empty() ? TrackOrigin::None : TrackOrigin::GroundTruth;
    for (const YtvisTrack& track : document.tracks) document.track_keys.push_back(track.id);
  }
}

void groupByVideo(ViewerDocument& document) {
  for (const YtvisVideo& video : document.dataset.videos) {
    ViewerVideo entry;
    entry.id = video.id;
    entry.name = document.request.video_file.empty() ? videoName(video)
                                                     : document.request.video_file.filename().string();
    entry.width = video.width;
    entry.height = video.height;
    entry.frames = video.length();
    document.videos.push_back(std::move(entry));
  }
  std::vector<const YtvisTrack*> all;
  for (size_t i = 0; i < document.tracks.size(); ++i) {
    const int index = document.videoIndexById(document.tracks[i].video_id);
    if (index < 0) continue;
    document.videos[index].tracks.push_back(static_cast<int>(i));
    document.videos[index].masks += document.tracks[i].numPresentFrames();
    all.push_back(&document.tracks[i]);
  }
  document.frame_value_names = frameValueNames(all);
}

}  // namespace

fs::path defaultFramesRoot(const fs::path& dataset_json) { return dataset_json.parent_path() / "JPEGImages"; }

fs::path defaultImagesRoot(const fs::path& coco_json) {
  const fs::path images = coco_json.parent_path() / "images";
  return fs::is_directory(images) ? images : coco_json.parent_path();
}

int ViewerDocument::videoIndexById(int64_t id) const { return dataset.videoIndex(id); }

int ViewerDocument::findVideo(const std::string& id_or_name) const {
  for (size_t i = 0; i < videos.size(); ++i) {
    if (videos[i].name == id_or_name || std::to_string(videos[i].id) == id_or_name)
      return static_cast<int>(i);
  }
  return -1;
}

std::unique_ptr<VideoSource> ViewerDocument::openFrames(int index) const {
  if (!request.video_file.empty()) return openVideoSource(request.video_file);
  const YtvisVideo& video = dataset.videos.at(static_cast<size_t>(index));
  std::vector<fs::path> files;
  files.reserve(video.file_names.size());
  for (const std::string& name : video.file_names) files.push_back(request.frames_root / name);
  try {
    return openFrameList(std::move(files));
  } catch (const Error& e) {
    ErrorContext context;
    context.video_id = video.id;
    throw e.withContext(context);
  }
}

std::vector<const YtvisTrack*> ViewerDocument::videoTracks(int index) const {
  std::vector<const YtvisTrack*> out;
  if (index < 0 || index >= static_cast<int>(videos.size())) return out;
  for (int t : videos[index].tracks) out.push_back(&tracks[t]);
  return out;
}

std::string ViewerDocument::title() const {
  std::string title = (request.video_file.empty() ? request.dataset : request.video_file).filename().string();
  if (!request.results.empty()) title += " + " + request.results.filename().string();
  return title;
}

std::shared_ptr<const ViewerDocument> loadViewerDocument(const OpenRequest& request) {
  auto document = std::make_shared<ViewerDocument>();
  document->request = request;
  if (!request.video_file.empty()) {
    loadVideoFile(request, *document);
  } else if (!request.dataset.empty()) {
    loadDataset(*document);
  } else {
    throw Error("nothing to open: name a dataset JSON or a video file");
  }
  groupByVideo(*document);
  return document;
}

}  // namespace autoqvis::widgets
