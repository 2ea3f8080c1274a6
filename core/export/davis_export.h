// Export of per-frame instance masks as DAVIS-style palette PNGs: one 8-bit indexed PNG per frame,
// index 0 = background, k = the k-th track of the video, colours from the DAVIS (Pascal VOC) palette.
#pragma once

#include <filesystem>
#include <opencv2/core.hpp>
#include <vector>

#include "core/export/palette_png.h"
#include "core/dataset/ytvis_json.h"
#include "core/util/controller.h"

namespace autoqvis {

struct DavisExportOptions {
  double min_score = 0.0;      ///< results only: tracks with a lower score are left out
  bool skip_empty_frames = false;  ///< true: frames where no track is present get no PNG
};

/// Writes `<out>/<video folder>/<frame stem>.png` for every frame of every video, plus
/// `<out>/index.json` mapping each palette index to its track (annotation id, score). Tracks are
/// numbered per video by descending score (dataset order when there are no scores); where tracks
/// overlap, the lower index (higher score) wins. More than 255 tracks in a video is an Error.
class DavisExporter : public Controller {
 public:
  DavisExporter(const YtvisDataset& dataset, const std::vector<YtvisTrack>& tracks, std::filesystem::path out_dir,
                DavisExportOptions options = {});
  void run() override;
  int framesWritten() const { return frames_written_; }
  int tracksWritten() const { return tracks_written_; }

 private:
  const YtvisDataset& dataset_;
  const std::vector<YtvisTrack>& tracks_;
  std::filesystem::path out_dir_;
  DavisExportOptions options_;
  int frames_written_ = 0;
  int tracks_written_ = 0;
};

}  // namespace autoqvis
