#include "core/model/parallel_dropout.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace autoqvis {
namespace {

constexpr int64_t kBlock = 4096;  // elements per generator stream (and the parallel grain)

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Keep-or-drop factors for `count` elements: 32-bit uniforms against p * 2^32.
torch::Tensor keepFactors(int64_t count, double p, uint64_t seed) {
  torch::Tensor factors = torch::empty({count}, torch::kFloat32);
  float* out = factors.data_ptr<float>();
  const uint64_t threshold = static_cast<uint64_t>(std::llround(p * 4294967296.0));
  const float keep = static_cast<float>(1.0 / (1.0 - p));
  const int64_t blocks = (count + kBlock - 1) / kBlock;
  at::parallel_for(0, blocks, 1, [&](int64_t first, int64_t last) {
    for (int64_t block = first; block < last; ++block) {
      uint64_t state = seed ^ (static_cast<uint64_t>(block) * 0xD1B54A32D192ED03ull);
      const int64_t begin = block * kBlock, end = std::min(count, begin + kBlock);
      for (int64_t i = begin; i < end; i += 2) {
        const uint64_t bits = splitmix64(state);
        out[i] = (bits & 0xFFFFFFFFull) < threshold ? 0.0f : keep;
        if (i + 1 < end) out[i + 1] = (bits >> 32) < threshold ? 0.0f : keep;
      }
    }
  });
  return factors;
}

}  // namespace

torch::Tensor parallelDropout(const torch::Tensor& x, double p, bool training) {
  if (!training || p <= 0.0) return x;
  if (!x.device().is_cpu() || x.scalar_type() != torch::kFloat32 || p >= 1.0) return torch::dropout(x, p, training);
  const uint64_t seed = static_cast<uint64_t>(
      torch::randint(std::numeric_limits<int64_t>::max(), {1}, torch::kInt64).item<int64_t>());
  return x * keepFactors(x.numel(), p, seed).view(x.sizes());
}

}  // namespace autoqvis
