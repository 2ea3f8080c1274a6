// VideoCutLER's ImageCut2Video copy-paste (method.md §6; CustomSimpleTrainer.copy_and_paste): the objects of
// one synthetic clip are pasted, rescaled and shifted anew in every frame, into another clip of the batch, so
// still images turn into videos whose objects move, change size and occlude what lies behind them. AutoQ-VIS
// applies it to the synthetic source's batches only (never to pseudo-labelled real videos).
#pragma once

#include <vector>

#include "core/data/training_clip.h"
#include "core/util/rng.h"

namespace autoqvis {

struct CopyPasteOptions {
  bool enabled = true;        ///< DATALOADER.COPY_PASTE
  double rate = 1.0;          ///< COPY_PASTE_RATE: chance that a video gets a paste
  bool random_num = false;    ///< COPY_PASTE_RANDOM_NUM: paste 1..n-1 of the n source objects, else all
  double min_ratio = 0.8;     ///< COPY_PASTE_MIN_RATIO: pasted layer size / target frame size, drawn per frame
  double max_ratio = 1.0;     ///< COPY_PASTE_MAX_RATIO
  double max_overlap = 0.5;   ///< no paste in the video when, in frame 0, a pasted mask covers this share
                              ///< (|paste ∩ target| / |target|) of a target object or more
  /// Official: from frame 1 on, the official code rescales the previous frame's *placed* masks instead of the
  /// source masks, while the pasted pixels are always rescaled from the source. Scale and shift compound
  /// frame after frame in the masks only, so the label no longer outlines the object it claims to be: it
  /// is a drifting, shrinking copy of the object's silhouette filled with whatever source pixels lie under
  /// it (background or other objects). Off (default): every frame rescales the source masks, so the label
  /// is exactly the pasted object.
  bool official_mask_rescaling = false;
  /// Official: per-frame instance lists as the official code builds them, which drop objects whose masks
  /// are empty. Any target object empty in some frame, or fully covered by the paste in some frame, gives
  /// frames with different instance counts, and the code then keeps the un-pasted video; an empty target
  /// object in frame 0 also makes the overlap test NaN and so blocks the paste. Off (default): slots stay
  /// aligned, empty targets are left out of the overlap test, and a target covered in a frame gets id -1
  /// there (filter_empty_instances semantics) instead of cancelling the paste.
  bool official_instance_lists = false;
};

/// Pastes the objects of `source` into every frame of `target` and returns the new clip (inputs unchanged).
/// Draw order as the official code: rate, [number], object choice, source frame, then per target frame:
/// ratio, x shift, y shift. The source frame is one of 0..T-2 (never the last; the official randint(1, T)-1).
/// Slots: the target's slots keep their positions; the pasted objects follow as new slots with fresh ids.
/// Pixels: bilinear resize (align_corners = false) truncated to uint8; masks: bilinear, any value > 0 is
/// inside (both as F.interpolate in the official code).
TrainingClip pasteObjects(const TrainingClip& target, const TrainingClip& source, const CopyPasteOptions& options,
                          Rng& rng);

/// The batch rule: video b receives the objects of video B-1-b of the un-pasted batch (the official
/// copy_and_paste(reversed(batch), batch)); with one video, it pastes into itself.
void imageCut2VideoBatch(std::vector<TrainingClip>& batch, const CopyPasteOptions& options, Rng& rng);

}  // namespace autoqvis
