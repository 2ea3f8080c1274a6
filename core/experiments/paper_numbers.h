// The AutoQ-VIS paper's ablation numbers that our tables and plots stand beside: YouTube-VIS 2019 val,
// class-agnostic, percent, from the extended version arXiv:2512.06864v1 (WACV'26), Tables 2-5. The workshop
// version's abstract (arXiv:2508.19808) gives the same 52.6 AP50, +4.4 over VideoCutLER.
#pragma once

namespace autoqvis::paper {

struct Score {
  double ap50, ap;
};

constexpr Score kVideoCutler{48.2, 24.5};  // the starting point (Table 2)
constexpr Score kAutoQVis{52.6, 28.1};     // the full method: 2 rounds, τ 0.75

// Table 2
constexpr Score kTheoreticalLimit{76.8, 46.8};
constexpr Score kPracticalLimit{62.7, 33.9};

// Table 3
constexpr Score kWithoutQuality{50.5, 27.2};
constexpr Score kWithoutDropLoss{48.0, 24.6};
constexpr Score kWithoutReset{51.6, 28.2};

// Table 4: after 1, 2, 3 rounds
constexpr Score kRounds[3] = {{51.3, 26.9}, kAutoQVis, {52.0, 27.7}};

// Table 5 (τ 0.50, 0.85, 0.95; 0.75 is kAutoQVis) is in kTable5Cells, ablation_plan.h, beside the cell of each τ.

}  // namespace autoqvis::paper
