#include "core/selftrain/video_folder_import.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>

#include "core/dataset/ytvis_json.h"
#include "core/util/error.h"
#include "core/video/image_io.h"
#include "core/video/video_source.h"

namespace autoqvis {
namespace fs = std::filesystem;

namespace {

bool isVideoFile(const fs::path& path) {
  static const std::set<std::string> extensions = {".mp4", ".avi", ".mov", ".mkv", ".webm",
                                                   ".m4v", ".mpg", ".mpeg", ".wmv", ".flv"};
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return extensions.count(ext) > 0;
}

std::string frameName(int index) {
  char name[16];
  std::snprintf(name, sizeof(name), "%05d.jpg", index);
  return name;
}

}  // namespace

std::vector<fs::path> videoFilesIn(const fs::path& folder) {
  std::vector<fs::path> files;
  if (!fs::is_directory(folder)) return files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && isVideoFile(entry.path())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

VideoFolderImport::VideoFolderImport(fs::path folder, fs::path out_root, double fps)
    : Controller("import-videos"), folder_(std::move(folder)), out_{std::move(out_root)}, fps_(fps) {}

void VideoFolderImport::run() {
  const std::vector<fs::path> files = videoFilesIn(folder_);
  if (files.empty()) throw Error("no video files (mp4, avi, mov, mkv, webm, ...) in this folder", inFile(folder_.string()));
  std::set<std::string> names;
  for (const fs::path& file : files) {
    if (!names.insert(file.stem().string()).second) {
      throw Error("two videos are named " + file.stem().string() + "; rename one", inFile(file.string()));
    }
  }
  YtvisDataset dataset;
  dataset.categories = {YtvisCategory{}};
  ProgressReporter progress = reporter(jobName(), "videos", static_cast<int64_t>(files.size()));
  for (const fs::path& file : files) {
    checkStop();
    std::unique_ptr<VideoSource> source = openVideoSource(file);
    const int step = std::max(1, static_cast<int>(std::lround(source->fps() / fps_)));
    YtvisVideo video;
    video.id = static_cast<int64_t>(dataset.videos.size()) + 1;
    video.width = source->frameSize().width;
    video.height = source->frameSize().height;
    const std::string name = file.stem().string();
    fs::create_directories(out_.frames() / name);
    for (int index = 0, written = 0; index < source->frameCount(); index += step, ++written) {
      checkStop();
      const std::string frame = name + "/" + frameName(written);
      writeImageRgb(out_.frames() / frame, source->frame(index));
      video.file_names.push_back(frame);
      ++frames_;
    }
    if (video.file_names.empty()) throw Error("the video has no frames", inFile(file.string()));
    dataset.videos.push_back(std::move(video));
    ++videos_;
    progress.step(1, name);
  }
  dataset.reindex();
  saveYtvisDataset(dataset, out_.videos());
  reportArtifact(out_.videos());
}

}  // namespace autoqvis
