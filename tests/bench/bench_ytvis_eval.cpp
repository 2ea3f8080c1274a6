// YouTube-VIS evaluation speed and memory on a generated case the size the issue names: 300 videos x 36
// frames x 5 instances at 1280x720 with 10 predictions per video (the official Python evaluator needs
// about 6.5 s and 260 MB on a 2-core machine). The files are generated and saved first, then the program
// re-runs itself with --evaluate so that the peak memory (ru_maxrss) is that of loading + evaluating alone.
// Run: build/tests/bench/bench_ytvis_eval [videos] [threads]
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "core/util/parallel_for.h"
#include "core/eval/ytvis_eval.h"
#include "core/dataset/ytvis_json.h"
#include "core/util/log.h"

using namespace autoqvis;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kH = 720, kW = 1280, kFrames = 36, kObjects = 5, kPredictions = 10;

double peakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// A filled ellipse as COCO RLE, built column by column (no pixel buffer): fast enough to generate
// hundreds of thousands of full-HD-ish masks.
CompressedRle ellipseRle(double cx, double cy, double rx, double ry) {
  std::vector<uint32_t> counts;
  uint64_t cursor = 0;  // end of the last foreground interval
  bool open = false;    // the last interval reaches the end of its column and may continue
  for (int x = 0; x < kW; ++x) {
    const double dx = (x - cx) / rx;
    if (std::abs(dx) > 1) continue;
    const double half = ry * std::sqrt(1 - dx * dx);
    const int y0 = std::max(0, static_cast<int>(std::ceil(cy - half)));
    const int y1 = std::min(kH - 1, static_cast<int>(std::floor(cy + half)));
    if (y0 > y1) continue;
    const uint64_t start = static_cast<uint64_t>(x) * kH + y0, end = static_cast<uint64_t>(x) * kH + y1 + 1;
    if (open && start == cursor) {
      counts.back() += static_cast<uint32_t>(end - start);  // joins the previous column's run
    } else {
      counts.push_back(static_cast<uint32_t>(start - cursor));
      counts.push_back(static_cast<uint32_t>(end - start));
    }
    cursor = end;
    open = y1 == kH - 1;
  }
  counts.push_back(static_cast<uint32_t>(static_cast<uint64_t>(kH) * kW - cursor));
  return compress(Rle{kH, kW, std::move(counts)});
}

struct Object {
  double x, y, vx, vy, rx, ry;
  int first, last;  // frames where it is visible
};

YtvisTrack objectTrack(const Object& o, double jitter, std::mt19937& rng) {
  std::normal_distribution<double> noise(0.0, jitter);
  YtvisTrack track;
  for (int t = 0; t < kFrames; ++t) {
    if (t < o.first || t > o.last) {
      track.segmentations.push_back(std::nullopt);
      continue;
    }
    track.segmentations.push_back(ellipseRle(o.x + o.vx * t + noise(rng), o.y + o.vy * t + noise(rng),
                                             o.rx + noise(rng), o.ry + noise(rng)));
  }
  return track;
}

void generate(int videos, const std::filesystem::path& gt_path, const std::filesystem::path& results_path) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  YtvisDataset gt;
  gt.categories.push_back({});
  std::vector<YtvisTrack> results;
  int64_t next_id = 1;
  for (int v = 0; v < videos; ++v) {
    YtvisVideo video{v + 1, kW, kH, {}};
    for (int t = 0; t < kFrames; ++t)
      video.file_names.push_back("v" + std::to_string(v) + "/" + std::to_string(t) + ".jpg");
    gt.videos.push_back(video);
    std::vector<Object> objects;
    for (int k = 0; k < kObjects; ++k) {
      // Sizes from tiny to large so that every area range is populated.
      const double r = 10 + 250 * u(rng) * u(rng);
      const int first = u(rng) < 0.3 ? static_cast<int>(u(rng) * 12) : 0;
      objects.push_back({100 + 1080 * u(rng), 80 + 560 * u(rng), 6 * (u(rng) - 0.5), 4 * (u(rng) - 0.5), r,
                         r * (0.5 + u(rng)), first,
                         kFrames - 1 - (u(rng) < 0.3 ? static_cast<int>(u(rng) * 12) : 0)});
      YtvisTrack track = objectTrack(objects.back(), 0.0, rng);
      track.id = next_id++;
      track.video_id = video.id;
      track.computeAreasAndBoxes();
      gt.annotations.push_back(std::move(track));
    }
    // Ten predictions: a noisy copy of each object, plus a second, worse copy or a false positive.
    for (int p = 0; p < kPredictions; ++p) {
      Object o = objects[p % kObjects];
      if (p >= kObjects) {
        if (u(rng) < 0.5) {
          o.x = 100 + 1080 * u(rng), o.y = 80 + 560 * u(rng);
        } else {
          o.rx *= 1.4, o.ry *= 0.8;
        }
      }
      o.first = 0, o.last = kFrames - 1;  // the model predicts a mask on every frame
      YtvisTrack track = objectTrack(o, 2.0 + 4.0 * u(rng), rng);
      track.video_id = video.id;
      track.score = u(rng);
      results.push_back(std::move(track));
    }
  }
  saveYtvisDataset(gt, gt_path);
  saveYtvisResults(results, results_path);
  std::printf(
      "generated %d videos x %d frames x %d instances (%dx%d), %d predictions per video: GT %.1f MB, "
      "results %.1f MB\n",
      videos, kFrames, kObjects, kW, kH, kPredictions, std::filesystem::file_size(gt_path) / 1e6,
      std::filesystem::file_size(results_path) / 1e6);
}

int evaluate(const std::string& gt_path, const std::string& results_path, int threads) {
  auto start = Clock::now();
  const YtvisDataset gt = loadYtvisDataset(gt_path);
  const auto results = loadYtvisResults(results_path, &gt, ResultsCheck::Official);
  const double load_s = secondsSince(start);
  const double load_rss = peakRssMb();
  std::printf("load:     %.2f s (peak RSS %.0f MB)\n", load_s, load_rss);
  for (int t : {1, threads}) {
    start = Clock::now();
    const YtvisMetrics m = evaluateYtvis(gt, results, EvalProtocol::VideoCutler, t);
    std::printf("evaluate: %.3f s with %d thread%s  AP %.4f AP50 %.4f AR10 %.4f\n", secondsSince(start), t,
                t == 1 ? "" : "s", m.AP, m.AP50, m.AR10);
  }
  std::printf("peak RSS of load + evaluation: %.0f MB\n", peakRssMb());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  setLogLevel(LogLevel::Warning);
  if (argc == 5 && std::string(argv[1]) == "--evaluate")
    return evaluate(argv[2], argv[3], std::atoi(argv[4]));
  const int videos = argc > 1 ? std::atoi(argv[1]) : 300;
  const int threads = argc > 2 ? std::atoi(argv[2]) : 0;
  const auto dir = std::filesystem::temp_directory_path();
  const auto gt_path = dir / "autoqvis_bench_eval_gt.json",
             results_path = dir / "autoqvis_bench_eval_results.json";
  const auto start = Clock::now();
  generate(videos, gt_path, results_path);
  std::printf("generation: %.1f s\n", secondsSince(start));
  std::fflush(stdout);
  // A fresh process, so that ru_maxrss covers loading and evaluating only.
  const std::string command = "\"" + std::filesystem::canonical("/proc/self/exe").string() +
                              "\" --evaluate \"" + gt_path.string() + "\" \"" + results_path.string() +
                              "\" " + std::to_string(resolveThreadCount(threads));
  const int status = std::system(command.c_str());
  std::filesystem::remove(gt_path);
  std::filesystem::remove(results_path);
  return status == 0 ? 0 : 1;
}
