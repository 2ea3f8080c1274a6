// One frame ready to paint: the image and each track's mask as a tinted, cropped image plus its
// outline. Built off the GUI thread (FrameLoader's worker) so that painting is only image blits.
#pragma once

#include <QImage>
#include <QPolygonF>
#include <QRect>
#include <QString>
#include <QVector>
#include <memory>
#include <vector>

namespace autoqvis::widgets {

struct MaskOverlay {
  int track = 0;               ///< position in the video's track list (the row in the track models)
  QRect box;                   ///< bounding box in frame pixels
  QImage tint;                 ///< box-sized, premultiplied ARGB: the track colour where the mask is
  QVector<QPolygonF> contour;  ///< outlines through the centres of the border pixels, frame coordinates
};

struct FramePacket {
  int index = 0;
  QImage image;   ///< Format_RGB32; null when the frame could not be read
  QString error;  ///< why `image` is null
  std::vector<MaskOverlay> masks;
};

using FramePacketPtr = std::shared_ptr<const FramePacket>;

}  // namespace autoqvis::widgets
