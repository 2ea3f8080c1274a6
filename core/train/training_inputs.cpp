#include "core/train/training_inputs.h"

#include <torch/torch.h>

#include "core/model/preprocess.h"
#include "core/util/error.h"

namespace autoqvis {

TrainingInputs prepareTrainingInputs(const std::vector<TrainingClip>& clips, int64_t size_divisibility,
                                     const torch::Device& device) {
  if (clips.empty()) throw Error("training batch: no clips");
  TrainingInputs inputs;
  inputs.batch = static_cast<int64_t>(clips.size());
  inputs.frames = static_cast<int64_t>(clips.front().frames.size());
  int64_t max_h = 0, max_w = 0;
  for (const TrainingClip& clip : clips) {
    if (static_cast<int64_t>(clip.frames.size()) != inputs.frames) {
      throw Error("training batch: clips with " + std::to_string(inputs.frames) + " and " +
                  std::to_string(clip.frames.size()) + " frames");
    }
    for (const ClipFrame& frame : clip.frames) {
      max_h = std::max<int64_t>(max_h, frame.image.size(1));
      max_w = std::max<int64_t>(max_w, frame.image.size(2));
    }
  }
  const int64_t padded_h = (max_h + size_divisibility - 1) / size_divisibility * size_divisibility;
  const int64_t padded_w = (max_w + size_divisibility - 1) / size_divisibility * size_divisibility;
  std::vector<torch::Tensor> images;
  for (const TrainingClip& clip : clips) {
    for (const ClipFrame& frame : clip.frames) {
      // Normalise at the frame's own size, then pad with zeros to the batch size (as ImageList does).
      const torch::Tensor normalized = normalizeAndPad(frame.image.unsqueeze(0).to(device), 1);
      images.push_back(torch::constant_pad_nd(
          normalized, {0, padded_w - frame.image.size(2), 0, padded_h - frame.image.size(1)}, 0.0));
    }
    VideoTargets targets = prepareTargets(clip, padded_h, padded_w);
    targets.labels = targets.labels.to(device);
    targets.ids = targets.ids.to(device);
    targets.masks = targets.masks.to(device);
    inputs.targets.push_back(std::move(targets));
  }
  inputs.images = torch::cat(images, 0);
  return inputs;
}

}  // namespace autoqvis
