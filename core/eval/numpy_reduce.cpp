#include "core/eval/numpy_reduce.h"

#include <algorithm>

namespace autoqvis {

double numpyPairwiseSum(const double* a, size_t n) {
  constexpr size_t kBlock = 128;  // NumPy's PW_BLOCKSIZE
  if (n < 8) {
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i) sum += a[i];
    return sum;
  }
  if (n <= kBlock) {
    // Eight partial sums, combined as a balanced tree, exactly as NumPy's unrolled loop does.
    double r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    }
    double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) sum += a[i];
    return sum;
  }
  size_t half = n / 2;
  half -= half % 8;
  return numpyPairwiseSum(a, half) + numpyPairwiseSum(a + half, n - half);
}

double numpyMean(const std::vector<double>& values) {
  // add.reduce starts from the identity 0.0 and, because the reduction iterator is buffered, hands the
  // inner loop at most NPY_BUFSIZE (8192) elements at a time: one pairwise sum per block, added in
  // order. (Seen in the fixtures: a class-aware AP over 36360 entries differs in the last bit otherwise.)
  constexpr size_t kBufferSize = 8192;
  double sum = 0.0;
  for (size_t start = 0; start < values.size(); start += kBufferSize) {
    sum += numpyPairwiseSum(values.data() + start, std::min(kBufferSize, values.size() - start));
  }
  return sum / static_cast<double>(values.size());
}

}  // namespace autoqvis
