// Data-pipeline settings that TrainOptions does not name: which §4.2 steps run per frame or per clip, the
// rotation centre box, the ImageCut2Video copy-paste details (rate, overlap guard, official-vs-corrected
// behaviour) and the background loader. Defaults are the official VideoCutLER / AutoQ-VIS configs
// (method.md §4.2, §4.5, §6). The sizes and ranges themselves live in TrainOptions.
#pragma once

namespace autoqvis {

struct AugmentationOptions {
  bool crop = true;                    ///< INPUT.CROP.ENABLED: per-frame RandomCrop("absolute_range")
  bool resize_by_clip = true;          ///< one short side per clip ("choice_by_clip"); false = per frame
  bool flip_by_clip = true;            ///< one flip decision per clip ("flip_by_clip"); false = per frame
  double rotation_center_min = 0.4;    ///< rotation centre drawn in [min, max]^2 of the frame, relative
  double rotation_center_max = 0.6;
  bool sampling_frame_shuffle = false; ///< shuffle the sorted clip frame indices (SAMPLING_FRAME_SHUFFLE)

  double copy_paste_rate = 1.0;         ///< chance a synthetic video gets objects pasted (COPY_PASTE_RATE)
  bool copy_paste_random_num = false;   ///< paste a random subset of the source's objects
  double copy_paste_max_overlap = 0.5;  ///< no paste when a pasted mask covers >= this share of a target
  bool copy_paste_official_masks = false;      ///< reproduce the official frame-to-frame mask rescaling
  bool copy_paste_official_instances = false;  ///< reproduce the official per-frame instance lists

  bool aspect_ratio_grouping = true;  ///< batches hold only landscape or only portrait videos
  /// Background loading threads; 0 loads on the training thread; -1 (auto): 0 on CPU, 2 on a GPU.
  int loader_workers = -1;
  int loader_prefetch_batches = 4;    ///< batches prepared ahead of the trainer, at most

  template <class V>
  void visit(V& v) {
    v.field("crop", crop, "random crop (absolute range) per frame");
    v.field("resize_by_clip", resize_by_clip, "one short side per clip (false: per frame)");
    v.field("flip_by_clip", flip_by_clip, "one flip decision per clip (false: per frame)");
    v.field("rotation_center_min", rotation_center_min, "rotation centre box, relative lower bound", 0.0, 1.0);
    v.field("rotation_center_max", rotation_center_max, "rotation centre box, relative upper bound", 0.0, 1.0);
    v.field("sampling_frame_shuffle", sampling_frame_shuffle, "shuffle the clip's frame order");
    v.field("copy_paste_rate", copy_paste_rate, "chance a synthetic video gets objects pasted", 0.0, 1.0);
    v.field("copy_paste_random_num", copy_paste_random_num, "paste a random subset of the source objects");
    v.field("copy_paste_max_overlap", copy_paste_max_overlap,
            "skip the paste when a pasted mask covers this share of a target object", 0.0, 1.0);
    v.field("copy_paste_official_masks", copy_paste_official_masks,
            "reproduce the official code's frame-to-frame mask rescaling (a bug)");
    v.field("copy_paste_official_instances", copy_paste_official_instances,
            "reproduce the official per-frame instance lists (drop emptied objects, revert on mismatch)");
    v.field("aspect_ratio_grouping", aspect_ratio_grouping, "batch landscape and portrait videos separately");
    v.field("loader_workers", loader_workers,
            "background data loading threads (0: on the training thread; -1: 0 on CPU, 2 on a GPU)", -1, 256);
    v.field("loader_prefetch_batches", loader_prefetch_batches, "batches prepared ahead, at most", 1, 1024);
  }
};

}  // namespace autoqvis
