// The names of the extra per-frame fields of results and pseudo-label files (YtvisTrack::frame_values),
// spelled once for the engine, the CLI and the GUI.
#pragma once

namespace autoqvis::frame_fields {

inline constexpr const char* kScore = "score";        ///< video-level confidence of the prediction
inline constexpr const char* kPredIou = "pred_iou";   ///< the quality head's predicted mask IoU
inline constexpr const char* kQuality = "quality";    ///< Q = pred_iou x score (float64)
inline constexpr const char* kAccepted = "accepted";  ///< the label passed the selection
inline constexpr const char* kSource = "source";      ///< who decided: "auto" (the rule) or "user"
inline constexpr const char* kRound = "round";        ///< self-training round that predicted the label
inline constexpr const char* kTrueIou = "true_iou";   ///< IoU with the matched ground truth (oracle analyses)

}  // namespace autoqvis::frame_fields
