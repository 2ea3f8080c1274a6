#include "core/data/training_sources.h"

#include <algorithm>
#include <unordered_map>

#include "core/video/image_io.h"
#include "core/dataset/rle.h"
#include "core/util/error.h"
#include "core/util/progress.h"

namespace autoqvis {
namespace fs = std::filesystem;
namespace {

constexpr int64_t kObjectClass = 0;  // class-agnostic: every real instance is "object"
constexpr int64_t kDummyClass = 1;   // num_classes: the mapper's dummy annotation

// One frame before augmentation, instances already in slot order.
struct RawFrame {
  cv::Mat image;
  InstancePlanes masks;
  std::vector<int64_t> ids;
  std::vector<int64_t> classes;
  std::string file;
};

fs::path resolve(const fs::path& root, const std::string& name) {
  const fs::path p(name);
  return p.is_absolute() ? p : root / p;
}

// Runs `body`, turning foreign exceptions (OpenCV, LibTorch, std) into an Error that names `file`, and
// filling in missing context of our own Errors.
template <class F>
auto withFileContext(const ErrorContext& context, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const StoppedError&) {
    throw;
  } catch (const Error& e) {
    throw e.withContext(context);
  } catch (const std::exception& e) {
    throw Error(e.what(), context);
  }
}

void checkMaskSize(const cv::Mat& image, const CompressedRle& rle, const std::string& file) {
  if (rle.h != image.rows || rle.w != image.cols) {
    throw Error("image is " + std::to_string(image.cols) + "x" + std::to_string(image.rows) +
                    " but its masks are " + std::to_string(rle.w) + "x" + std::to_string(rle.h),
                inFile(file));
  }
}

TrainingClip augmentFrames(std::vector<RawFrame>& frames, const ClipAugmentationOptions& options, Rng& rng,
                           const std::string& source_name) {
  ClipAugmenter augmenter(options);
  TrainingClip clip;
  clip.source = source_name;
  for (RawFrame& raw : frames) {
    withFileContext(inFile(raw.file), [&] {
      const FrameAugmentation params = augmenter.drawFrame(raw.image.size(), rng);
      applyFrameAugmentation(params, raw.image, raw.masks);
      clip.frames.push_back(makeClipFrame(raw.image, raw.masks, raw.ids, raw.classes, raw.file));
    });
  }
  return clip;
}

}  // namespace

TrainingClip ClipSource::next(Rng& rng) const {
  if (size() == 0) throw Error("source '" + name() + "' has no items");
  return clip(rng.uniformInt(0, size() - 1), rng);
}

// ---------------------------------------------------------------------------------------------------------
// Synthetic stills

SyntheticStillSource::SyntheticStillSource(CocoDataset dataset, fs::path image_root, ClipMapperOptions options,
                                           std::string annotations_file)
    : dataset_(std::move(dataset)),
      image_root_(std::move(image_root)),
      options_(std::move(options)),
      annotations_file_(std::move(annotations_file)) {
  std::unordered_map<int64_t, int> image_index;
  for (size_t i = 0; i < dataset_.images.size(); ++i) image_index[dataset_.images[i].id] = static_cast<int>(i);
  annotations_of_image_.resize(dataset_.images.size());
  for (size_t a = 0; a < dataset_.annotations.size(); ++a) {
    const CocoAnnotation& ann = dataset_.annotations[a];
    if (ann.iscrowd) continue;  // the mapper drops crowd regions
    const auto it = image_index.find(ann.image_id);
    if (it == image_index.end()) {
      ErrorContext context = inFile(annotations_file_);
      context.annotation_id = ann.id;
      throw Error("annotation refers to unknown image id " + std::to_string(ann.image_id), context);
    }
    annotations_of_image_[static_cast<size_t>(it->second)].push_back(static_cast<int>(a));
  }
  if (options_.sampling.num_frames < 1) throw Error("a clip needs at least one frame (sampling_frames)");
}

std::shared_ptr<SyntheticStillSource> SyntheticStillSource::load(const fs::path& annotations,
                                                                 const fs::path& image_root,
                                                                 ClipMapperOptions options) {
  return std::make_shared<SyntheticStillSource>(loadCocoDataset(annotations), image_root, std::move(options),
                                                annotations.string());
}

bool SyntheticStillSource::isLandscape(int64_t index) const {
  const CocoImage& image = dataset_.images.at(static_cast<size_t>(index));
  return image.width > image.height;
}

TrainingClip SyntheticStillSource::clip(int64_t index, Rng& rng) const {
  const CocoImage& info = dataset_.images.at(static_cast<size_t>(index));
  const std::string file = resolve(image_root_, info.file_name).string();
  const std::vector<int>& anns = annotations_of_image_[static_cast<size_t>(index)];
  RawFrame still;
  still.file = file;
  still.image = readImageRgb(file);
  still.masks = InstancePlanes(still.image.size(), static_cast<int>(anns.size()));
  for (size_t k = 0; k < anns.size(); ++k) {
    const CocoAnnotation& ann = dataset_.annotations[static_cast<size_t>(anns[k])];
    ErrorContext context = inFile(annotations_file_);
    context.annotation_id = ann.id;
    withFileContext(context, [&] {
      checkMaskSize(still.image, ann.segmentation, file);
      still.masks.setFromRle(static_cast<int>(k), decompress(ann.segmentation));
    });
    still.ids.push_back(ann.id);
    still.classes.push_back(kObjectClass);
  }
  // The same still, num_frames times; each copy gets its own per-frame augmentation.
  std::vector<RawFrame> frames(static_cast<size_t>(options_.sampling.num_frames), still);
  for (RawFrame& frame : frames) frame.image = still.image.clone();
  return augmentFrames(frames, options_.augmentation, rng, name());
}

// ---------------------------------------------------------------------------------------------------------
// Pseudo-labelled videos

PseudoLabelSource::PseudoLabelSource(YtvisDataset dataset, fs::path frame_root, ClipMapperOptions options,
                                     std::string dataset_file)
    : dataset_(std::move(dataset)),
      frame_root_(std::move(frame_root)),
      options_(std::move(options)),
      dataset_file_(std::move(dataset_file)) {
  dataset_.reindex();
  tracks_of_video_.resize(dataset_.videos.size());
  for (size_t t = 0; t < dataset_.annotations.size(); ++t) {
    const YtvisTrack& track = dataset_.annotations[t];
    if (track.iscrowd) continue;  // dropped by the mapper; its slot would only ever hold a dummy
    const int v = dataset_.videoIndex(track.video_id);
    ErrorContext context = inFile(dataset_file_);
    context.annotation_id = track.id;
    context.video_id = track.video_id;
    if (v < 0) throw Error("annotation refers to an unknown video", context);
    if (track.numFrames() != dataset_.videos[static_cast<size_t>(v)].length()) {
      throw Error("annotation has " + std::to_string(track.numFrames()) + " frames, its video " +
                      std::to_string(dataset_.videos[static_cast<size_t>(v)].length()),
                  context);
    }
    tracks_of_video_[static_cast<size_t>(v)].push_back(static_cast<int>(t));
  }
  for (auto& tracks : tracks_of_video_) {
    std::sort(tracks.begin(), tracks.end(), [&](int a, int b) {
      return dataset_.annotations[static_cast<size_t>(a)].id < dataset_.annotations[static_cast<size_t>(b)].id;
    });
  }
  for (const YtvisVideo& video : dataset_.videos) {
    ErrorContext context = inFile(dataset_file_);
    context.video_id = video.id;
    withFileContext(context, [&] { checkClipSamplable(video.length(), options_.sampling); });
  }
}

std::shared_ptr<PseudoLabelSource> PseudoLabelSource::load(const fs::path& dataset_json, const fs::path& frame_root,
                                                           ClipMapperOptions options) {
  return std::make_shared<PseudoLabelSource>(loadYtvisDataset(dataset_json), frame_root, std::move(options),
                                             dataset_json.string());
}

bool PseudoLabelSource::isLandscape(int64_t index) const {
  const YtvisVideo& video = dataset_.videos.at(static_cast<size_t>(index));
  return video.width > video.height;
}

TrainingClip PseudoLabelSource::clip(int64_t index, Rng& rng) const {
  const YtvisVideo& video = dataset_.videos.at(static_cast<size_t>(index));
  const std::vector<int> selected = sampleClipFrames(video.length(), options_.sampling, rng);
  // Slots: every track present (non-null) in any selected frame, by ascending annotation id.
  std::vector<const YtvisTrack*> slots;
  for (int t : tracks_of_video_[static_cast<size_t>(index)]) {
    const YtvisTrack& track = dataset_.annotations[static_cast<size_t>(t)];
    const bool present = std::any_of(selected.begin(), selected.end(),
                                     [&](int f) { return track.segmentations[static_cast<size_t>(f)].has_value(); });
    if (present) slots.push_back(&track);
  }
  std::vector<RawFrame> frames;
  for (int f : selected) {
    RawFrame raw;
    raw.file = resolve(frame_root_, video.file_names[static_cast<size_t>(f)]).string();
    raw.image = readImageRgb(raw.file);
    raw.masks = InstancePlanes(raw.image.size(), static_cast<int>(slots.size()));
    for (size_t k = 0; k < slots.size(); ++k) {
      const std::optional<CompressedRle>& segm = slots[k]->segmentations[static_cast<size_t>(f)];
      raw.ids.push_back(segm ? slots[k]->id : -1);
      raw.classes.push_back(segm ? kObjectClass : kDummyClass);
      if (!segm) continue;  // a dummy: empty mask
      ErrorContext context = inFile(dataset_file_);
      context.video_id = video.id;
      context.annotation_id = slots[k]->id;
      context.frame = f;
      withFileContext(context, [&] {
        checkMaskSize(raw.image, *segm, raw.file);
        raw.masks.setFromRle(static_cast<int>(k), decompress(*segm));
      });
    }
    frames.push_back(std::move(raw));
  }
  return augmentFrames(frames, options_.augmentation, rng, name());
}

}  // namespace autoqvis
