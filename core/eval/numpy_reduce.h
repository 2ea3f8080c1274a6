// The floating-point sums of NumPy, reproduced operation for operation, so that means computed here are
// bit-identical to the official evaluator's np.mean (which sums with pairwise summation, not a plain loop).
#pragma once

#include <cstddef>
#include <vector>

namespace autoqvis {

/// NumPy's pairwise_sum for a contiguous float64 array (numpy/core/src/umath/loops_utils.h): a plain loop
/// below 8 elements, 8 interleaved accumulators up to 128, recursive halving (at multiples of 8) above.
double numpyPairwiseSum(const double* values, size_t count);

/// np.mean of a float64 array: np.add.reduce (the identity 0.0 plus one pairwise sum per 8192-element
/// buffer block) divided by the count. The caller handles the empty case (NumPy gives NaN and a warning).
double numpyMean(const std::vector<double>& values);

}  // namespace autoqvis
