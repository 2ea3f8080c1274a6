// Image resizing as detectron2's ResizeTransform does it through Pillow: Image.resize(BILINEAR) for
// images and Image.resize(NEAREST) for masks. OpenCV's INTER_LINEAR differs from Pillow when shrinking
// (Pillow widens the triangle filter by the scale factor, i.e. it antialiases), so the training images
// would be sharper than the official ones; this reimplements Pillow's resampling to keep them alike.
#pragma once

#include <opencv2/core.hpp>

namespace autoqvis {

/// Pillow's BILINEAR resize of an 8-bit image (1 to 4 channels): separable triangle filter with support
/// max(1, scale), 22-bit fixed-point weights, horizontal pass first with an 8-bit intermediate (as
/// Resample.c). Same-size input is returned as a copy.
cv::Mat pilResizeBilinear(const cv::Mat& image, cv::Size size);

/// Pillow's NEAREST resize of an 8-bit image (any channels): output pixel x takes input pixel
/// floor((x + 0.5) * in / out). Exact for label maps, whose values must never blend.
cv::Mat pilResizeNearest(const cv::Mat& image, cv::Size size);

}  // namespace autoqvis
