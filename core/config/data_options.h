// Where a run's data lives. Every path is relative to `root` (absolute paths are used as they are),
// so `--set data.root=DIR` points any preset at any generated toy world or real dataset.
#pragma once

#include <string>

namespace autoqvis {

struct DataOptions {
  std::string root = "toy-world";  ///< data root directory
  /// Still images with pseudo-masks, the source of synthetic videos (ImageCut2Video).
  std::string synthetic_images = "synthetic/images";
  std::string synthetic_annotations = "synthetic/pseudo_masks.json";  ///< COCO-style JSON with RLE
  /// Unlabeled videos in the YouTube-VIS layout (JPEGImages/<video>/<frame>.jpg + JSON without annotations).
  std::string unlabeled_frames = "unlabeled/JPEGImages";
  std::string unlabeled_videos = "unlabeled/videos.json";
  /// Ground truth of the unlabeled videos, used only for analysis (quality correlations); may be absent.
  std::string unlabeled_ground_truth = "unlabeled/videos_gt.json";
  /// Labelled validation videos (YouTube-VIS with annotations); empty disables validation.
  std::string val_frames = "val/JPEGImages";
  std::string val_videos = "val/videos.json";
  /// Weights stage 1 starts from: a VideoCutLER / AutoQ-VIS detectron2 .pth or a native .pt; empty:
  /// random initialisation.
  std::string initial_weights;

  template <class V>
  void visit(V& v) {
    v.field("root", root, "data root; every relative path below is resolved against it");
    v.field("synthetic_images", synthetic_images, "folder of still images for synthetic videos");
    v.field("synthetic_annotations", synthetic_annotations, "COCO-style JSON of the stills' pseudo-masks (RLE)");
    v.field("unlabeled_frames", unlabeled_frames, "frame root of the unlabeled videos (JPEGImages)");
    v.field("unlabeled_videos", unlabeled_videos, "YouTube-VIS JSON listing the unlabeled videos");
    v.field("unlabeled_ground_truth", unlabeled_ground_truth, "optional GT of the unlabeled videos, analysis only");
    v.field("val_frames", val_frames, "frame root of the labelled validation videos");
    v.field("val_videos", val_videos, "YouTube-VIS JSON of the validation videos with annotations");
    v.field("initial_weights", initial_weights, "weights stage 1 starts from (.pth or .pt); empty: random");
  }
};

}  // namespace autoqvis
