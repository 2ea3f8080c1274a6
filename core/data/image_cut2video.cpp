#include "core/data/image_cut2video.h"

#include <algorithm>
#include <numeric>

#include "core/util/error.h"

namespace autoqvis {
namespace {

namespace F = torch::nn::functional;

// F.interpolate(x[None].float(), size, bilinear, align_corners=False)[0]
torch::Tensor resizeBilinear(const torch::Tensor& chw, int64_t h, int64_t w) {
  return F::interpolate(chw.unsqueeze(0).to(torch::kFloat32),
                        F::InterpolateFuncOptions()
                            .size(std::vector<int64_t>{h, w})
                            .mode(torch::kBilinear)
                            .align_corners(false))
      .squeeze(0);
}

// The objects chosen from the source: masks at the source frame's size, their classes.
struct Copied {
  torch::Tensor masks;  // [n, Hs, Ws] bool
  torch::Tensor classes;
  torch::Tensor image;  // [3, Hs, Ws] uint8 of the source frame
};

// One target frame's placed layer: the pasted pixels and masks at the target size.
struct Placed {
  torch::Tensor image;  // [3, H, W] uint8, zero outside the pasted rectangle
  torch::Tensor masks;  // [n, H, W] bool
};

Placed place(const torch::Tensor& source_image, const torch::Tensor& masks, int64_t h, int64_t w, int64_t h_new,
             int64_t w_new, int64_t y0, int64_t x0) {
  Placed out;
  out.image = torch::zeros({3, h, w}, torch::kUInt8);
  out.masks = torch::zeros({masks.size(0), h, w}, torch::kBool);
  // .byte() truncates, as the official code's cast does
  out.image.slice(1, y0, y0 + h_new).slice(2, x0, x0 + w_new).copy_(resizeBilinear(source_image, h_new, w_new).to(torch::kUInt8));
  if (masks.size(0) > 0) {
    out.masks.slice(1, y0, y0 + h_new).slice(2, x0, x0 + w_new).copy_(resizeBilinear(masks, h_new, w_new) > 0);
  }
  return out;
}

// |paste ∩ target| / |target| for every (pasted, target) pair, [n, S].
torch::Tensor coverage(const torch::Tensor& pasted, const torch::Tensor& targets) {
  const torch::Tensor p = pasted.flatten(1).to(torch::kFloat32);
  const torch::Tensor t = targets.flatten(1).to(torch::kFloat32);
  return p.matmul(t.t()) / t.sum(1).unsqueeze(0);
}

bool anyEmptySlot(const TrainingClip& clip) {
  for (const ClipFrame& frame : clip.frames) {
    if (frame.masks.size(0) > 0 && !frame.masks.flatten(1).any(1).all().item<bool>()) return true;
  }
  return false;
}

// The overlap guard of frame 0. Official: NaN for an empty target fails the test (NaN < 0.5 is false).
bool overlapTooLarge(const torch::Tensor& pasted, const torch::Tensor& targets, const CopyPasteOptions& o) {
  if (targets.size(0) == 0 || pasted.size(0) == 0) return false;
  torch::Tensor cover = coverage(pasted, targets);
  if (!o.official_instance_lists) {
    const torch::Tensor non_empty = targets.flatten(1).any(1);
    cover = cover.index({torch::indexing::Slice(), non_empty});
    if (cover.size(1) == 0) return false;
  }
  return (cover.amax(1) >= o.max_overlap).logical_or(cover.amax(1).isnan()).any().item<bool>();
}

int64_t maxId(const TrainingClip& clip) {
  int64_t m = 0;
  for (const ClipFrame& f : clip.frames) {
    if (f.ids.numel() > 0) m = std::max(m, f.ids.max().item<int64_t>());
  }
  return m;
}

// One pass over the pixels instead of a chain of tensor ops (which cost several full-frame temporaries per
// frame): alpha = union of the pasted masks; image = alpha ? pasted : target; target masks lose alpha.
struct Composite {
  torch::Tensor image;         // [3, H, W] uint8
  torch::Tensor target_masks;  // [S, H, W] bool, occluded
  std::vector<bool> non_empty;  // per slot: targets, then pasted
  bool all_targets_visible = true;
};

Composite composite(const ClipFrame& target, const Placed& layer) {
  const int64_t h = target.image.size(1), w = target.image.size(2), area = h * w;
  const int64_t s = target.masks.size(0), n = layer.masks.size(0);
  const torch::Tensor pasted = layer.masks.contiguous();
  std::vector<uint8_t> alpha(static_cast<size_t>(area), 0);
  Composite c;
  c.non_empty.assign(static_cast<size_t>(s + n), false);
  const bool* p = pasted.data_ptr<bool>();
  for (int64_t k = 0; k < n; ++k) {
    const bool* m = p + k * area;
    bool any = false;
    for (int64_t i = 0; i < area; ++i) {
      alpha[static_cast<size_t>(i)] |= m[i];
      any |= m[i];
    }
    c.non_empty[static_cast<size_t>(s + k)] = any;
  }
  c.image = target.image.contiguous().clone();
  const torch::Tensor layer_image = layer.image.contiguous();
  uint8_t* out = c.image.data_ptr<uint8_t>();
  const uint8_t* src = layer_image.data_ptr<uint8_t>();
  for (int64_t ch = 0; ch < 3; ++ch) {
    for (int64_t i = 0; i < area; ++i) {
      if (alpha[static_cast<size_t>(i)]) out[ch * area + i] = src[ch * area + i];
    }
  }
  c.target_masks = target.masks.contiguous().clone();
  bool* t = c.target_masks.data_ptr<bool>();
  for (int64_t k = 0; k < s; ++k) {
    bool* m = t + k * area;
    bool any = false;
    for (int64_t i = 0; i < area; ++i) {
      m[i] = m[i] && !alpha[static_cast<size_t>(i)];
      any |= m[i];
    }
    c.non_empty[static_cast<size_t>(k)] = any;
    c.all_targets_visible &= any;
  }
  return c;
}

}  // namespace

TrainingClip pasteObjects(const TrainingClip& target, const TrainingClip& source, const CopyPasteOptions& o,
                          Rng& rng) {
  if (!o.enabled || source.frames.empty() || target.frames.empty()) return target;
  const int64_t num_source = source.frames[0].ids.size(0);
  // random.random() <= rate pastes; an empty source pastes nothing.
  if (rng.uniform() > o.rate || num_source == 0) return target;
  const int64_t num_copy = !o.random_num ? num_source : (num_source == 1 ? 1 : rng.uniformInt(1, num_source - 1));
  // np.random.choice(n, k, replace=False): the first k of a random permutation
  std::vector<int64_t> order(static_cast<size_t>(num_source));
  std::iota(order.begin(), order.end(), 0);
  for (int64_t i = num_source - 1; i > 0; --i) std::swap(order[i], order[rng.uniformInt(0, i)]);
  order.resize(static_cast<size_t>(num_copy));
  const int source_frames = static_cast<int>(source.frames.size());
  const int frame_id = source_frames >= 2 ? static_cast<int>(rng.uniformInt(0, source_frames - 2)) : 0;
  const ClipFrame& src = source.frames[static_cast<size_t>(frame_id)];

  torch::Tensor choice = torch::tensor(order, torch::kInt64);
  if (!o.official_instance_lists) {
    // An object that is empty in the chosen source frame would only add an empty track.
    const torch::Tensor present = src.ids.index_select(0, choice) != -1;
    choice = choice.index({present});
    if (choice.size(0) == 0) return target;
  } else if (anyEmptySlot(target)) {
    return target;  // the official NaN overlap / instance-count mismatch keeps the un-pasted video
  }
  Copied copied{src.masks.index_select(0, choice), src.classes.index_select(0, choice), src.image};
  const int64_t n = copied.masks.size(0);
  const int64_t first_new_id = std::max(maxId(target), maxId(source)) + 1;

  TrainingClip out;
  out.source = target.source;
  torch::Tensor previous_masks;  // official rescaling: the previous frame's placed masks
  for (size_t f = 0; f < target.frames.size(); ++f) {
    const ClipFrame& t = target.frames[f];
    const int64_t h = t.image.size(1), w = t.image.size(2);
    const double ratio = rng.uniform(o.min_ratio, o.max_ratio);
    const auto w_new = static_cast<int64_t>(ratio * static_cast<double>(w));
    const auto h_new = static_cast<int64_t>(ratio * static_cast<double>(h));
    const int64_t x0 = rng.uniformInt(0, std::max<int64_t>(0, w - w_new));
    const int64_t y0 = rng.uniformInt(0, std::max<int64_t>(0, h - h_new));
    if (h_new < 1 || w_new < 1) return target;  // the layer would vanish (interpolate cannot make 0 pixels)
    const bool reuse = o.official_mask_rescaling && f > 0;
    const Placed layer = place(copied.image, reuse ? previous_masks : copied.masks, h, w, h_new, w_new, y0, x0);
    previous_masks = layer.masks;
    if (f == 0 && overlapTooLarge(layer.masks, t.masks, o)) return target;

    const Composite c = composite(t, layer);
    if (o.official_instance_lists && !c.all_targets_visible) {
      return target;  // a fully covered target drops out of this frame's list: counts differ, paste undone
    }
    ClipFrame frame;
    frame.file_name = t.file_name;
    frame.image = c.image;
    frame.masks = torch::cat({c.target_masks, layer.masks}, 0);
    // filter_empty_instances semantics for covered targets and for pasted masks that came out empty
    const torch::Tensor target_ids = t.ids.contiguous();
    std::vector<int64_t> ids(target_ids.data_ptr<int64_t>(), target_ids.data_ptr<int64_t>() + target_ids.numel());
    for (int64_t k = 0; k < n; ++k) ids.push_back(first_new_id + k);
    for (size_t k = 0; k < ids.size(); ++k) {
      if (!c.non_empty[k]) ids[k] = -1;
    }
    frame.ids = torch::tensor(ids, torch::kInt64);
    frame.classes = torch::cat({t.classes, copied.classes}, 0);
    out.frames.push_back(std::move(frame));
  }
  return out;
}

void imageCut2VideoBatch(std::vector<TrainingClip>& batch, const CopyPasteOptions& options, Rng& rng) {
  if (!options.enabled) return;
  const std::vector<TrainingClip> originals = batch;  // shares tensors; pasteObjects never writes in place
  const size_t count = originals.size();
  for (size_t b = 0; b < count; ++b) batch[b] = pasteObjects(originals[b], originals[count - 1 - b], options, rng);
}

}  // namespace autoqvis
