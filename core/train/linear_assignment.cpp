#include "core/train/linear_assignment.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/util/error.h"

namespace autoqvis {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Solver state for a wide problem (rows <= cols): every row gets a column. u/v are the dual potentials;
// a row's reduced cost to a column is cost - u[row] - v[col] >= 0 at all times.
struct AssignmentState {
  int64_t rows = 0, cols = 0;
  const std::vector<double>* cost = nullptr;
  std::vector<double> u, v;
  std::vector<int64_t> col_of_row, row_of_col;
  // Per search: tentative path costs to each column, predecessor row of each column, visited sets.
  std::vector<double> path_cost;
  std::vector<int64_t> predecessor;
  std::vector<char> row_visited, col_visited;

  AssignmentState(const std::vector<double>& c, int64_t r, int64_t k)
      : rows(r), cols(k), cost(&c), u(r, 0.0), v(k, 0.0), col_of_row(r, -1), row_of_col(k, -1), path_cost(k),
        predecessor(k, -1), row_visited(r), col_visited(k) {}

  double at(int64_t r, int64_t c) const { return (*cost)[r * cols + c]; }
};

// Dijkstra-like search from the free row `start` for the cheapest path of reduced costs ending in a free
// column. Returns that column (or -1 if none is reachable at finite cost) and the path length in
// `shortest`. The candidate list starts in reverse column order and, among equally cheap columns, a free
// one is preferred: both are scipy's choices and decide which optimum is returned on ties.
int64_t shortestAugmentingPath(AssignmentState& s, int64_t start, double* shortest) {
  std::vector<int64_t> remaining(s.cols);
  for (int64_t i = 0; i < s.cols; ++i) remaining[i] = s.cols - 1 - i;
  std::fill(s.row_visited.begin(), s.row_visited.end(), 0);
  std::fill(s.col_visited.begin(), s.col_visited.end(), 0);
  std::fill(s.path_cost.begin(), s.path_cost.end(), kInf);

  double reached = 0.0;  // length of the path to the current row
  int64_t row = start;
  while (true) {
    s.row_visited[row] = 1;
    int64_t best_slot = -1;
    double lowest = kInf;
    for (int64_t slot = 0; slot < int64_t(remaining.size()); ++slot) {
      const int64_t col = remaining[slot];
      const double candidate = reached + s.at(row, col) - s.u[row] - s.v[col];
      if (candidate < s.path_cost[col]) {
        s.predecessor[col] = row;
        s.path_cost[col] = candidate;
      }
      const bool cheaper = s.path_cost[col] < lowest;
      const bool tie_to_free = s.path_cost[col] == lowest && s.row_of_col[col] == -1;
      if (cheaper || tie_to_free) {
        lowest = s.path_cost[col];
        best_slot = slot;
      }
    }
    reached = lowest;
    if (reached == kInf) return -1;
    const int64_t col = remaining[best_slot];
    s.col_visited[col] = 1;
    // Swap-remove keeps the same visiting order as scipy's implementation.
    remaining[best_slot] = remaining.back();
    remaining.pop_back();
    if (s.row_of_col[col] == -1) {
      *shortest = reached;
      return col;
    }
    row = s.row_of_col[col];
  }
}

// Keeps reduced costs non-negative and the matched edges tight after a search of length `shortest`.
void updatePotentials(AssignmentState& s, int64_t start, double shortest) {
  s.u[start] += shortest;
  for (int64_t r = 0; r < s.rows; ++r)
    if (s.row_visited[r] && r != start) s.u[r] += shortest - s.path_cost[s.col_of_row[r]];
  for (int64_t c = 0; c < s.cols; ++c)
    if (s.col_visited[c]) s.v[c] -= shortest - s.path_cost[c];
}

// Flips the matched/unmatched edges along the path from `start` to the free column `sink`.
void augment(AssignmentState& s, int64_t start, int64_t sink) {
  int64_t col = sink;
  while (true) {
    const int64_t row = s.predecessor[col];
    s.row_of_col[col] = row;
    std::swap(s.col_of_row[row], col);
    if (row == start) break;
  }
}

}  // namespace

Assignment linearSumAssignment(const std::vector<double>& cost, int64_t rows, int64_t cols) {
  if (rows < 0 || cols < 0 || int64_t(cost.size()) != rows * cols)
    throw Error("linearSumAssignment: cost has " + std::to_string(cost.size()) + " entries, expected " +
                std::to_string(rows) + " x " + std::to_string(cols));
  Assignment result;
  if (rows == 0 || cols == 0) return result;
  for (double c : cost)
    if (std::isnan(c) || c == -kInf) throw Error("linearSumAssignment: cost matrix contains NaN or -inf");

  // The search assigns every row, so a tall matrix is solved transposed (as scipy does).
  const bool transpose = cols < rows;
  std::vector<double> wide;
  if (transpose) {
    wide.resize(cost.size());
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) wide[c * rows + r] = cost[r * cols + c];
  }
  AssignmentState s(transpose ? wide : cost, transpose ? cols : rows, transpose ? rows : cols);
  for (int64_t start = 0; start < s.rows; ++start) {
    double shortest = 0.0;
    const int64_t sink = shortestAugmentingPath(s, start, &shortest);
    if (sink < 0) throw Error("linearSumAssignment: cost matrix is infeasible");
    updatePotentials(s, start, shortest);
    augment(s, start, sink);
  }

  if (!transpose) {
    result.rows.resize(s.rows);
    std::iota(result.rows.begin(), result.rows.end(), 0);
    result.cols = s.col_of_row;
    return result;
  }
  // Transposed: the solver's columns are the caller's rows; report them ascending.
  std::vector<int64_t> order(s.rows);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return s.col_of_row[a] < s.col_of_row[b]; });
  for (int64_t k : order) {
    result.rows.push_back(s.col_of_row[k]);
    result.cols.push_back(k);
  }
  return result;
}

}  // namespace autoqvis
