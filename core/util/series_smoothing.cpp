#include "core/util/series_smoothing.h"

#include <algorithm>
#include <cmath>

namespace autoqvis {

std::vector<double> smoothSeries(const std::vector<double>& values, double weight) {
  weight = std::clamp(weight, 0.0, 0.999);
  std::vector<double> out(values.size());
  double average = 0, debias = 1;
  for (size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i])) {
      out[i] = values[i];
      continue;
    }
    average = average * weight + (1 - weight) * values[i];
    debias *= weight;
    out[i] = average / (1 - debias);
  }
  return out;
}

}  // namespace autoqvis
