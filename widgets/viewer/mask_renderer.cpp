#include "widgets/viewer/mask_renderer.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "core/util/error.h"

namespace autoqvis::widgets {

namespace {

// Marks the foreground run [begin, end) of a column-major mask inside the roi.
void fillRun(size_t begin, size_t end, int h, const cv::Rect& roi, cv::Mat& out) {
  while (begin < end) {
    const int x = static_cast<int>(begin / h);
    const int y = static_cast<int>(begin % h);
    const int n = static_cast<int>(std::min<size_t>(end - begin, static_cast<size_t>(h - y)));
    if (x >= roi.x && x < roi.x + roi.width) {
      const int y0 = std::max(y, roi.y);
      const int y1 = std::min(y + n, roi.y + roi.height);
      uint8_t* column = out.ptr<uint8_t>(0) + (x - roi.x);
      for (int yy = y0; yy < y1; ++yy) column[static_cast<size_t>(yy - roi.y) * out.step] = 1;
    }
    begin += n;
  }
}

cv::Rect maskBox(const cv::Mat& mask) { return cv::boundingRect(mask); }

// The mask of one track at one frame as a roi-sized 0/1 image and the roi, in frame coordinates.
bool decodeMask(const CompressedRle& compressed, QSize frame_size, cv::Mat& roi_mask, cv::Rect& roi) {
  const Rle rle = decompress(compressed);
  if (rle.h == frame_size.height() && rle.w == frame_size.width()) {
    const BoxXYWH box = rleToBbox(rle);
    roi = cv::Rect(static_cast<int>(box[0]), static_cast<int>(box[1]), static_cast<int>(box[2]),
                   static_cast<int>(box[3]));
    roi &= cv::Rect(0, 0, rle.w, rle.h);
    if (roi.area() <= 0) return false;
    roi_mask = decodeRleRegion(rle, roi);
    return true;
  }
  // A mask of another size (tolerated results): decode it whole and scale it to the frame.
  if (rle.h <= 0 || rle.w <= 0) return false;
  cv::Mat full(rle.h, rle.w, CV_8U);
  rleDecode(rle, full.data, full.step);
  cv::Mat scaled;
  cv::resize(full, scaled, cv::Size(frame_size.width(), frame_size.height()), 0, 0, cv::INTER_NEAREST);
  roi = maskBox(scaled);
  if (roi.area() <= 0) return false;
  roi_mask = scaled(roi).clone();
  return true;
}

QImage tintImage(const cv::Mat& roi_mask, QRgb premultiplied) {
  QImage tint(roi_mask.cols, roi_mask.rows, QImage::Format_ARGB32_Premultiplied);
  for (int y = 0; y < roi_mask.rows; ++y) {
    const uint8_t* in = roi_mask.ptr<uint8_t>(y);
    auto* out = reinterpret_cast<QRgb*>(tint.scanLine(y));
    for (int x = 0; x < roi_mask.cols; ++x) out[x] = in[x] ? premultiplied : 0u;
  }
  return tint;
}

QVector<QPolygonF> traceOutline(const cv::Mat& roi_mask, const cv::Rect& roi) {
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(roi_mask, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
  QVector<QPolygonF> outline;
  outline.reserve(static_cast<int>(contours.size()));
  for (const auto& contour : contours) {
    QPolygonF polygon;
    polygon.reserve(static_cast<int>(contour.size()));
    // +0.5: the line runs through the centres of the border pixels.
    for (const cv::Point& p : contour) polygon.append(QPointF(p.x + roi.x + 0.5, p.y + roi.y + 0.5));
    outline.append(polygon);
  }
  return outline;
}

}  // namespace

cv::Mat decodeRleRegion(const Rle& rle, const cv::Rect& roi) {
  cv::Mat out = cv::Mat::zeros(std::max(0, roi.height), std::max(0, roi.width), CV_8U);
  if (out.empty() || rle.h <= 0) return out;
  size_t position = 0;
  bool foreground = false;
  const size_t first = static_cast<size_t>(roi.x) * rle.h;
  const size_t last = static_cast<size_t>(roi.x + roi.width) * rle.h;
  for (uint32_t count : rle.counts) {
    if (position >= last) break;
    const size_t end = position + count;
    if (foreground && end > first) fillRun(std::max(position, first), std::min(end, last), rle.h, roi, out);
    position = end;
    foreground = !foreground;
  }
  return out;
}

std::vector<MaskOverlay> renderMaskOverlays(const std::vector<const YtvisTrack*>& tracks,
                                            const std::vector<QColor>& colors, int frame, QSize frame_size,
                                            double alpha) {
  std::vector<MaskOverlay> overlays;
  const int a = std::clamp(static_cast<int>(std::lround(alpha * 255)), 0, 255);
  for (size_t i = 0; i < tracks.size(); ++i) {
    const YtvisTrack& track = *tracks[i];
    if (frame < 0 || frame >= track.numFrames() || !track.segmentations[frame]) continue;
    cv::Mat roi_mask;
    cv::Rect roi;
    try {
      if (!decodeMask(*track.segmentations[frame], frame_size, roi_mask, roi)) continue;
    } catch (const Error&) {
      continue;  // validated on load; a bad mask must not stop the others from showing
    }
    const QColor color = i < colors.size() ? colors[i] : QColor(Qt::white);
    MaskOverlay overlay;
    overlay.track = static_cast<int>(i);
    overlay.box = QRect(roi.x, roi.y, roi.width, roi.height);
    overlay.tint = tintImage(roi_mask, qPremultiply(qRgba(color.red(), color.green(), color.blue(), a)));
    overlay.contour = traceOutline(roi_mask, roi);
    overlays.push_back(std::move(overlay));
  }
  return overlays;
}

QImage toPaintableImage(const cv::Mat& rgb) {
  QImage image(rgb.cols, rgb.rows, QImage::Format_RGB32);
  // Format_RGB32 is 0xffRRGGBB per pixel, i.e. bytes B, G, R, 255 on little-endian machines.
  cv::Mat target(rgb.rows, rgb.cols, CV_8UC4, image.bits(), static_cast<size_t>(image.bytesPerLine()));
#if Q_BYTE_ORDER == Q_LITTLE_ENDIAN
  cv::cvtColor(rgb, target, cv::COLOR_RGB2BGRA);
#else
  cv::Mat argb;
  cv::cvtColor(rgb, argb, cv::COLOR_RGB2RGBA);
  const int from_to[] = {3, 0, 0, 1, 1, 2, 2, 3};
  cv::mixChannels(&argb, 1, &target, 1, from_to, 4);
#endif
  return image;
}

}  // namespace autoqvis::widgets
