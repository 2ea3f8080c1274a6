// A COCO image set (e.g. the stills with their pseudo-masks that synthetic videos are made from) as
// one-frame YouTube-VIS videos, so everything that shows or counts videos shows stills too.
#pragma once

#include <filesystem>

#include "core/dataset/coco_json.h"
#include "core/dataset/ytvis_dataset.h"

namespace autoqvis {

/// Each image becomes the video with its id (one frame, its file name); each annotation the track
/// with its id on that video (its mask, area and box; a pseudo-mask's score as the per-frame "score").
YtvisDataset cocoAsOneFrameVideos(const CocoDataset& coco);

/// A YouTube-VIS dataset, or a COCO image set as one-frame videos (`is_image_set` says which). When the
/// file is neither, the error is the YouTube-VIS reader's.
YtvisDataset loadVideosOrImageSet(const std::filesystem::path& path, bool* is_image_set = nullptr);

}  // namespace autoqvis
