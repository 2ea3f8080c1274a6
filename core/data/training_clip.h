#pragma once
// One training clip as the official YTVISDatasetMapper emits it: augmented frames with their instances in
// slot order, before VideoMaskFormer.prepare_targets turns them into per-video targets (method.md §3.1).
// This is the hand-over point between the data pipeline (core/data) and the trainer/criterion (core/train).
#include <torch/torch.h>

#include <string>
#include <vector>

namespace autoqvis {

struct ClipFrame {
  torch::Tensor image;    // [3, H, W] uint8 RGB, un-normalised (the model normalises and pads)
  torch::Tensor ids;      // [S] int64: annotation id, or -1 for a dummy / emptied instance
  torch::Tensor classes;  // [S] int64: 0 = object, 1 (= num_classes) for a dummy annotation
  torch::Tensor masks;    // [S, H, W] bool, at this frame's (augmented) size
  std::string file_name;  // the source frame, for logs and for the "imagenet" copy-paste rule
};

// Frames of one clip may differ in size (the crop is drawn per frame); slots are aligned across frames.
struct TrainingClip {
  std::vector<ClipFrame> frames;
  std::string source;  // "synthetic" (ImageCut2Video stills) or "pseudo" (pseudo-labelled real videos)
};

}  // namespace autoqvis
