// Input preprocessing exactly as the reference VideoMaskFormer does it: RGB frames normalised with the
// ImageNet mean/std on 0..255 values, then zero-padded bottom/right to a common size that is a multiple
// of the size divisibility (detectron2 ImageList.from_tensors).
#pragma once

#include <ATen/core/Tensor.h>

#include <utility>

namespace autoqvis {

/// RGB pixel mean and std of the reference config (PIXEL_MEAN / PIXEL_STD).
constexpr double kPixelMean[3] = {123.675, 116.280, 103.530};
constexpr double kPixelStd[3] = {58.395, 57.120, 57.375};

/// `frames`: uint8 or float [N, 3, H, W] RGB on 0..255. Returns float [N, 3, H', W'], H' and W' the
/// next multiples of `size_divisibility`.
at::Tensor normalizeAndPad(const at::Tensor& frames, int64_t size_divisibility = 32);

/// The test-time size of a frame: the short side scaled to `min_size`, the long side capped at
/// `max_size`, each side rounded as detectron2's ResizeShortestEdge does (int(x + 0.5)).
std::pair<int, int> testResizeShape(int height, int width, int min_size, int max_size);

}  // namespace autoqvis
