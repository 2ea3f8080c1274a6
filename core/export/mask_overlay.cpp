#include "core/export/mask_overlay.h"

#include <algorithm>
#include <opencv2/imgproc.hpp>

#include "core/export/palette_png.h"
#include "core/util/error.h"

namespace autoqvis {

cv::Mat drawOverlay(const cv::Mat& frame, const std::vector<OverlayMask>& masks, double alpha) {
  if (frame.type() != CV_8UC3) throw Error("drawOverlay needs an 8-bit RGB frame");
  cv::Mat out = frame.clone();
  for (const auto& m : masks) {
    if (m.mask.size() != frame.size()) throw Error("overlay mask size differs from the frame size");
    const auto& rgb = davisPalette()[static_cast<size_t>(std::clamp(m.color_index, 0, 255))];
    const cv::Scalar color(rgb[0], rgb[1], rgb[2]);
    cv::Mat tinted(frame.size(), CV_8UC3, color);
    cv::Mat blended;
    cv::addWeighted(out, 1.0 - alpha, tinted, alpha, 0.0, blended);
    blended.copyTo(out, m.mask);
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(m.mask.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
    cv::drawContours(out, contours, -1, color, 1);
    if (!m.label.empty() && !contours.empty()) {
      cv::Rect box = cv::boundingRect(cv::Mat(m.mask != 0));
      cv::putText(out, m.label, {box.x, std::max(10, box.y - 2)}, cv::FONT_HERSHEY_SIMPLEX, 0.35, cv::Scalar(255, 255, 255),
                  1, cv::LINE_AA);
    }
  }
  return out;
}

cv::Mat contactSheet(const std::vector<cv::Mat>& images, const std::vector<std::string>& captions, int columns,
                     int tile_width) {
  if (images.empty()) throw Error("a contact sheet needs at least one image");
  columns = std::max(1, std::min<int>(columns, static_cast<int>(images.size())));
  int tile_height = 0;
  for (const auto& image : images) tile_height = std::max(tile_height, image.rows * tile_width / std::max(1, image.cols));
  constexpr int kCaption = 16;
  constexpr int kGap = 4;
  const int rows = (static_cast<int>(images.size()) + columns - 1) / columns;
  cv::Mat sheet(rows * (tile_height + kCaption + kGap) + kGap, columns * (tile_width + kGap) + kGap, CV_8UC3,
                cv::Scalar(32, 32, 32));
  for (size_t i = 0; i < images.size(); ++i) {
    const int x = kGap + static_cast<int>(i % columns) * (tile_width + kGap);
    const int y = kGap + static_cast<int>(i / columns) * (tile_height + kCaption + kGap);
    cv::Mat scaled;
    const int h = images[i].rows * tile_width / std::max(1, images[i].cols);
    cv::resize(images[i], scaled, {tile_width, h}, 0, 0, cv::INTER_AREA);
    scaled.copyTo(sheet(cv::Rect(x, y + kCaption, tile_width, h)));
    if (i < captions.size()) {
      cv::putText(sheet, captions[i], {x + 2, y + kCaption - 4}, cv::FONT_HERSHEY_SIMPLEX, 0.4, cv::Scalar(230, 230, 230), 1,
                  cv::LINE_AA);
    }
  }
  return sheet;
}

}  // namespace autoqvis
