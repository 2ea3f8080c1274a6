// VideoSource: one video as a random-access sequence of RGB frames, whether it is stored as a folder of
// images (YouTube-VIS JPEGImages/<video>/) or as a video file read through FFmpeg. Everything above
// core/io (data loading, prediction, the GUI timeline) sees only this interface.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace autoqvis {

/// Nominal frame rate of a frame folder. YouTube-VIS ships every 5th frame of 30 fps footage, so its
/// JPEGImages folders play back at 6 frames per second; a folder carries no rate of its own.
inline constexpr double kDefaultFrameFolderFps = 6.0;

class VideoSource {
 public:
  virtual ~VideoSource() = default;

  /// Number of frames; frames are addressed by index 0..frameCount()-1 in presentation order.
  virtual int frameCount() const = 0;
  /// Size of frame 0 (folders) or of the stream (files). Every frame returned has this size.
  virtual cv::Size frameSize() const = 0;
  /// Frames per second: the stream's rate for files, a nominal rate for folders.
  virtual double fps() const = 0;
  /// Frame `index` as CV_8UC3 in RGB order. Throws Error naming the file and frame for an index out of
  /// range or a missing, corrupt or undecodable frame. Sources are not thread-safe (they keep decoder
  /// and file state); use one source per thread.
  virtual cv::Mat frame(int index) = 0;
  /// The folder or file this video was opened from (for messages and display).
  virtual std::string path() const = 0;
};

/// Opens a directory as a frame folder (its *.jpg, *.jpeg and *.png files in natural sort order, at
/// kDefaultFrameFolderFps) and any other path as a video file through FFmpeg. Throws Error naming the
/// path when it does not exist or cannot be opened.
std::unique_ptr<VideoSource> openVideoSource(const std::filesystem::path& path);

/// Opens an explicit, already ordered list of frame files (the `file_names` of a YouTube-VIS video).
std::unique_ptr<VideoSource> openFrameList(std::vector<std::filesystem::path> files);

}  // namespace autoqvis
