#include "core/dataset/coco_as_videos.h"

#include "core/dataset/frame_fields.h"
#include "core/dataset/ytvis_json.h"
#include "core/util/error.h"

namespace autoqvis {

YtvisDataset cocoAsOneFrameVideos(const CocoDataset& coco) {
  YtvisDataset videos;
  videos.categories.push_back(YtvisCategory{});  // class-agnostic, as the pseudo-masks are
  for (const CocoImage& image : coco.images) {
    videos.videos.push_back({image.id, image.width, image.height, {image.file_name}});
  }
  for (const CocoAnnotation& annotation : coco.annotations) {
    YtvisTrack track;
    track.id = annotation.id;
    track.video_id = annotation.image_id;
    track.category_id = annotation.category_id;
    track.iscrowd = annotation.iscrowd;
    track.segmentations = {annotation.segmentation};
    track.areas = {annotation.area};
    track.bboxes = {annotation.bbox};
    if (annotation.score) track.frame_values[frame_fields::kScore] = {*annotation.score};
    videos.annotations.push_back(std::move(track));
  }
  videos.reindex();
  return videos;
}

YtvisDataset loadVideosOrImageSet(const std::filesystem::path& path, bool* is_image_set) {
  if (is_image_set) *is_image_set = false;
  try {
    return loadYtvisDataset(path);
  } catch (const Error& as_videos) {
    // Only a file that is not a YouTube-VIS dataset is read a second time.
    CocoDataset coco;
    try {
      coco = loadCocoDataset(path);
    } catch (const Error&) {
      throw as_videos;
    }
    if (is_image_set) *is_image_set = true;
    return cocoAsOneFrameVideos(coco);
  }
}

}  // namespace autoqvis
