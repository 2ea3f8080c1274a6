// Dropout whose CPU mask is drawn in parallel from a counter-based generator. LibTorch's CPU
// bernoulli_ draws every element from the locked default generator one at a time (about 10 ns each
// on the CI machine: 18 % of a demo training step, for the three dropouts of each encoder layer).
// Here one number is drawn from the default generator per call, so a run stays reproducible from
// torch::manual_seed and resumes exactly; blocks of elements then get their own splitmix64 streams,
// so the mask does not depend on the thread count. On other devices this is torch::dropout.
#pragma once

#include <torch/types.h>

namespace autoqvis {

/// In training, zeroes each element with probability p and scales the rest by 1 / (1 - p).
torch::Tensor parallelDropout(const torch::Tensor& x, double p, bool training);

}  // namespace autoqvis
