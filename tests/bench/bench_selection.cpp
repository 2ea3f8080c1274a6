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
#include "tests/support/synthetic_round.h"

using namespace autoqvis;
using Clock = std::chrono::steady_clock;

namespace {

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

void run(int videos) {
  const test::SyntheticRound s = test::makeSyntheticRound(videos);
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
