// The training augmentation chain of one clip (VideoCutLER's build_augmentation, method.md §4.2), in the
// official order, each step drawn per frame unless marked "by clip":
//   1. RandomCrop("absolute_range", [600, 720]), per frame: a side shorter than 600 is not cropped.
//   2. ResizeShortestEdge([360, 480], max 1333), short side by clip; images Pillow-bilinear, masks nearest.
//   3. Horizontal flip with p = 0.5, by clip.
//   4. Brightness: img * w, w ~ U(0.9, 1.1), per frame.
//   5. Contrast: img * w + mean * (1 - w), w ~ U(0.9, 1.1), per frame; mean = the mean of all pixel values
//      of all three channels (detectron2 RandomContrast's image.mean(), not a grayscale mean).
//   6. Rotation by U(-15, 15) degrees about a centre drawn in the middle 20 % box, expand = false; images
//      bilinear, masks nearest, outside filled with 0 (detectron2 RotationTransform through cv::warpAffine).
// Then, as YTVISDatasetMapper's filter_empty_instances, an instance whose mask became empty gets id -1 in
// that frame (its slot stays, so slots remain aligned across frames).
#pragma once

#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "core/data/instance_planes.h"
#include "core/data/training_clip.h"
#include "core/util/rng.h"

namespace autoqvis {

/// Every size and range of the chain. Defaults are the paper's (video_mask2former_R50_cls_agnostic.yaml).
struct ClipAugmentationOptions {
  bool crop = true;                       ///< INPUT.CROP.ENABLED
  int crop_min = 600;                     ///< INPUT.CROP.SIZE[0], pixels
  int crop_max = 720;                     ///< INPUT.CROP.SIZE[1], pixels
  std::vector<int> short_sides = {360, 480};  ///< MIN_SIZE_TRAIN, one chosen uniformly
  bool resize_by_clip = true;             ///< "choice_by_clip": one short side for all frames of a clip
  int max_size = 1333;                    ///< MAX_SIZE_TRAIN: cap on the long side
  double flip_prob = 0.5;                 ///< horizontal flip probability
  bool flip_by_clip = true;               ///< "flip_by_clip": one decision for all frames of a clip
  double brightness_min = 0.9, brightness_max = 1.1;  ///< RandomBrightness factor range
  double contrast_min = 0.9, contrast_max = 1.1;      ///< RandomContrast factor range
  double rotation_min_deg = -15.0, rotation_max_deg = 15.0;    ///< RandomRotation angle range
  double rotation_center_min = 0.4, rotation_center_max = 0.6;  ///< centre box, relative, both axes
};

/// Every random parameter of one frame, drawn before anything is applied (lets tests and logs see them).
struct FrameAugmentation {
  cv::Rect crop;           ///< in input pixels; the whole image when not cropped
  cv::Size resized;        ///< size after ResizeShortestEdge
  bool flip = false;
  double brightness = 1;   ///< factor w of step 4
  double contrast = 1;     ///< factor w of step 5
  double angle_deg = 0;    ///< step 6; 0 = no rotation
  double center_x = 0.5;   ///< rotation centre relative to the (resized) width
  double center_y = 0.5;
};

/// Output size of detectron2's ResizeShortestEdge: scale the short side to `short_side`, shrink if the long
/// side then exceeds `max_size`, round each side with int(x + 0.5).
cv::Size shortestEdgeSize(cv::Size input, int short_side, int max_size);

/// Draws the frames' parameters of one clip. Construct one per clip: the by-clip draws (short side, flip)
/// happen on the first frame and are reused, like the official augmentations' frame counters.
class ClipAugmenter {
 public:
  explicit ClipAugmenter(const ClipAugmentationOptions& options);
  /// Parameters of the next frame, whose image has size `input`. Draw order as detectron2: crop h, crop w,
  /// crop y, crop x, [short side], [flip], brightness, contrast, angle, centre x, centre y.
  FrameAugmentation drawFrame(cv::Size input, Rng& rng);

 private:
  ClipAugmentationOptions options_;
  bool have_clip_draws_ = false;
  int short_side_ = 0;
  bool flip_ = false;
};

/// Applies one frame's parameters to its image (CV_8UC3 RGB) and instance masks, in place.
void applyFrameAugmentation(const FrameAugmentation& params, cv::Mat& image, InstancePlanes& masks);

/// Builds the hand-over frame: image as [3, H, W] uint8, masks as [S, H, W] bool, and `ids` with -1 for
/// every instance whose mask is empty (filter_empty_instances). `classes` are passed through.
ClipFrame makeClipFrame(const cv::Mat& image, const InstancePlanes& masks, std::vector<int64_t> ids,
                        std::vector<int64_t> classes, std::string file_name);

/// cv::Mat (CV_8UC3 RGB) <-> [3, H, W] uint8 tensor.
torch::Tensor imageToTensor(const cv::Mat& image);
cv::Mat tensorToImage(const torch::Tensor& image);

}  // namespace autoqvis
