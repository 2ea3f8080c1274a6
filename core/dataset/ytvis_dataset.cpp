#include "core/dataset/ytvis_dataset.h"

namespace autoqvis {

int YtvisTrack::numPresentFrames() const {
  int n = 0;
  for (const auto& s : segmentations) n += s.has_value();
  return n;
}

void YtvisTrack::computeAreasAndBoxes() {
  areas.assign(segmentations.size(), std::nullopt);
  bboxes.assign(segmentations.size(), std::nullopt);
  for (size_t t = 0; t < segmentations.size(); ++t) {
    if (!segmentations[t]) continue;
    const Rle rle = decompress(*segmentations[t]);
    areas[t] = static_cast<double>(rleArea(rle));
    bboxes[t] = rleToBbox(rle);
  }
}

void YtvisDataset::reindex() {
  video_index_.clear();
  for (size_t i = 0; i < videos.size(); ++i) video_index_.emplace(videos[i].id, static_cast<int>(i));
}

int YtvisDataset::videoIndex(int64_t id) const {
  auto it = video_index_.find(id);
  if (it != video_index_.end() && it->second < static_cast<int>(videos.size()) && videos[it->second].id == id) {
    return it->second;
  }
  for (size_t i = 0; i < videos.size(); ++i) {
    if (videos[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

const YtvisVideo* YtvisDataset::findVideo(int64_t id) const {
  int index = videoIndex(id);
  return index < 0 ? nullptr : &videos[index];
}

}  // namespace autoqvis
