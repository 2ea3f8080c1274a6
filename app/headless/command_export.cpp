// `export`: a workspace stage's pseudo-labelled set, as a YouTube-VIS dataset (frame names relative
// to the unlabeled frame root, with the per-frame score / pred_iou / quality / round / source lists) or
// as DAVIS palette PNGs. The default stage is the latest one that selected pseudo-labels (final,
// once the run is done).
#include <iostream>

#include "app/headless/command.h"
#include "core/selftrain/stage_export.h"

namespace autoqvis::cli {

int runExport(const Arguments& args, Environment& env) {
  const Workspace workspace = Workspace::open(args.required("workspace"));
  const std::string stage = args.value("stage").value_or(latestSelectedStage(workspace));
  const std::string format = args.required("format");
  if (format != "ytvis" && format != "davis") throw UsageError("--format must be ytvis or davis");
  const std::filesystem::path out = args.required("out");
  StageExport job(workspace, stage, format == "ytvis" ? ExportFormat::Ytvis : ExportFormat::Davis, out);
  runController(job, env);
  if (format == "ytvis") {
    std::cout << "wrote the " << stage << " pseudo-labels to " << out.string() << " (frames under "
              << job.framesRoot().string() << ")\n";
  } else {
    std::cout << "wrote " << job.framesWritten() << " palette PNGs of " << job.tracksWritten() << " tracks (" << stage
              << ") to " << out.string() << "\n";
  }
  return 0;
}

}  // namespace autoqvis::cli
