// Turns a frame's compressed masks into what the video view paints (MaskOverlay): decodes only each
// mask's bounding box straight from the run lengths, tints it and traces its outline. Thread-safe
// (pure function of its inputs); FrameLoader calls it on its worker thread.
#pragma once

#include <QColor>
#include <QSize>
#include <opencv2/core.hpp>
#include <vector>

#include "core/dataset/rle.h"
#include "core/dataset/ytvis_json.h"
#include "widgets/viewer/frame_packet.h"

namespace autoqvis::widgets {

/// The mask pixels inside `roi` (0/1 bytes, roi-sized, row-major) decoded from column-major runs.
cv::Mat decodeRleRegion(const Rle& rle, const cv::Rect& roi);

/// Overlays of every track that has a mask at `frame`. Masks whose size differs from `frame_size`
/// are scaled to it (nearest neighbour). `colors[i]` is the colour of tracks[i]; `alpha` the tint
/// opacity. Undecodable masks are skipped.
std::vector<MaskOverlay> renderMaskOverlays(const std::vector<const YtvisTrack*>& tracks,
                                            const std::vector<QColor>& colors, int frame, QSize frame_size,
                                            double alpha = 0.45);

/// An RGB CV_8UC3 frame as a Format_RGB32 image (the format QPainter draws fastest).
QImage toPaintableImage(const cv::Mat& rgb);

}  // namespace autoqvis::widgets
