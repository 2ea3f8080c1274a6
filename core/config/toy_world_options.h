// Options of the procedural toy world: still images with imperfect pseudo-masks, unlabeled videos and a
// labelled validation set, all generated on a CPU in seconds. Defaults make a world a laptop trains on in
// minutes.
#pragma once

#include <cstdint>

namespace autoqvis {

struct ToyWorldOptions {
  int64_t seed = 7;  ///< every item is derived from this seed and its own index only

  // Still images: the stand-in for ImageNet photos with CutLER MaskCut pseudo-masks.
  int num_images = 48;               ///< number of still images
  int image_width = 160;             ///< still image width in pixels
  int image_height = 120;            ///< still image height in pixels
  int min_objects_per_image = 1;     ///< objects drawn per still image, at least
  int max_objects_per_image = 3;     ///< ... and at most (must be >= min_objects_per_image)
  double touching_pair_prob = 0.35;  ///< chance that a still places two objects touching (merge candidates)

  // How the stills' pseudo-masks are wrong; the true masks are written separately.
  double pseudo_miss_prob = 0.12;      ///< chance that an object gets no pseudo-mask at all
  double pseudo_boundary_prob = 0.35;  ///< chance that a pseudo-mask is eroded or dilated
  int pseudo_boundary_max_px = 3;      ///< largest erosion/dilation, in pixels
  double pseudo_merge_prob = 0.5;      ///< chance that a touching or nearby pair becomes one mask
  double pseudo_spurious_prob = 0.1;   ///< chance per image of a spurious blob on the background

  // Videos: the stand-in for YouTube-VIS train (unlabeled) and a labelled validation split.
  int num_unlabeled_videos = 12;   ///< unlabeled training videos
  int num_val_videos = 6;          ///< labelled validation videos
  int video_frames = 12;           ///< frames per video
  int video_width = 160;           ///< frame width in pixels
  int video_height = 120;          ///< frame height in pixels
  int min_objects_per_video = 1;   ///< objects per video, at least
  int max_objects_per_video = 4;   ///< ... and at most (must be >= min_objects_per_video)
  double exit_prob = 0.3;          ///< chance that an object leaves or enters the frame during a video
  double video_noise_sigma = 3.0;  ///< largest pixel noise of a video frame (standard deviation, 0-255 scale)
  double video_blur_max = 0.9;     ///< largest Gaussian blur sigma of a video, in pixels

  int min_visible_px = 16;  ///< a mask smaller than this counts as "not visible" (null in the ground truth)
  int jpeg_quality = 92;    ///< JPEG quality of written images and frames

  template <class V>
  void visit(V& v) {
    v.field("seed", seed, "seed of the toy world; same seed and options give the same files", int64_t{0},
            int64_t{1} << 62);
    v.field("num_images", num_images, "number of still images with pseudo-masks", 1, 1000000);
    v.field("image_width", image_width, "still image width in pixels", 32, 4096);
    v.field("image_height", image_height, "still image height in pixels", 32, 4096);
    v.field("min_objects_per_image", min_objects_per_image, "objects per still image, at least", 1, 8);
    v.field("max_objects_per_image", max_objects_per_image, "objects per still image, at most", 1, 8);
    v.field("touching_pair_prob", touching_pair_prob, "chance that a still places two objects touching", 0.0,
            1.0);
    v.field("pseudo_miss_prob", pseudo_miss_prob, "chance that an object has no pseudo-mask", 0.0, 1.0);
    v.field("pseudo_boundary_prob", pseudo_boundary_prob, "chance that a pseudo-mask is eroded or dilated",
            0.0, 1.0);
    v.field("pseudo_boundary_max_px", pseudo_boundary_max_px,
            "largest erosion/dilation of a pseudo-mask (px)", 1, 32);
    v.field("pseudo_merge_prob", pseudo_merge_prob, "chance that a touching pair gets one merged pseudo-mask",
            0.0, 1.0);
    v.field("pseudo_spurious_prob", pseudo_spurious_prob, "chance per image of a spurious background mask",
            0.0, 1.0);
    v.field("num_unlabeled_videos", num_unlabeled_videos, "number of unlabeled training videos", 0, 100000);
    v.field("num_val_videos", num_val_videos, "number of labelled validation videos", 0, 100000);
    v.field("video_frames", video_frames, "frames per video", 2, 1000);
    v.field("video_width", video_width, "video frame width in pixels", 32, 4096);
    v.field("video_height", video_height, "video frame height in pixels", 32, 4096);
    v.field("min_objects_per_video", min_objects_per_video, "objects per video, at least", 1, 16);
    v.field("max_objects_per_video", max_objects_per_video, "objects per video, at most", 1, 16);
    v.field("exit_prob", exit_prob, "chance that a video object leaves or enters the frame", 0.0, 1.0);
    v.field("video_noise_sigma", video_noise_sigma, "largest pixel noise of video frames (0-255 scale)", 0.0,
            50.0);
    v.field("video_blur_max", video_blur_max, "largest Gaussian blur sigma of a video (px)", 0.0, 5.0);
    v.field("min_visible_px", min_visible_px, "masks smaller than this count as not visible", 1, 100000);
    v.field("jpeg_quality", jpeg_quality, "JPEG quality of written images and frames", 50, 100);
  }
};

}  // namespace autoqvis
