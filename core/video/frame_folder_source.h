// FrameFolderSource: a video stored as one image file per frame, the layout of YouTube-VIS
// (JPEGImages/<video>/00000.jpg, ...). Frames are read on demand; nothing is kept in memory.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/video/video_source.h"

namespace autoqvis {

class FrameFolderSource : public VideoSource {
 public:
  /// `files` are the frames in order; must not be empty. Reads frame 0 to learn the frame size, so a
  /// missing or corrupt first frame fails here rather than later.
  explicit FrameFolderSource(std::vector<std::filesystem::path> files, double fps = kDefaultFrameFolderFps);

  /// The image files (*.jpg, *.jpeg, *.png, any case) directly inside `directory`, in natural order.
  /// Throws Error when the directory cannot be listed or holds no images.
  static std::vector<std::filesystem::path> listFrames(const std::filesystem::path& directory);

  int frameCount() const override { return static_cast<int>(files_.size()); }
  cv::Size frameSize() const override { return size_; }
  double fps() const override { return fps_; }
  cv::Mat frame(int index) override;
  std::string path() const override { return path_; }

  const std::vector<std::filesystem::path>& files() const { return files_; }

 private:
  std::vector<std::filesystem::path> files_;
  double fps_;
  std::string path_;  // the folder holding frame 0
  cv::Size size_;
};

/// Natural order: digit runs compare by value ("frame2" < "frame10"), everything else byte-wise. For
/// zero-padded names (YouTube-VIS) it equals the plain lexicographic order.
bool naturalLess(const std::string& a, const std::string& b);

}  // namespace autoqvis
