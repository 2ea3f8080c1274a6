// Benchmark of FfmpegVideoSource: frames per second for sequential playback and for random access
// (uniformly random indices, each a seek to the nearest keyframe and a decode forward). Without
// arguments it encodes 640x360, 300-frame test videos (MPEG-4 part 2 and, when the FFmpeg build has
// libx264, H.264) into a temporary folder; with arguments it measures the given video files.
//
//   bench_video_decode [--threads N] [video ...]
extern "C" {
#include <libavutil/log.h>
}

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/video/ffmpeg_video_source.h"
#include "core/util/error.h"
#include "tests/support/synthetic_video.h"

namespace fs = std::filesystem;
using autoqvis::FfmpegVideoSource;

namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 360;
constexpr int kFrames = 300;
constexpr int kRandomAccesses = 100;

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void bench(const fs::path& path, const std::string& label, int threads) {
  auto start = std::chrono::steady_clock::now();
  FfmpegVideoSource sequential(path, threads);
  const double open_s = secondsSince(start);
  const int count = sequential.frameCount();
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) sequential.frame(i);
  const double sequential_s = secondsSince(start);

  FfmpegVideoSource random(path, threads);
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> pick(0, count - 1);
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRandomAccesses; ++i) random.frame(pick(rng));
  const double random_s = secondsSince(start);

  std::printf(
      "%-28s %4d frames %4dx%-4d open %6.1f ms | sequential %7.1f frames/s | random %6.1f frames/s "
      "(%.1f decoded per access, %lld seeks)\n",
      label.c_str(), count, sequential.frameSize().width, sequential.frameSize().height, open_s * 1e3,
      count / sequential_s, kRandomAccesses / random_s,
      static_cast<double>(random.decodedFrameCount()) / kRandomAccesses,
      static_cast<long long>(random.seekCount()));
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 0;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--threads" && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else {
      files.emplace_back(arg);
    }
  }
  av_log_set_level(AV_LOG_ERROR);
  try {
    if (!files.empty()) {
      for (const fs::path& file : files) bench(file, file.filename().string(), threads);
      return 0;
    }
    const fs::path dir = fs::temp_directory_path() / ("autoqvis-bench-video-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    struct Case {
      const char* file;
      const char* encoder;
      int gop;
      int b_frames;
      const char* label;
    } cases[] = {
        {"mpeg4_gop12_b2.mp4", "mpeg4", 12, 2, "mpeg4 gop12 b2 (mp4)"},
        {"h264_gop60_b3.mp4", "libx264", 60, 3, "h264 gop60 b3 (mp4)"},
        {"h264_gop250_b3.mkv", "libx264", 250, 3, "h264 gop250 b3 (mkv)"},
    };
    std::printf("decoder threads: %s\n", threads == 0 ? "auto" : std::to_string(threads).c_str());
    for (const Case& c : cases) {
      const fs::path path = dir / c.file;
      autoqvis::testing::SyntheticVideoSpec spec;
      spec.encoder = c.encoder;
      spec.size = {kWidth, kHeight};
      spec.frames = kFrames;
      spec.gop = c.gop;
      spec.max_b_frames = c.b_frames;
      spec.bit_rate = 1500000;
      spec.frame = autoqvis::testing::texturedFrame;
      if (!autoqvis::testing::writeSyntheticVideo(path, spec)) {
        std::printf("%-28s skipped: no %s encoder\n", c.label, c.encoder);
        continue;
      }
      bench(path, c.label, threads);
    }
    fs::remove_all(dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_video_decode: %s\n", e.what());
    return 1;
  }
  return 0;
}
