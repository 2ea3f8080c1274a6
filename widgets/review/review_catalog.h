// What the review of one stage shows, fixed for the round (tau-independent), built once off the GUI
// thread next to the SelectionIndex: the unlabeled videos as a viewer document whose tracks are the
// index's slots (a video's previous-state objects, then its predictions kept by NMS and the score
// filter, in slot order), and per index entry the quality Q, whether there is a mask, and the true
// IoU when ground truth is known. Qt-free.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/selftrain/round_selection.h"
#include "core/config/config.h"
#include "core/selftrain/selection_index.h"
#include "widgets/document/viewer_document.h"

namespace autoqvis::widgets {

struct ReviewSlot {
  int video = 0;        ///< index into the document's videos
  int row = 0;          ///< row in that video's track list
  bool previous = false;  ///< an object of the previous round's state (else this round's prediction)
  int64_t id = 0;       ///< the index's slot id: the override's object_id
  uint32_t first_entry = 0;
  int frames = 0;
  double score = 0;     ///< the video-level confidence s (NaN when unknown)
  int round = 0;        ///< the official round that predicted it (previous objects: their entries')
};

struct ReviewCatalog {
  std::string stage;
  int official_round = 0;
  std::shared_ptr<const ViewerDocument> document;
  std::vector<ReviewSlot> slot_info;                 ///< the index's slots, same order
  std::vector<std::vector<uint32_t>> video_slots; ///< per document video: its slots in row order
  std::vector<uint32_t> entry_slot;               ///< per entry: its slot
  std::vector<double> quality;                    ///< per entry: Q, as the selection compares it (NaN without a mask)
  std::vector<uint8_t> has_mask;                  ///< per entry
  std::vector<uint32_t> round_labels;             ///< entries of this round's predictions with a mask
  std::vector<float> label_confidence;            ///< per round label: its prediction's s
  std::vector<float> true_iou;                    ///< per entry, NaN where unknown; empty without GT
  std::filesystem::path ground_truth;             ///< the file true_iou comes from
  /// Spearman's rho over this round's labels: of Q and of s with the true IoU (NaN without ground
  /// truth; the same pairs as `analyze-quality` restricted to the kept predictions), and of s with
  /// the predicted IoU.
  double rho_quality_true = 0, rho_confidence_true = 0, rho_confidence_predicted = 0;
  size_t rho_pairs = 0;

  uint32_t entry(uint32_t slot, int frame) const { return slot_info[slot].first_entry + static_cast<uint32_t>(frame); }
  int frameOf(uint32_t entry) const { return static_cast<int>(entry - slot_info[entry_slot[entry]].first_entry); }
  /// The slot shown in `row` of document video `video`.
  uint32_t slotAt(int video, int row) const { return video_slots[static_cast<size_t>(video)][static_cast<size_t>(row)]; }
};

/// Builds the catalog. `frames_root` holds the videos' frame folders; `ground_truth`, when it names a
/// file, is the unlabeled videos' ground truth (analysis only: the toy world's videos_gt.json).
std::shared_ptr<const ReviewCatalog> buildReviewCatalog(const RoundInputs& inputs, const SelectionIndex& index,
                                                        const std::filesystem::path& frames_root,
                                                        const std::filesystem::path& ground_truth = {});

/// The configured ground truth of the unlabeled videos (data.unlabeled_ground_truth) when that file
/// exists, else empty.
std::filesystem::path unlabeledGroundTruth(const Config& config);

}  // namespace autoqvis::widgets
