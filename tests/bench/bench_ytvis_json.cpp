// Loading and saving a large YouTube-VIS file: time and peak memory for a dataset of the size of
// YouTube-VIS 2019 train with full-resolution masks. Run: build/tests/bench/bench_ytvis_json [videos]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <string>

#include "core/dataset/ytvis_json.h"
#include "core/util/atomic_file.h"

using namespace autoqvis;
using Clock = std::chrono::steady_clock;

namespace {

double peakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

YtvisDataset makeDataset(int videos, int frames, int tracks_per_video) {
  YtvisDataset d;
  d.categories.push_back({});
  const int h = 720, w = 1280;
  cv::Mat mask(h, w, CV_8UC1);
  int64_t next_id = 1;
  for (int v = 0; v < videos; ++v) {
    YtvisVideo video{v + 1, w, h, {}};
    for (int t = 0; t < frames; ++t) video.file_names.push_back("v" + std::to_string(v) + "/" + std::to_string(t) + ".jpg");
    d.videos.push_back(video);
    for (int k = 0; k < tracks_per_video; ++k) {
      YtvisTrack track;
      track.id = next_id++;
      track.video_id = video.id;
      for (int t = 0; t < frames; ++t) {
        mask.setTo(0);
        cv::ellipse(mask, {200 + 10 * t + 150 * k, 300 + 3 * k}, {120 + t, 80 + k * 5}, 10.0 * t, 0, 360, 1, cv::FILLED);
        track.segmentations.push_back(compress(rleEncode(mask.data, h, w, mask.step)));
      }
      track.computeAreasAndBoxes();
      d.annotations.push_back(std::move(track));
    }
  }
  return d;
}

}  // namespace

void loadAndReport(const std::filesystem::path& path) {
  const double before = peakRssMb();
  auto start = Clock::now();
  const YtvisDataset loaded = loadYtvisDataset(path);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  size_t mask_bytes = 0;
  for (const auto& t : loaded.annotations)
    for (const auto& s : t.segmentations) mask_bytes += s ? s->counts.size() : 0;
  std::printf("load: %.2f s (%.1f MB/s), peak RSS %.0f MB (%.0f MB before), compressed masks %.1f MB\n", seconds,
              std::filesystem::file_size(path) / 1e6 / seconds, peakRssMb(), before, mask_bytes / 1e6);
}

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--load") {
    loadAndReport(argv[2]);
    return 0;
  }
  const int videos = argc > 1 ? std::atoi(argv[1]) : 2238;
  const auto path = std::filesystem::temp_directory_path() / "autoqvis_bench_ytvis.json";
  {
    const YtvisDataset d = makeDataset(videos, 36, 2);
    auto start = Clock::now();
    saveYtvisDataset(d, path);
    std::printf("save: %d videos, %zu tracks, %.1f MB in %.2f s\n", videos, d.annotations.size(),
                std::filesystem::file_size(path) / 1e6, std::chrono::duration<double>(Clock::now() - start).count());
  }
  // Load in a fresh process so that its peak memory is the loader's alone.
  std::fflush(stdout);
  const std::string command = std::string(argv[0]) + " --load " + path.string();
  if (std::system(command.c_str()) != 0) std::printf("load failed\n");
  std::filesystem::remove(path);
  return 0;
}
