// Seeded random numbers whose sequences are identical on every platform and standard library
// (std::uniform_*_distribution is implementation-defined), so generated data is reproducible.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

namespace autoqvis {

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}

  /// A child generator whose stream depends only on this seed and `stream_id`: lets each video or
  /// image be generated independently (and in any order) yet deterministically.
  static Rng forStream(uint64_t seed, uint64_t stream_id) {
    return Rng(splitmix(seed ^ splitmix(stream_id + 0x9E3779B97F4A7C15ull)));
  }

  uint64_t next() { return engine_(); }
  /// Uniform in [0, 1).
  double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  /// Uniform integer in [lo, hi] (inclusive), without modulo bias.
  int64_t uniformInt(int64_t lo, int64_t hi) {
    uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    if (span == 0) return static_cast<int64_t>(engine_());
    uint64_t limit = UINT64_MAX - UINT64_MAX % span;
    uint64_t x;
    do x = engine_(); while (x >= limit);
    return lo + static_cast<int64_t>(x % span);
  }
  bool bernoulli(double p) { return uniform() < p; }
  /// Standard normal via Box-Muller (one value per call, the pair's second is dropped for simplicity).
  double normal(double mean = 0.0, double stddev = 1.0) {
    double u1 = uniform();
    double u2 = uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }

 private:
  static uint64_t splitmix(uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
  }
  std::mt19937_64 engine_;
};

}  // namespace autoqvis
