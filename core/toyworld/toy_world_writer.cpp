#include "core/toyworld/toy_world_writer.h"

#include <cstdio>
#include <sstream>

#include "core/dataset/coco_json.h"
#include "core/video/image_io.h"
#include "core/dataset/ytvis_json.h"
#include "core/util/error.h"
#include "core/util/log.h"

namespace autoqvis {
namespace {

namespace fs = std::filesystem;
constexpr const char* kJob = "make-toy-data";

std::string numbered(int number, int digits, const char* extension) {
  char name[32];
  std::snprintf(name, sizeof(name), "%0*d%s", digits, number, extension);
  return name;
}

CompressedRle encodeMask(const cv::Mat& mask) {
  return compress(rleEncode(mask.data, mask.rows, mask.cols, mask.step));
}

CocoAnnotation cocoAnnotation(const cv::Mat& mask, int64_t id, int64_t image_id) {
  CocoAnnotation a;
  a.id = id;
  a.image_id = image_id;
  const Rle rle = rleEncode(mask.data, mask.rows, mask.cols, mask.step);
  a.segmentation = compress(rle);
  a.area = static_cast<double>(rleArea(rle));
  a.bbox = rleToBbox(rle);
  return a;
}

YtvisTrack ytvisTrack(const ToyTrack& toy, int64_t id, int64_t video_id) {
  YtvisTrack track;
  track.id = id;
  track.video_id = video_id;
  for (const cv::Mat& mask : toy.masks) {
    track.segmentations.push_back(mask.empty() ? std::nullopt
                                               : std::optional<CompressedRle>(encodeMask(mask)));
  }
  track.computeAreasAndBoxes();
  return track;
}

}  // namespace

void ToyWorldStats::addStill(const ToyStill& still) {
  ++images;
  objects += static_cast<int>(still.true_masks.size());
  missed += static_cast<int>(still.missed.size());
  pseudo_masks += static_cast<int>(still.pseudo_masks.size());
  for (const ToyPseudoMask& m : still.pseudo_masks) {
    merged += m.kind == PseudoMaskKind::Merged;
    eroded += m.kind == PseudoMaskKind::Eroded;
    dilated += m.kind == PseudoMaskKind::Dilated;
    spurious += m.kind == PseudoMaskKind::Spurious;
  }
}

void ToyWorldStats::addVideo(const ToyVideo& video, int min_visible_px) {
  ++videos;
  val_videos += video.split == ToySplit::Val;
  frames += static_cast<int>(video.frames.size());
  for (const ToyTrack& track : video.tracks) {
    if (!track.visible()) continue;
    ++tracks;
    for (const cv::Mat& mask : track.masks) instance_frames += !mask.empty();
    occlusion_events += occlusionEvents(track, min_visible_px);
    objects_leaving += leavesFrame(track);
    objects_entering += entersFrame(track);
  }
}

std::string ToyWorldStats::summary() const {
  std::ostringstream out;
  out << images << " stills with " << objects << " objects: " << pseudo_masks << " pseudo-masks (" << missed
      << " objects missed, " << merged << " merged, " << eroded << " eroded, " << dilated << " dilated, "
      << spurious << " spurious)\n"
      << videos << " videos (" << val_videos << " validation), " << frames << " frames, " << tracks
      << " tracks, " << instance_frames << " masks; " << occlusion_events << " occlusions, "
      << objects_leaving << " leaving, " << objects_entering << " entering";
  return out.str();
}

struct ToyWorldWriter::Datasets {
  CocoDataset pseudo, truth;
  YtvisDataset unlabeled, unlabeled_gt, val;
};

ToyWorldWriter::ToyWorldWriter(ToyWorldOptions options, fs::path root)
    : Controller("make-toy-data"), options_(std::move(options)), root_(std::move(root)) {}

namespace {

// Rewriting a world in place: the old JSON files go first, so that an interrupted run leaves no JSON
// describing frames that have since been overwritten (the JSON files are the "commit").
void removeOldJson(const fs::path& root) {
  for (const char* part : {"synthetic/true_masks.json", "synthetic/pseudo_masks.json", "unlabeled/videos_gt.json",
                           "unlabeled/videos.json", "val/videos.json"}) {
    std::error_code ec;
    fs::remove(root / part, ec);
    if (ec) throw Error("cannot remove the previous world's file: " + ec.message(), inFile((root / part).string()));
  }
}

void createFolder(const fs::path& folder) {
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw Error("cannot create folder: " + ec.message(), inFile(folder.string()));
}

}  // namespace

void ToyWorldWriter::run() {
  checkToyWorldOptions(options_);
  stats_ = {};
  removeOldJson(root_);
  Datasets data;
  writeStills(&data);
  writeVideos(ToySplit::Unlabeled, &data);
  writeVideos(ToySplit::Val, &data);
  writeJson(data);
  logInfo("toy world written to " + root_.string() + ":\n" + stats_.summary());
}

void ToyWorldWriter::writeStills(Datasets* out) {
  const fs::path folder = root_ / "synthetic" / "images";
  createFolder(folder);
  ProgressReporter progress = reporter(kJob, "stills", options_.num_images);
  for (int i = 0; i < options_.num_images; ++i) {
    checkStop();
    const ToyStill still = generateToyStill(options_, i);
    const std::string file_name = numbered(i, 6, ".jpg");
    writeImageRgb(folder / file_name, still.image, options_.jpeg_quality);
    const int64_t image_id = i + 1;
    out->pseudo.images.push_back({image_id, file_name, still.image.cols, still.image.rows});
    for (const ToyPseudoMask& m : still.pseudo_masks) {
      out->pseudo.annotations.push_back(
          cocoAnnotation(m.mask, static_cast<int64_t>(out->pseudo.annotations.size()) + 1, image_id));
    }
    for (const cv::Mat& mask : still.true_masks) {
      out->truth.annotations.push_back(
          cocoAnnotation(mask, static_cast<int64_t>(out->truth.annotations.size()) + 1, image_id));
    }
    stats_.addStill(still);
    progress.step(1, file_name);
  }
  out->truth.images = out->pseudo.images;
}

void ToyWorldWriter::writeVideos(ToySplit split, Datasets* out) {
  const bool unlabeled = split == ToySplit::Unlabeled;
  const fs::path frames_root = root_ / (unlabeled ? "unlabeled" : "val") / "JPEGImages";
  const int count = unlabeled ? options_.num_unlabeled_videos : options_.num_val_videos;
  YtvisDataset& videos = unlabeled ? out->unlabeled : out->val;
  YtvisDataset& gt = unlabeled ? out->unlabeled_gt : out->val;
  createFolder(frames_root);
  ProgressReporter progress = reporter(kJob, unlabeled ? "unlabeled videos" : "validation videos", count);
  for (int i = 0; i < count; ++i) {
    checkStop();
    const ToyVideo video = generateToyVideo(options_, split, i);
    YtvisVideo entry;
    entry.id = i + 1;
    entry.width = options_.video_width;
    entry.height = options_.video_height;
    createFolder(frames_root / video.name);
    for (size_t f = 0; f < video.frames.size(); ++f) {
      entry.file_names.push_back(video.name + "/" + numbered(static_cast<int>(f), 5, ".jpg"));
      writeImageRgb(frames_root / entry.file_names.back(), video.frames[f], options_.jpeg_quality);
    }
    videos.videos.push_back(entry);
    if (&gt != &videos) gt.videos.push_back(entry);
    for (const ToyTrack& track : video.tracks) {
      if (!track.visible()) continue;
      gt.annotations.push_back(ytvisTrack(track, static_cast<int64_t>(gt.annotations.size()) + 1, entry.id));
    }
    stats_.addVideo(video, options_.min_visible_px);
    progress.step(1, video.name);
  }
  videos.categories = {YtvisCategory{}};
  gt.categories = {YtvisCategory{}};
}

void ToyWorldWriter::writeJson(const Datasets& data) {
  ProgressReporter progress = reporter(kJob, "annotations", 5);
  checkStop();
  saveCocoDataset(data.truth, root_ / "synthetic" / "true_masks.json");
  progress.step(1, "synthetic/true_masks.json");
  saveCocoDataset(data.pseudo, root_ / "synthetic" / "pseudo_masks.json");
  progress.step(1, "synthetic/pseudo_masks.json");
  saveYtvisDataset(data.unlabeled_gt, root_ / "unlabeled" / "videos_gt.json");
  progress.step(1, "unlabeled/videos_gt.json");
  saveYtvisDataset(data.unlabeled, root_ / "unlabeled" / "videos.json");
  progress.step(1, "unlabeled/videos.json");
  saveYtvisDataset(data.val, root_ / "val" / "videos.json");
  progress.step(1, "val/videos.json");
}

}  // namespace autoqvis
