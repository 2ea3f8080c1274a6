// Pseudo-label selection at a moving tau: ms per tau of SelectionIndex::evaluate (marking, object
// filter, running merge, frame filter, counts) at about 10k / 100k / 1M per-frame labels, the
// one-off build time, and memory. Synthetic round 1: 10 predictions per video (some duplicates
// that NMS removes) merged into a round-0 state. Target: < 16 ms per tau at 1M labels.
// Run: build/tests/bench/bench_selection
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "core/selftrain/pseudo_labels.h"

using namespace autoqvis;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kH = 36, kW = 48, kFrames = 20, kObjects = 6, kPredictions = 10;

double seconds(Clock::time_point since) { return std::chrono::duration<double>(Clock::now() - since).count(); }

// Resident memory now and at peak, in MiB.
double residentMiB() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096.0 / (1 << 20);
}
double peakMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

CompressedRle boxMask(int x, int y, int w, int h) {
  std::vector<uint8_t> m(kH * kW, 0);
  for (int yy = std::max(0, y); yy < std::min(kH, y + h); ++yy) {
    for (int xx = std::max(0, x); xx < std::min(kW, x + w); ++xx) m[yy * kW + xx] = 1;
  }
  return compress(rleEncode(m.data(), kH, kW));
}

struct Synthetic {
  YtvisDataset dataset;
  std::vector<YtvisTrack> round0, round1;
};

// Objects move a pixel per frame; each round predicts them with jitter, random confidence and
// per-frame predicted IoU, some empty frames, and a few near-duplicates.
std::vector<YtvisTrack> predict(const YtvisVideo& video, std::mt19937& rng, int round) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<YtvisTrack> out;
  for (int p = 0; p < kPredictions; ++p) {
    const int object = p % kObjects;
    YtvisTrack t;
    t.video_id = video.id;
    t.score = static_cast<float>(0.2 + 0.8 * u(rng));
    auto& pred_iou = t.frame_values["pred_iou"];
    const int x0 = (object * 7) % (kW - 10), y0 = (object * 5) % (kH - 10);
    const int jitter = (p >= kObjects ? 1 : 0) + round;
    for (int f = 0; f < kFrames; ++f) {
      if (u(rng) < 0.05) {
        t.segmentations.emplace_back(std::nullopt);
      } else {
        t.segmentations.emplace_back(boxMask(x0 + f / 4 + jitter, y0 + jitter, 9, 8));
      }
      pred_iou.emplace_back(static_cast<float>(0.3 + 0.7 * u(rng)));
    }
    t.computeAreasAndBoxes();
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const YtvisTrack& a, const YtvisTrack& b) { return *a.score > *b.score; });
  return out;
}

Synthetic makeSynthetic(int videos) {
  Synthetic s;
  std::mt19937 rng(11);
  for (int v = 0; v < videos; ++v) {
    YtvisVideo video{v + 1, kW, kH, {}};
    for (int f = 0; f < kFrames; ++f) video.file_names.push_back("vid_" + std::to_string(v) + "/" + std::to_string(f) + ".jpg");
    for (auto& t : predict(video, rng, 0)) s.round0.push_back(std::move(t));
    for (auto& t : predict(video, rng, 1)) s.round1.push_back(std::move(t));
    s.dataset.videos.push_back(std::move(video));
  }
  s.dataset.reindex();
  return s;
}

void run(int videos) {
  const Synthetic s = makeSynthetic(videos);
  SelectionInputs in;
  in.dataset = &s.dataset;
  in.results = &s.round0;
  SelectionOptions options;
  options.tau = 0.5;
  const RoundState previous = selectPseudoLabels(in, options).state;
  in.results = &s.round1;
  in.previous = &previous;

  const double before = residentMiB();
  const auto build_start = Clock::now();
  const SelectionIndex index = SelectionIndex::build(in, options);
  const double build_s = seconds(build_start);
  const double index_mib = residentMiB() - before;

  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  SelectionResult result;
  index.evaluate(0.5, result);  // warm the buffers
  const int repeats = 50;
  size_t checksum = 0;
  const auto start = Clock::now();
  for (int i = 0; i < repeats; ++i) {
    index.evaluate(u(rng), result);
    checksum += result.counts.labels;
  }
  const double ms = seconds(start) * 1000.0 / repeats;
  std::printf("%9zu labels (%6d videos, %zu previous objects): build %7.2f s, %7.3f ms per tau, index ~%6.1f MiB, peak RSS %6.1f MiB (checksum %zu)\n",
              index.numEntries(), videos, previous.numObjects(), build_s, ms, index_mib, peakMiB(), checksum);
}

}  // namespace

int main() {
  // ~10 slots (previous objects + kept predictions) x 20 frames per video: 49 / 490 / 4900 videos
  // give about 10k / 100k / 1M labels.
  for (int videos : {49, 490, 4900}) run(videos);
  return 0;
}
