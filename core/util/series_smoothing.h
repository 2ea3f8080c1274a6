// Smoothing of a noisy training curve for display, as TensorBoard's slider does it: an exponential
// moving average debiased at the start, so the first points are not pulled towards zero.
#pragma once

#include <vector>

namespace autoqvis {

/// `weight` in [0, 1): 0 returns the values unchanged; 0.9 averages over roughly the last ten.
/// Non-finite values are passed through and do not enter the average.
std::vector<double> smoothSeries(const std::vector<double>& values, double weight);

}  // namespace autoqvis
