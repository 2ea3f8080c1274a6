#include "core/model/ms_deform_attn_fused.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <atomic>
#include <cmath>

namespace autoqvis {
namespace {

struct Level {
  int64_t height, width, start;  // start: first token of the level in the value map
};

// One bilinear sample of a head's D-vector, weighted by `weight` and added to `out`. The corner weights
// are computed exactly as ATen's CPU grid sampler does (unnormalise ((g + 1) * size - 1) / 2, floor,
// products of the fractional distances), so each sample is the grid-sample value.
inline void accumulateSample(const float* value, int64_t token_stride, const Level& level, float loc_x, float loc_y,
                             float weight, int64_t dim, float* out) {
  const float grid_x = 2.f * loc_x - 1.f, grid_y = 2.f * loc_y - 1.f;
  const float x = ((grid_x + 1.f) * static_cast<float>(level.width) - 1.f) / 2.f;
  const float y = ((grid_y + 1.f) * static_cast<float>(level.height) - 1.f) / 2.f;
  const float x_w = std::floor(x), y_n = std::floor(y);
  const float w = x - x_w, e = 1.f - w, n = y - y_n, s = 1.f - n;
  const int64_t ix = static_cast<int64_t>(x_w), iy = static_cast<int64_t>(y_n);
  const float corner_weight[4] = {s * e, s * w, n * e, n * w};  // nw, ne, sw, se
  const int64_t corner_x[4] = {ix, ix + 1, ix, ix + 1};
  const int64_t corner_y[4] = {iy, iy, iy + 1, iy + 1};
  for (int c = 0; c < 4; ++c) {
    if (corner_x[c] < 0 || corner_x[c] >= level.width || corner_y[c] < 0 || corner_y[c] >= level.height) continue;
    const float k = corner_weight[c] * weight;
    const float* v = value + (level.start + corner_y[c] * level.width + corner_x[c]) * token_stride;
    for (int64_t d = 0; d < dim; ++d) out[d] += k * v[d];
  }
}

std::atomic<bool> fused_enabled{true};

}  // namespace

void setFusedDeformAttnEnabled(bool enabled) { fused_enabled = enabled; }

bool fusedDeformAttnApplies(const at::Tensor& value, const at::Tensor& locations, const at::Tensor& weights) {
  const bool wants_grad = at::GradMode::is_enabled() &&
                          (value.requires_grad() || locations.requires_grad() || weights.requires_grad());
  return fused_enabled && !wants_grad && value.device().is_cpu() && value.scalar_type() == at::kFloat &&
         locations.scalar_type() == at::kFloat && weights.scalar_type() == at::kFloat;
}

at::Tensor msDeformAttnCoreFused(const at::Tensor& value_in, const LevelShapes& shapes, const at::Tensor& locations_in,
                                 const at::Tensor& weights_in) {
  const at::Tensor value = value_in.contiguous(), locations = locations_in.contiguous(), weights = weights_in.contiguous();
  const int64_t n = value.size(0), s = value.size(1), m = value.size(2), d = value.size(3);
  const int64_t lq = locations.size(1), levels = locations.size(3), points = locations.size(4);
  TORCH_CHECK(static_cast<int64_t>(shapes.size()) == levels, "deformable attention: ", shapes.size(),
              " level shapes for ", levels, " levels");
  std::vector<Level> level_info;
  int64_t start = 0;
  for (const auto& [h, w] : shapes) {
    level_info.push_back({h, w, start});
    start += h * w;
  }
  TORCH_CHECK(start == s, "deformable attention: level shapes cover ", start, " tokens, value has ", s);

  at::Tensor output = torch::zeros({n, lq, m * d}, value.options());
  const float* value_data = value.data_ptr<float>();
  const float* loc_data = locations.data_ptr<float>();
  const float* weight_data = weights.data_ptr<float>();
  float* out_data = output.data_ptr<float>();
  const int64_t samples_per_head = levels * points;
  // Parallel over (batch, query): every query writes only its own output row.
  at::parallel_for(0, n * lq, 16, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t b = row / lq;
      const float* value_b = value_data + b * s * m * d;
      for (int64_t head = 0; head < m; ++head) {
        const int64_t sample0 = (row * m + head) * samples_per_head;
        float* out = out_data + row * m * d + head * d;
        for (int64_t l = 0; l < levels; ++l) {
          for (int64_t p = 0; p < points; ++p) {
            const int64_t sample = sample0 + l * points + p;
            accumulateSample(value_b + head * d, m * d, level_info[l], loc_data[2 * sample], loc_data[2 * sample + 1],
                             weight_data[sample], d, out);
          }
        }
      }
    }
  });
  return output;
}

}  // namespace autoqvis
