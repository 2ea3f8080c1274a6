// Drawing instance masks over frames (colour blend + 1-px contour) and tiling frames into a contact
// sheet: the headless preview of a dataset. The GUI draws its own overlays with Qt.
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

namespace autoqvis {

struct OverlayMask {
  cv::Mat mask;       ///< CV_8UC1, non-zero = inside; same size as the frame
  int color_index = 1;  ///< index into the DAVIS palette (track number)
  std::string label;  ///< drawn near the mask's top-left corner; empty for none
};

/// Blends each mask in its palette colour (alpha) and draws its contour. `frame` is RGB CV_8UC3.
cv::Mat drawOverlay(const cv::Mat& frame, const std::vector<OverlayMask>& masks, double alpha = 0.5);
/// Tiles RGB images (scaled to `tile_width`, keeping aspect) into rows of `columns`, with captions.
cv::Mat contactSheet(const std::vector<cv::Mat>& images, const std::vector<std::string>& captions, int columns,
                     int tile_width);

}  // namespace autoqvis
