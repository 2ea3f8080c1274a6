// Exporting a workspace stage's pseudo-labelled set, the one recipe behind headless `export` and the
// review's Export: as the YouTube-VIS JSON the stage wrote (frame names relative to the unlabeled frame
// root, with the per-frame score / pred_iou / quality / round / source lists), or as DAVIS palette PNGs.
#pragma once

#include <filesystem>
#include <string>

#include "core/selftrain/workspace.h"
#include "core/util/controller.h"

namespace autoqvis {

enum class ExportFormat { Ytvis, Davis };

/// The latest stage that has selected pseudo-labels (final, once the run is done). Throws Error naming
/// state.json when none has.
std::string latestSelectedStage(const Workspace& workspace);

class StageExport : public Controller {
 public:
  /// Throws Error naming state.json for a stage without pseudo-labels (and lists the stages for an
  /// unknown one).
  StageExport(const Workspace& workspace, std::string stage, ExportFormat format, std::filesystem::path out);
  void run() override;

  const std::string& stage() const { return stage_; }
  /// The unlabeled frame root the exported names are relative to.
  const std::filesystem::path& framesRoot() const { return frames_root_; }
  int framesWritten() const { return frames_written_; }  ///< DAVIS only
  int tracksWritten() const { return tracks_written_; }  ///< DAVIS only

 private:
  std::filesystem::path pseudo_labels_;
  std::filesystem::path frames_root_;
  std::string stage_;
  ExportFormat format_;
  std::filesystem::path out_;
  int frames_written_ = 0;
  int tracks_written_ = 0;
};

}  // namespace autoqvis
