// The exact rectangular assignment solver behind the Hungarian matcher: known answers, scipy 1.10's choice
// among equal optima, brute force on random (and tie-heavy) matrices, invalid input.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "core/train/linear_assignment.h"
#include "core/util/error.h"

using namespace autoqvis;

namespace {

double assignmentCost(const std::vector<double>& cost, int64_t cols, const Assignment& a) {
  double total = 0.0;
  for (size_t i = 0; i < a.rows.size(); ++i) total += cost[size_t(a.rows[i] * cols + a.cols[i])];
  return total;
}

// Minimum over all injective maps of the smaller side into the larger one.
double bruteForceMin(const std::vector<double>& cost, int64_t rows, int64_t cols) {
  const bool wide = rows <= cols;
  const int64_t small = wide ? rows : cols, large = wide ? cols : rows;
  std::vector<int64_t> perm(static_cast<size_t>(large));
  std::iota(perm.begin(), perm.end(), 0);
  double best = std::numeric_limits<double>::infinity();
  do {
    double total = 0.0;
    for (int64_t i = 0; i < small; ++i)
      total += wide ? cost[size_t(i * cols + perm[size_t(i)])] : cost[size_t(perm[size_t(i)] * cols + i)];
    best = std::min(best, total);
  } while (std::next_permutation(perm.begin(), perm.end()));
  return best;
}

}  // namespace

class TestLinearAssignment : public QObject {
  Q_OBJECT

 private slots:
  void assignmentSolvesKnownCases() {
    // scipy's documentation example.
    const Assignment a = linearSumAssignment({4, 1, 3, 2, 0, 5, 3, 2, 2}, 3, 3);
    QCOMPARE(a.rows, (std::vector<int64_t>{0, 1, 2}));
    QCOMPARE(a.cols, (std::vector<int64_t>{1, 0, 2}));
    // Wide and tall: every row resp. column of the smaller side is assigned, rows ascending.
    const std::vector<double> wide = {5, 9, 1, 3, 10, 3, 2, 8, 8, 7, 4, 6};  // 3 x 4
    const Assignment w = linearSumAssignment(wide, 3, 4);
    QCOMPARE(w.rows, (std::vector<int64_t>{0, 1, 2}));
    QCOMPARE(assignmentCost(wide, 4, w), bruteForceMin(wide, 3, 4));
    std::vector<double> tall(12);  // its transpose, 4 x 3
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 4; ++c) tall[size_t(c * 3 + r)] = wide[size_t(r * 4 + c)];
    const Assignment t = linearSumAssignment(tall, 4, 3);
    QCOMPARE(int(t.rows.size()), 3);
    QVERIFY(std::is_sorted(t.rows.begin(), t.rows.end()));
    QCOMPARE(assignmentCost(tall, 3, t), bruteForceMin(tall, 4, 3));
    // Forbidden pairs (+inf) are avoided; empty problems are empty.
    const double inf = std::numeric_limits<double>::infinity();
    const Assignment f = linearSumAssignment({inf, 1, 1, inf}, 2, 2);
    QCOMPARE(f.cols, (std::vector<int64_t>{1, 0}));
    QVERIFY(linearSumAssignment({}, 0, 4).rows.empty());
  }

  void assignmentBreaksTiesLikeScipy() {
    // A constant matrix yields the identity (scipy #11602), whatever the orientation.
    for (auto [rows, cols] : {std::pair<int64_t, int64_t>{4, 4}, {3, 6}, {6, 3}}) {
      const Assignment a = linearSumAssignment(std::vector<double>(size_t(rows * cols), 2.5), rows, cols);
      const int64_t n = std::min(rows, cols);
      std::vector<int64_t> identity(static_cast<size_t>(n));
      std::iota(identity.begin(), identity.end(), 0);
      QCOMPARE(a.rows, identity);
      QCOMPARE(a.cols, identity);
    }
    // Several optima: the answers of scipy 1.10.1 (checked there; the solver also reproduced its answers on
    // 5000 random tie-heavy integer matrices up to 8 x 8).
    QCOMPARE(linearSumAssignment({0, 0, 0, 1}, 2, 2).cols, (std::vector<int64_t>{1, 0}));
    QCOMPARE(linearSumAssignment({0, 1, 0, 1, 0, 0}, 2, 3).cols, (std::vector<int64_t>{0, 1}));
    QCOMPARE(linearSumAssignment({2, 1, 1, 1, 2, 1}, 2, 3).cols, (std::vector<int64_t>{1, 0}));
    const Assignment tall = linearSumAssignment({1, 0, 0, 1, 0, 0}, 3, 2);
    QCOMPARE(tall.rows, (std::vector<int64_t>{0, 1}));
    QCOMPARE(tall.cols, (std::vector<int64_t>{1, 0}));
  }

  void assignmentMatchesBruteForce() {
    std::mt19937 gen(7);
    std::uniform_real_distribution<double> real(-3.0, 5.0);
    std::uniform_int_distribution<int> small_int(0, 3);
    for (int trial = 0; trial < 300; ++trial) {
      const int64_t rows = 1 + trial % 6, cols = 1 + (trial / 6) % 6;
      const bool integers = trial % 3 == 0;  // many ties
      std::vector<double> cost(size_t(rows * cols));
      for (double& c : cost) c = integers ? small_int(gen) : real(gen);
      const Assignment a = linearSumAssignment(cost, rows, cols);
      QCOMPARE(int64_t(a.rows.size()), std::min(rows, cols));
      QVERIFY(std::is_sorted(a.rows.begin(), a.rows.end()));
      std::vector<int64_t> used = a.cols;
      std::sort(used.begin(), used.end());
      QVERIFY(std::adjacent_find(used.begin(), used.end()) == used.end());
      QVERIFY(std::abs(assignmentCost(cost, cols, a) - bruteForceMin(cost, rows, cols)) < 1e-9);
    }
  }

  void assignmentRejectsInvalidCosts() {
    QVERIFY_THROWS_EXCEPTION(Error, linearSumAssignment({1, std::nan(""), 0, 1}, 2, 2));
    const double inf = std::numeric_limits<double>::infinity();
    QVERIFY_THROWS_EXCEPTION(Error, linearSumAssignment({inf, inf, 1, 1}, 2, 2));
    QVERIFY_THROWS_EXCEPTION(Error, linearSumAssignment({1, 2, 3}, 2, 2));
  }

};

QTEST_APPLESS_MAIN(TestLinearAssignment)
#include "test_linear_assignment.moc"
