// The procedural toy world in memory: still images with true and pseudo-masks (the stand-in for ImageNet with
// MaskCut masks) and videos with per-frame visible masks (the stand-in for YouTube-VIS). Each item depends
// only on the options and its own index, so any item can be regenerated alone (tests, GUI previews).
#pragma once

#include <string>
#include <vector>

#include "core/config/toy_world_options.h"
#include "core/toyworld/toy_pseudo_masks.h"
#include "core/toyworld/toy_render.h"

namespace autoqvis {

enum class ToySplit { Unlabeled, Val };

struct ToyStill {
  int index = 0;
  cv::Mat image;  ///< CV_8UC3 RGB
  cv::Mat ids;    ///< CV_8U instance-id map: 0 = background, k + 1 = object k is in front there
  std::vector<cv::Mat> true_masks;  ///< visible mask of object k (CV_8U 0/1), exactly ids == k + 1
  std::vector<ToyPseudoMask> pseudo_masks;
  std::vector<int> missed;  ///< objects without a pseudo-mask
};

/// One object of a video over all frames.
struct ToyTrack {
  int id = 1;                      ///< its value in the id maps
  std::vector<cv::Mat> masks;      ///< per frame: visible mask (CV_8U 0/1), empty when under min_visible_px
  std::vector<int> visible_areas;  ///< per frame: visible pixels, also when under the threshold
  std::vector<int> unoccluded_areas;  ///< per frame: pixels inside the frame if nothing were in front of it
  std::vector<int> full_areas;        ///< per frame: pixels of the whole shape, inside the frame or not
  /// Whether any frame has a mask, i.e. whether the track belongs in the ground truth.
  bool visible() const;
};

struct ToyVideo {
  std::string name;  ///< folder name, e.g. "toy_0007" (unlabeled) or "val_0003"
  ToySplit split = ToySplit::Unlabeled;
  int index = 0;
  std::vector<cv::Mat> frames;   ///< CV_8UC3 RGB
  std::vector<cv::Mat> ids;      ///< per frame instance-id map (0 = background, else a track's id)
  std::vector<ToyTrack> tracks;  ///< every object, visible or not, in id order
};

/// Throws Error naming the key when options contradict each other (e.g. min objects > max objects).
void checkToyWorldOptions(const ToyWorldOptions& options);

/// Still image `index` (0-based). FlatIds paints the same geometry in id colours (see ToyRenderMode).
ToyStill generateToyStill(const ToyWorldOptions& options, int index,
                          ToyRenderMode mode = ToyRenderMode::Textured);
/// Video `index` (0-based) of a split; the splits share one distribution but never share a video.
ToyVideo generateToyVideo(const ToyWorldOptions& options, ToySplit split, int index,
                          ToyRenderMode mode = ToyRenderMode::Textured);
/// "toy_0001" for unlabeled index 0, "val_0001" for validation index 0.
std::string toyVideoName(ToySplit split, int index);

/// Frames where the track becomes occluded: at least `occluded_fraction` of its in-frame pixels hidden by
/// another object while it was not so in the previous frame.
int occlusionEvents(const ToyTrack& track, int min_visible_px, double occluded_fraction = 0.2);
/// Whether the object is mostly inside the frame at some point and mostly outside at a later one.
bool leavesFrame(const ToyTrack& track);
/// Whether the object is mostly outside the frame at some point and mostly inside at a later one.
bool entersFrame(const ToyTrack& track);

}  // namespace autoqvis
