// Where training clips come from. Two sources, as in the AutoQ-VIS rounds (method.md §4.5):
//  - SyntheticStillSource: still images with pseudo-masks (COCO JSON, as CutLER's MaskCut writes them). A
//    still becomes a clip as VideoCutLER's CocoClipDatasetMapper does it: the same image num_frames times,
//    each copy augmented on its own (crop, rotation, brightness, contrast per frame; size and flip per clip),
//    so objects already move a little; ImageCut2Video copy-paste (image_cut2video.h) adds real motion later,
//    at the batch level. Ids are the annotation ids, every object in every frame.
//  - PseudoLabelSource: a YouTube-VIS dataset (frame folders + per-frame RLE tracks), e.g. a round's
//    pseudo-labels (method.md §7). Frames are sampled (clip_sampling.h), slots follow YTVISDatasetMapper.
// Sources are immutable after construction, so one source serves all loader threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/data/clip_augmentation.h"
#include "core/data/clip_sampling.h"
#include "core/data/training_clip.h"
#include "core/dataset/coco_json.h"
#include "core/dataset/ytvis_json.h"
#include "core/util/rng.h"

namespace autoqvis {

/// The per-clip mapping settings shared by both sources.
struct ClipMapperOptions {
  ClipSamplingOptions sampling;
  ClipAugmentationOptions augmentation;
};

class ClipSource {
 public:
  virtual ~ClipSource() = default;
  /// TrainingClip::source of its clips: "synthetic" or "pseudo".
  virtual std::string name() const = 0;
  /// Number of items (stills or videos); the loader shuffles indices 0..size()-1 per epoch.
  virtual int64_t size() const = 0;
  /// Orientation recorded in the dataset (width > height), the aspect-ratio grouping key. detectron2 groups
  /// by the dataset record's width and height too, so the grouping is known before anything is decoded.
  virtual bool isLandscape(int64_t index) const = 0;
  /// Whether batches of this source get ImageCut2Video copy-paste (AutoQ-VIS: the synthetic source only).
  virtual bool wantsCopyPaste() const { return false; }
  /// The augmented clip of item `index`; all randomness comes from `rng`. Thread-safe. Throws Error naming
  /// the file for a missing or corrupt image or mask.
  virtual TrainingClip clip(int64_t index, Rng& rng) const = 0;
  /// A clip of a uniformly drawn item (for tools and tests; the loader uses clip() with its own order).
  TrainingClip next(Rng& rng) const;
};

class SyntheticStillSource : public ClipSource {
 public:
  /// `image_root`: folder the image file names are relative to; `annotations_file` names errors.
  SyntheticStillSource(CocoDataset dataset, std::filesystem::path image_root, ClipMapperOptions options,
                       std::string annotations_file = {});
  static std::shared_ptr<SyntheticStillSource> load(const std::filesystem::path& annotations,
                                                    const std::filesystem::path& image_root, ClipMapperOptions options);

  std::string name() const override { return "synthetic"; }
  int64_t size() const override { return static_cast<int64_t>(dataset_.images.size()); }
  bool isLandscape(int64_t index) const override;
  bool wantsCopyPaste() const override { return true; }
  TrainingClip clip(int64_t index, Rng& rng) const override;

 private:
  CocoDataset dataset_;
  std::filesystem::path image_root_;
  ClipMapperOptions options_;
  std::string annotations_file_;
  std::vector<std::vector<int>> annotations_of_image_;  // non-crowd annotation indices per image
};

class PseudoLabelSource : public ClipSource {
 public:
  /// Every video must allow the configured clip sampling (>= 2 frames for clips of >= 2 frames): checked
  /// here, so a bad dataset fails at start with the video id rather than mid-training.
  PseudoLabelSource(YtvisDataset dataset, std::filesystem::path frame_root, ClipMapperOptions options,
                    std::string dataset_file = {});
  static std::shared_ptr<PseudoLabelSource> load(const std::filesystem::path& dataset_json,
                                                 const std::filesystem::path& frame_root, ClipMapperOptions options);

  std::string name() const override { return "pseudo"; }
  int64_t size() const override { return static_cast<int64_t>(dataset_.videos.size()); }
  bool isLandscape(int64_t index) const override;
  TrainingClip clip(int64_t index, Rng& rng) const override;

 private:
  YtvisDataset dataset_;
  std::filesystem::path frame_root_;
  ClipMapperOptions options_;
  std::string dataset_file_;
  std::vector<std::vector<int>> tracks_of_video_;  // non-crowd track indices per video, by ascending id
};

}  // namespace autoqvis
