#include "core/export/dataset_preview.h"

#include <algorithm>
#include <map>

#include "core/export/mask_overlay.h"
#include "core/video/image_io.h"
#include "core/util/error.h"

namespace autoqvis {
namespace {

cv::Mat decodeMask(const CompressedRle& rle) {
  cv::Mat mask(rle.h, rle.w, CV_8UC1);
  rleDecode(decompress(rle), mask.data, mask.step);
  return mask;
}

// Indices 0..count-1 spread evenly over n items (all of them when n <= count).
std::vector<int> spread(int n, int count) {
  std::vector<int> picks;
  if (n <= 0 || count <= 0) return picks;
  if (n <= count) {
    for (int i = 0; i < n; ++i) picks.push_back(i);
    return picks;
  }
  for (int i = 0; i < count; ++i) picks.push_back(count == 1 ? 0 : i * (n - 1) / (count - 1));
  return picks;
}

}  // namespace

cv::Mat renderVideoPreview(const YtvisDataset& dataset, const std::filesystem::path& frame_root, int videos,
                           int per_video, int tile_width) {
  if (dataset.videos.empty()) throw Error("the dataset has no videos to preview");
  std::map<int64_t, std::vector<const YtvisTrack*>> tracks;
  for (const auto& track : dataset.annotations) tracks[track.video_id].push_back(&track);
  std::vector<cv::Mat> tiles;
  std::vector<std::string> captions;
  const auto video_picks = spread(static_cast<int>(dataset.videos.size()), videos);
  int columns = 1;
  for (int v : video_picks) {
    const YtvisVideo& video = dataset.videos[v];
    const auto frame_picks = spread(video.length(), per_video);
    columns = std::max(columns, static_cast<int>(frame_picks.size()));
    for (int t : frame_picks) {
      cv::Mat frame;
      try {
        frame = readImageRgb(frame_root / video.file_names[t]);
      } catch (const Error& e) {
        ErrorContext context;
        context.video_id = video.id;
        context.frame = t;
        throw e.withContext(context);
      }
      std::vector<OverlayMask> overlays;
      const auto& video_tracks = tracks[video.id];
      for (size_t k = 0; k < video_tracks.size(); ++k) {
        const auto& segmentation = video_tracks[k]->segmentations.at(t);
        if (segmentation) overlays.push_back({decodeMask(*segmentation), static_cast<int>(k + 1), std::to_string(k + 1)});
      }
      tiles.push_back(drawOverlay(frame, overlays));
      captions.push_back("video " + std::to_string(video.id) + " frame " + std::to_string(t));
    }
    // Pad short rows so that each video starts a new row.
    while (tiles.size() % columns != 0) {
      tiles.push_back(cv::Mat(tiles.back().size(), CV_8UC3, cv::Scalar(32, 32, 32)));
      captions.emplace_back();
    }
  }
  return contactSheet(tiles, captions, columns, tile_width);
}

cv::Mat renderImagePreview(const CocoDataset& dataset, const std::filesystem::path& image_root, int images, int columns,
                           int tile_width) {
  if (dataset.images.empty()) throw Error("the dataset has no images to preview");
  std::map<int64_t, std::vector<const CocoAnnotation*>> by_image;
  for (const auto& a : dataset.annotations) by_image[a.image_id].push_back(&a);
  std::vector<cv::Mat> tiles;
  std::vector<std::string> captions;
  for (int i = 0; i < std::min<int>(images, static_cast<int>(dataset.images.size())); ++i) {
    const CocoImage& image = dataset.images[i];
    cv::Mat frame = readImageRgb(image_root / image.file_name);
    std::vector<OverlayMask> overlays;
    const auto& annotations = by_image[image.id];
    for (size_t k = 0; k < annotations.size(); ++k) {
      overlays.push_back({decodeMask(annotations[k]->segmentation), static_cast<int>(k + 1), std::to_string(k + 1)});
    }
    tiles.push_back(drawOverlay(frame, overlays));
    captions.push_back(image.file_name + " (" + std::to_string(annotations.size()) + " masks)");
  }
  return contactSheet(tiles, captions, columns, tile_width);
}

}  // namespace autoqvis
