// A contact sheet of a dataset with its masks overlaid: a quick look at what the data and the labels
// look like, written by `autoqvis --headless preview` and the demo.
#pragma once

#include <filesystem>
#include <opencv2/core.hpp>

#include "core/dataset/coco_json.h"
#include "core/dataset/ytvis_json.h"

namespace autoqvis {

/// `videos` evenly spread videos, `per_video` evenly spread frames of each, one row per video.
/// Frames are read from `frame_root / file_name`; masks come from the dataset's annotations.
cv::Mat renderVideoPreview(const YtvisDataset& dataset, const std::filesystem::path& frame_root, int videos,
                           int per_video, int tile_width = 200);
/// The first `images` stills with their masks (e.g. pseudo-masks), `columns` per row.
cv::Mat renderImagePreview(const CocoDataset& dataset, const std::filesystem::path& image_root, int images,
                           int columns, int tile_width = 200);

}  // namespace autoqvis
