// The fixed parameters of the official YouTube-VIS segmentation evaluation (ytvoseval.Params, iouType
// 'segm') as exact doubles, and the protocols (class-agnostic or class-aware) it is run under.
#pragma once

#include <array>
#include <string>

namespace autoqvis {

/// How categories are treated; each one reproduces a published evaluation script.
enum class EvalProtocol {
  VideoCutler,  ///< class-agnostic as VideoCutLER's eval_ytvis.py: ground truth untouched, useCats = 0
  AutoQ,        ///< class-agnostic as AutoQ-VIS: every GT category collapsed to 1, useCats = 1
  ClassAware,   ///< the official class-aware evaluation (useCats = 1, one column per category)
};

/// "videocutler", "autoq" or "classaware".
const char* protocolName(EvalProtocol protocol);
/// The inverse of protocolName; throws Error listing the choices.
EvalProtocol parseEvalProtocol(const std::string& name);

/// An object-size range on the track's average area, inclusive at both ends (the official test is
/// `ignore if a < lo or a > hi`).
struct AreaRange {
  const char* label;
  double lo;
  double hi;
};

namespace ytvis_params {

/// np.linspace(.5, .95, 10): t_k = k * ((0.95 - 0.5) / 9) + 0.5 rounded twice (product, then sum), and
/// t_9 = 0.95. Written as hex literals so no compiler contraction (FMA) can change them.
inline constexpr std::array<double, 10> kIouThresholds = {
    0x1.0p-1, 0x1.199999999999ap-1, 0x1.3333333333333p-1, 0x1.4cccccccccccdp-1, 0x1.6666666666666p-1,
    0x1.8p-1, 0x1.999999999999ap-1, 0x1.b333333333333p-1, 0x1.cccccccccccccp-1, 0x1.e666666666666p-1};
inline constexpr int kIouIndex50 = 0;  ///< kIouThresholds[0] == 0.5
inline constexpr int kIouIndex75 = 5;  ///< kIouThresholds[5] == 0.75 exactly

inline constexpr int kNumRecallThresholds = 101;
/// np.linspace(0, 1, 101): r_k = k * 0.01 (one rounding; e.g. r_35 = 0.35000000000000003), r_100 = 1.
const std::array<double, kNumRecallThresholds>& recallThresholds();

/// YouTube-VIS sizes (128^2 / 256^2), not COCO's 32^2 / 96^2.
inline constexpr std::array<AreaRange, 4> kAreaRanges = {{{"all", 0.0, 1e10},
                                                          {"small", 0.0, 128.0 * 128.0},
                                                          {"medium", 128.0 * 128.0, 256.0 * 256.0},
                                                          {"large", 256.0 * 256.0, 1e10}}};
inline constexpr std::array<int, 3> kMaxDets = {1, 10, 100};
/// Matching is done once, with the best 100 detections of a video by score.
inline constexpr int kMaxDetsMatched = 100;
/// np.spacing(1): added to tp + fp in the precision denominator.
inline constexpr double kEps = 0x1p-52;
/// A match needs IoU >= min(t, 1 - 1e-10).
inline constexpr double kIouCap = 1 - 1e-10;

}  // namespace ytvis_params
}  // namespace autoqvis
