// Bilinear resizing of 8-bit images exactly as Pillow's Image.resize(..., BILINEAR) does it: the
// reference pipelines (detectron2's ResizeShortestEdge at train and test time) resize frames with PIL,
// whose bilinear filter widens with the scale when shrinking (an antialiasing triangle filter) and rounds
// in 22-bit fixed point after each pass. OpenCV's INTER_LINEAR samples only 2x2 pixels and would feed the
// model visibly different frames when downscaling 720p video to 360p.
#pragma once

#include <opencv2/core.hpp>

namespace autoqvis {

/// `image`: CV_8UC1 or CV_8UC3 (any channel order). Returns a new image of `width` x `height`.
cv::Mat resizeBilinearLikePil(const cv::Mat& image, int width, int height);

}  // namespace autoqvis
