// Realistically wrong pseudo-masks for the toy stills, wrong in the ways MaskCut's masks are: objects missed,
// masks that shrink or spill over, touching objects merged into one mask, a blob on plain background.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "core/config/toy_world_options.h"
#include "core/util/rng.h"

namespace autoqvis {

enum class PseudoMaskKind { Faithful, Eroded, Dilated, Merged, Spurious };

struct ToyPseudoMask {
  cv::Mat mask;  ///< CV_8U 0/1
  PseudoMaskKind kind = PseudoMaskKind::Faithful;
  std::vector<int> objects;  ///< the true objects it stems from: one, two when Merged, none when Spurious
  int boundary_px = 0;       ///< erosion or dilation radius when Eroded or Dilated
};

struct ToyPseudoMaskResult {
  std::vector<ToyPseudoMask> masks;
  std::vector<int> missed;  ///< objects without any pseudo-mask
};

/// Derives pseudo-masks from the true (visible) masks of one image at the rates in `options`.
ToyPseudoMaskResult makePseudoMasks(Rng& rng, const std::vector<cv::Mat>& true_masks,
                                    const ToyWorldOptions& options);

const char* pseudoMaskKindName(PseudoMaskKind kind);

}  // namespace autoqvis
