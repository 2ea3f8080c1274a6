// `export`: a workspace stage's pseudo-labelled set, as a YouTube-VIS dataset (frame names relative
// to the unlabeled frame root, with the per-frame score / pred_iou / quality / round / source lists) or
// as DAVIS palette PNGs. The default stage is the latest one that selected pseudo-labels (final,
// once the run is done).
#include <iostream>

#include "app/headless/command.h"
#include "core/export/davis_export.h"
#include "core/selftrain/workspace.h"
#include "core/util/atomic_file.h"
#include "core/util/log.h"
#include "core/util/stage_files.h"

namespace autoqvis::cli {
namespace {

std::string latestSelectedStage(const Workspace& workspace) {
  std::string latest;
  for (const std::string& stage : workspace.stages()) {
    if (workspace.hasStep(stage, "selected")) latest = stage;
  }
  if (latest.empty()) throw Error("no stage has pseudo-labels yet (run the workspace first)", inFile(workspace.stateFile().string()));
  return latest;
}

}  // namespace

int runExport(const Arguments& args, Environment& env) {
  const Workspace workspace = Workspace::open(args.required("workspace"));
  const std::string stage = args.value("stage").value_or(latestSelectedStage(workspace));
  const std::string format = args.required("format");
  if (format != "ytvis" && format != "davis") throw UsageError("--format must be ytvis or davis");
  const std::filesystem::path out = args.required("out");
  workspace.stageDir(stage);  // names the project's stages for a wrong --stage
  if (!workspace.hasStep(stage, "selected")) {
    throw Error("stage " + stage + " has not selected pseudo-labels yet", inFile(workspace.stateFile().string()));
  }
  const StageFiles files{workspace.dir() / stage};
  const Config& config = workspace.config();
  const std::filesystem::path frames = resolveDataPath(config, config.data.unlabeled_frames);
  if (format == "ytvis") {
    copyFileAtomically(files.pseudoLabels(), out);
    std::cout << "wrote the " << stage << " pseudo-labels to " << out.string() << " (frames under " << frames.string()
              << ")\n";
    return 0;
  }
  const YtvisDataset labels = loadYtvisDataset(files.pseudoLabels());
  DavisExporter exporter(labels, labels.annotations, out, DavisExportOptions{});
  runController(exporter, env);
  std::cout << "wrote " << exporter.framesWritten() << " palette PNGs of " << exporter.tracksWritten() << " tracks ("
            << stage << ") to " << out.string() << "\n";
  return 0;
}

}  // namespace autoqvis::cli
