// Exact rectangular linear sum assignment (minimum total cost), the solver behind the Hungarian matcher.
// It follows the shortest-augmenting-path method of Crouse (2016) that scipy.optimize.linear_sum_assignment
// (scipy 1.10) uses, including its transposition of tall matrices and its tie-breaking, so equal-cost
// optima resolve to the same assignment as the official code. Torch-free; doubles throughout.
#pragma once

#include <cstdint>
#include <vector>

namespace autoqvis {

/// min(rows, cols) pairs (rows[i], cols[i]); `rows` ascending, as scipy returns them.
struct Assignment {
  std::vector<int64_t> rows;
  std::vector<int64_t> cols;
};

/// `cost` is row-major [rows, cols]. Entries may be +inf (forbidden) but not NaN or -inf; throws
/// autoqvis::Error for invalid entries or when no complete assignment of finite cost exists.
Assignment linearSumAssignment(const std::vector<double>& cost, int64_t rows, int64_t cols);

}  // namespace autoqvis
