#include "core/train/video_targets.h"

#include <string>

#include "core/util/error.h"

namespace autoqvis {
namespace {

void checkFrame(const torch::Tensor& masks, int64_t slots, int64_t frame, int64_t padded_h, int64_t padded_w) {
  ErrorContext where;
  where.frame = frame;
  if (!masks.defined() || masks.dim() != 3 || masks.size(0) != slots)
    throw Error("training clip frame masks must be [S, H, W] with S = " + std::to_string(slots) + " slots", where);
  if (masks.size(1) > padded_h || masks.size(2) > padded_w)
    throw Error("training clip frame of " + std::to_string(masks.size(1)) + " x " + std::to_string(masks.size(2)) +
                    " does not fit the padded size " + std::to_string(padded_h) + " x " + std::to_string(padded_w),
                where);
}

}  // namespace

VideoTargets prepareTargets(const torch::Tensor& ids, const torch::Tensor& classes,
                            const std::vector<torch::Tensor>& frame_masks, int64_t padded_h, int64_t padded_w) {
  if (!ids.defined() || ids.dim() != 2 || !classes.defined() || classes.sizes() != ids.sizes())
    throw Error("prepareTargets expects ids and classes of shape [T, S]");
  const int64_t frames = ids.size(0), slots = ids.size(1);
  if (frames < 1 || int64_t(frame_masks.size()) != frames)
    throw Error("prepareTargets: " + std::to_string(frame_masks.size()) + " mask stacks for " + std::to_string(frames) +
                " frames");

  // Paste every frame at the top-left of the padded canvas (the model pads bottom/right).
  torch::Tensor masks = torch::zeros({slots, frames, padded_h, padded_w},
                                     torch::TensorOptions().dtype(torch::kBool).device(ids.device()));
  for (int64_t t = 0; t < frames; ++t) {
    const torch::Tensor& m = frame_masks[size_t(t)];
    checkFrame(m, slots, t, padded_h, padded_w);
    masks.select(1, t).narrow(1, 0, m.size(1)).narrow(2, 0, m.size(2)).copy_(m.to(torch::kBool));
  }
  const torch::Tensor slot_ids = ids.to(torch::kLong).t();  // [S, T]
  // A slot whose id is -1 in every frame was never visible (or emptied by augmentation): drop it.
  const torch::Tensor valid = (slot_ids != -1).any(1);
  VideoTargets targets;
  // The last frame decides the label, so an instance missing there is trained as "no object" (§3.1).
  targets.labels = classes.to(torch::kLong)[frames - 1].index({valid});
  targets.ids = slot_ids.index({valid}).contiguous();
  targets.masks = masks.index({valid}).to(torch::kFloat32);
  return targets;
}

VideoTargets prepareTargetsStacked(const torch::Tensor& ids, const torch::Tensor& classes, const torch::Tensor& masks,
                                   int64_t padded_h, int64_t padded_w) {
  if (!masks.defined() || masks.dim() != 4) throw Error("prepareTargetsStacked expects masks [T, S, H, W]");
  return prepareTargets(ids, classes, masks.unbind(0), padded_h, padded_w);
}

VideoTargets prepareTargets(const TrainingClip& clip, int64_t padded_h, int64_t padded_w) {
  if (clip.frames.empty()) throw Error("prepareTargets: the training clip has no frames");
  std::vector<torch::Tensor> ids, classes, masks;
  for (const ClipFrame& frame : clip.frames) {
    if (!frame.ids.defined() || !frame.classes.defined() || frame.ids.dim() != 1 ||
        frame.classes.sizes() != frame.ids.sizes() || frame.ids.size(0) != clip.frames.front().ids.size(0))
      throw Error("prepareTargets: every frame needs ids and classes [S] with the same slot count",
                  inFile(frame.file_name));
    ids.push_back(frame.ids);
    classes.push_back(frame.classes);
    masks.push_back(frame.masks);
  }
  return prepareTargets(torch::stack(ids), torch::stack(classes), masks, padded_h, padded_w);
}

}  // namespace autoqvis
