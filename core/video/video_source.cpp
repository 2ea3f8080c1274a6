#include "core/video/video_source.h"

#include <system_error>

#include "core/video/ffmpeg_video_source.h"
#include "core/video/frame_folder_source.h"
#include "core/util/error.h"

namespace autoqvis {

std::unique_ptr<VideoSource> openVideoSource(const std::filesystem::path& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    throw Error("no such file or directory", inFile(path.string()));
  }
  if (std::filesystem::is_directory(status)) {
    return std::make_unique<FrameFolderSource>(FrameFolderSource::listFrames(path));
  }
  return std::make_unique<FfmpegVideoSource>(path);
}

std::unique_ptr<VideoSource> openFrameList(std::vector<std::filesystem::path> files) {
  return std::make_unique<FrameFolderSource>(std::move(files));
}

}  // namespace autoqvis
