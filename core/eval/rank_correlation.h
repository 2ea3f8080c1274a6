// Correlation coefficients for the quality analysis (how well a score ranks the true mask IoU): Pearson on
// the values and Spearman on their ranks, with tied values sharing their average rank.
#pragma once

#include <vector>

namespace autoqvis {

/// 1-based ranks in ascending order; a group of equal values gets the mean of the ranks it spans
/// (e.g. {10, 20, 20, 30} -> {1, 2.5, 2.5, 4}), as scipy.stats.rankdata(method="average"). Values must
/// not be NaN.
std::vector<double> averageRanks(const std::vector<double>& values);

/// Pearson's r of paired samples, clamped to [-1, 1]. NaN when there are fewer than two pairs or either
/// side is constant (the coefficient is undefined then). Throws Error when the sizes differ.
double pearsonCorrelation(const std::vector<double>& x, const std::vector<double>& y);

/// Spearman's rho: Pearson's r of the average ranks (scipy.stats.spearmanr). NaN as for Pearson.
double spearmanCorrelation(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace autoqvis
