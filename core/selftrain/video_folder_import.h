// Unlabeled videos from a folder of video files (mp4, avi, mov, mkv, webm, ...): each file is decoded
// through FFmpeg and sampled at YouTube-VIS's rate (6 frames per second: every 5th frame of 30 fps
// footage) into JPEGImages/<name>/00000.jpg ..., and listed in a YouTube-VIS videos.json, the layout the
// rounds read. A controller (progress, stop token); the JSON is written last, so an interrupted import
// never leaves a list naming missing frames. `import-videos` and the New project dialog run it.
#pragma once

#include <filesystem>
#include <vector>

#include "core/util/controller.h"

namespace autoqvis {

/// The video files in `folder` (by extension), sorted by name.
std::vector<std::filesystem::path> videoFilesIn(const std::filesystem::path& folder);

/// Output of an import under `root`: root/JPEGImages and root/videos.json.
struct ImportedVideoFiles {
  std::filesystem::path root;
  std::filesystem::path frames() const { return root / "JPEGImages"; }
  std::filesystem::path videos() const { return root / "videos.json"; }
};

class VideoFolderImport : public Controller {
 public:
  /// `fps`: the sampled rate (a video slower than it keeps every frame).
  VideoFolderImport(std::filesystem::path folder, std::filesystem::path out_root, double fps = 6.0);
  void run() override;
  int videosWritten() const { return videos_; }
  int framesWritten() const { return frames_; }

 private:
  std::filesystem::path folder_;
  ImportedVideoFiles out_;
  double fps_;
  int videos_ = 0, frames_ = 0;
};

}  // namespace autoqvis
