// AutoQ-VIS pseudo-label selection of one round (method.md §7, with the official behaviour of
// fixtures/selftrain/README.md), split into what does not depend on tau and what does:
//
//   build():    NMS by max-over-frames mask IoU in file order, the score filter, Q = pred_iou x score in
//               float64, mask areas, and the merge's mask pairing (for every kept prediction j, the
//               frames where it overlaps each earlier candidate >= merge_iou). Done once per round.
//   evaluate(): marking at tau, the object filter, the running merge into the previous state, the
//               frame filter and the counts: a few array passes, no mask is touched.
//
// Every decision is a threshold on tau: a label is marked iff tau <= threshold (Q; +inf for an empty
// frame or a user's accept; -inf for a user's reject; +/-inf for a previous round's mark), and a
// prediction passes the object filter iff tau <= the min_frames-th largest threshold of its
// non-empty frames. The accepted set is not monotone in tau (a frame dropped for an unmarked label
// comes back when that label's object is filtered out), so evaluate() runs the merge and the frame
// filter again for each tau instead of reading prefix sums.
//
// The batch path (pseudo_labels.h) is build() + evaluate() at one tau + materialisation.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "core/dataset/ytvis_json.h"
#include "core/selftrain/round_state.h"
#include "core/selftrain/selection_file.h"

namespace autoqvis {

/// What a label's Q is (selftrain.label_source).
enum class QualitySource : uint8_t {
  Predicted,   ///< pred_iou x score, the method
  Confidence,  ///< score alone
  TrueIou,     ///< the frame's true IoU: per-frame "true_iou" in the results' frame_values (null = 0)
};

struct SelectionOptions {
  double tau = 0.75;             ///< a label is marked when Q >= tau (or its frame is empty)
  QualitySource quality_source = QualitySource::Predicted;
  int min_frames = 2;            ///< marked non-empty frames an object needs; kept frames a video needs
  double score_threshold = 0.25; ///< predictions below it are dropped (after NMS, as the official code)
  double nms_iou = 0.5;          ///< max-over-frames IoU that suppresses a later prediction
  double merge_iou = 0.5;        ///< a frame IoU that makes a new object the same as a state object
  int round = 0;                 ///< recorded in the state and the pseudo-labels
  /// Off (official): in a merge the new entry wins when it is marked, and an empty frame is always
  /// marked, so a prediction that misses the object in one frame erases the previous round's marked
  /// mask there. That loses a label the previous round had accepted on the evidence of a frame
  /// where the model saw nothing, which we judge a defect. On: such a frame keeps the old mask.
  bool keep_marked_over_empty = false;
};

/// The outcome at one tau. Objects are those of the merged state, in state order.
struct SelectionResult {
  static constexpr uint32_t kMixed = std::numeric_limits<uint32_t>::max();
  enum class How : uint8_t { Kept, Replaced, Appended, Copied };

  struct Object {
    int64_t id = 0;            ///< the state's object id
    uint32_t video = 0;        ///< index into videos
    uint32_t slot = 0;         ///< the index slot all frames come from, or kMixed
    uint32_t first_source = 0; ///< kMixed: sources[first_source + f] is frame f's slot
    How how = How::Kept;
  };
  struct Video {
    uint32_t index_video = 0;  ///< SelectionIndex::videos() index
    uint32_t first_object = 0;
    uint32_t num_objects = 0;
    uint32_t first_frame = 0;  ///< frame_kept[first_frame + f]
    uint32_t kept_frames = 0;
    bool accepted = false;     ///< enters the pseudo-label dataset (>= min_frames kept frames)
  };
  struct Counts {
    size_t videos = 0;         ///< in the pseudo-label dataset
    size_t frames = 0;
    size_t objects = 0;        ///< annotations
    size_t labels = 0;         ///< non-empty masks in kept frames
    size_t state_videos = 0;
    size_t state_objects = 0;
  };

  double tau = 0.0;
  Counts counts;
  std::vector<Video> videos;
  std::vector<Object> objects;
  std::vector<uint32_t> sources;
  std::vector<uint8_t> frame_kept;
  std::vector<int32_t> slot_object;  ///< per index slot: the object holding it (any frame), -1 if none

  uint32_t sourceSlot(const Object& object, int frame) const {
    return object.slot == kMixed ? sources[object.first_source + frame] : object.slot;
  }
  bool frameKept(const Video& video, int frame) const { return frame_kept[video.first_frame + frame] != 0; }
};

struct SelectionInputs {
  const YtvisDataset* dataset = nullptr;
  std::string dataset_source;
  const std::vector<YtvisTrack>* results = nullptr;  ///< this round's predictions, with per-frame pred_iou
  std::string results_source;
  const RoundState* previous = nullptr;              ///< the previous round's state; null in round 0
  std::string previous_source;
};

class SelectionIndex {
 public:
  enum class SlotKind : uint8_t { Previous, Prediction };
  enum class Fate : uint8_t { Kept, Suppressed, LowScore };

  /// An object the merge can use: one of the previous state's or one kept prediction.
  struct Slot {
    SlotKind kind = SlotKind::Prediction;
    bool removed = false;       ///< rejected by a person
    int64_t id = 0;             ///< state object id, or the prediction's object id (index among kept)
    uint32_t video = 0;
    uint32_t first_entry = 0;   ///< one entry per frame
    int32_t origin = 0;         ///< Previous: object index in the state video; Prediction: results index
    double survive = 0.0;       ///< Prediction: passes the object filter iff tau <= survive
    uint32_t first_row = 0;     ///< Prediction: its overlap rows
    uint32_t num_rows = 0;
  };
  struct Video {
    int64_t id = 0;
    int dataset_index = 0;
    int frames = 0;
    int32_t previous_index = -1;  ///< index in the previous state's videos
    uint32_t first_slot = 0;      ///< previous slots, then prediction slots
    uint32_t num_previous = 0;
    uint32_t num_predictions = 0;
  };
  /// Frames where prediction slot `target` overlaps the earlier slot `source` (IoU >= merge_iou).
  struct OverlapRow {
    uint32_t source = 0;
    uint32_t first_word = 0;
  };

  /// Throws Error naming the file, video and field for inconsistent inputs. The inputs must outlive
  /// the index (it refers to their masks for materialisation).
  static SelectionIndex build(const SelectionInputs& inputs, const SelectionOptions& options);

  /// Replaces the overrides in force (empty: the automatic selection). Cheap: no mask is touched.
  void applyOverrides(const std::vector<Override>& overrides, const std::string& source);

  SelectionResult evaluate(double tau) const;
  /// Same, reusing `out`'s buffers.
  void evaluate(double tau, SelectionResult& out) const;

  const SelectionOptions& options() const { return options_; }
  const SelectionInputs& inputs() const { return inputs_; }
  const std::vector<Video>& videos() const { return videos_; }
  const std::vector<Slot>& objectSlots() const { return slots_; }
  size_t numEntries() const { return threshold_.size(); }
  /// Per results index: what NMS and the score filter did, and the prediction slot when kept.
  Fate fate(size_t result) const { return fates_[result]; }
  int32_t predictionSlot(size_t result) const { return result_slot_[result]; }

  // Per entry (slot.first_entry + frame):
  double metric(uint32_t entry) const { return metric_[entry]; }
  double threshold(uint32_t entry) const { return threshold_[entry]; }
  bool empty(uint32_t entry) const { return area_[entry] == 0; }
  uint32_t area(uint32_t entry) const { return area_[entry]; }
  /// The override that decided this entry (frame-level first, then its object's), or null.
  const Override* decision(uint32_t entry) const;

 private:
  friend class SelectionIndexBuilder;
  void evaluateVideo(uint32_t v, double tau, SelectionResult& out) const;
  bool sameObject(const SelectionResult& out, const SelectionResult::Object& object, const Slot& target) const;
  void replace(SelectionResult& out, uint32_t object, uint32_t target, double tau) const;
  void frameFilter(uint32_t v, double tau, SelectionResult& out, SelectionResult::Video& video) const;
  void computeSurvival(Slot& slot);

  SelectionInputs inputs_;
  SelectionOptions options_;
  std::vector<Video> videos_;
  std::vector<Slot> slots_;
  std::vector<Fate> fates_;
  std::vector<int32_t> result_slot_;
  std::vector<OverlapRow> rows_;
  std::vector<uint64_t> words_;
  std::vector<double> metric_;
  std::vector<double> base_threshold_;
  std::vector<double> threshold_;
  std::vector<uint32_t> area_;
  std::vector<int32_t> entry_decision_;   ///< index into overrides_, or -1
  std::vector<int32_t> slot_decision_;    ///< index into overrides_, or -1
  std::vector<Override> overrides_;
};

}  // namespace autoqvis
