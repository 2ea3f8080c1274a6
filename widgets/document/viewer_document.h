// What the viewer has open: a YouTube-VIS dataset (frames folder + JSON) or a COCO image set (stills
// as one-frame videos), optionally with a results or pseudo-label file on top, or a plain video file
// with the results that name it. Loading resolves the
// frames folder, checks that frames exist and groups tracks by video, so that the GUI only shows it.
// Qt-free: loadViewerDocument runs on a background thread and throws autoqvis::Error with context.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/video/video_source.h"
#include "core/dataset/coco_as_videos.h"
#include "core/dataset/ytvis_json.h"

namespace autoqvis::widgets {

/// What to open; the Open dialog and the command line fill it.
struct OpenRequest {
  std::filesystem::path dataset;      ///< YouTube-VIS dataset JSON; empty when opening `video_file`
  std::filesystem::path frames_root;  ///< frame folders; empty = the dataset JSON's sibling JPEGImages
  std::filesystem::path results;      ///< optional results list or pseudo-label dataset JSON
  std::filesystem::path video_file;   ///< a plain video file (mp4, avi, ...), read through FFmpeg
  /// With `video_file`: the results' video_id that names the file (default: the only one, or the first).
  std::optional<int64_t> video_id;
};

enum class TrackOrigin { GroundTruth, Results, None };

/// One video of the document with its tracks.
struct ViewerVideo {
  int64_t id = 0;
  std::string name;  ///< frame folder name (e.g. "val_0001") or the video file's name
  int width = 0;
  int height = 0;
  int frames = 0;
  std::vector<int> tracks;  ///< indices into ViewerDocument::tracks, in file order
  int masks = 0;            ///< masks over all its tracks and frames
};

struct ViewerDocument {
  OpenRequest request;  ///< as opened, with frames_root resolved
  TrackOrigin origin = TrackOrigin::None;
  YtvisDataset dataset;             ///< the videos (one made-up entry for a plain video file)
  std::vector<YtvisTrack> tracks;   ///< the tracks shown: the results when given, else the annotations
  std::vector<int64_t> track_keys;  ///< per track: annotation id, or 1-based position in the results file
  std::vector<ViewerVideo> videos;  ///< same order as dataset.videos
  std::vector<std::string> frame_value_names;  ///< per-frame values the tracks carry (pred_iou, quality, ...)
  double fps = 0;  ///< the file's rate for a video file; 0 = the frame source decides

  /// Index into `videos` of the video with this id, or -1.
  int videoIndexById(int64_t id) const;
  /// Index of the video named by `id_or_name` (an id, or a folder/file name), or -1.
  int findVideo(const std::string& id_or_name) const;
  /// Opens the frames of videos[index]. Decodes a frame (folders) or scans a file: call it off the
  /// GUI thread. Throws Error naming the folder or file.
  std::unique_ptr<VideoSource> openFrames(int index) const;
  /// The tracks of videos[index].
  std::vector<const YtvisTrack*> videoTracks(int index) const;
  /// "videos.json + predictions.json", for the window title.
  std::string title() const;
};

/// The default frames folder of a dataset JSON: its sibling `JPEGImages`.
std::filesystem::path defaultFramesRoot(const std::filesystem::path& dataset_json);
/// The default image folder of a COCO image set: its sibling `images` when there is one, else its own.
std::filesystem::path defaultImagesRoot(const std::filesystem::path& coco_json);

/// Loads what `request` names. Throws Error naming the file and the problem: unreadable or malformed
/// JSON, results that name unknown videos, a missing frames folder, no frames found for any video.
/// Videos of which only some have their frames are accepted with a warning in the log.
std::shared_ptr<const ViewerDocument> loadViewerDocument(const OpenRequest& request);

}  // namespace autoqvis::widgets
