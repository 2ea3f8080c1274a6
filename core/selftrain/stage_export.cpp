#include "core/selftrain/stage_export.h"

#include "core/dataset/ytvis_json.h"
#include "core/export/davis_export.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include "core/util/stage_files.h"

namespace autoqvis {

std::string latestSelectedStage(const Workspace& workspace) {
  std::string latest;
  for (const std::string& stage : workspace.stages()) {
    if (workspace.hasStep(stage, "selected")) latest = stage;
  }
  if (latest.empty()) throw Error("no stage has pseudo-labels yet (run the workspace first)", inFile(workspace.stateFile().string()));
  return latest;
}

StageExport::StageExport(const Workspace& workspace, std::string stage, ExportFormat format, std::filesystem::path out)
    : Controller("export"), stage_(std::move(stage)), format_(format), out_(std::move(out)) {
  workspace.stageDir(stage_);  // names the project's stages for a wrong one
  if (!workspace.hasStep(stage_, "selected")) {
    throw Error("stage " + stage_ + " has not selected pseudo-labels yet", inFile(workspace.stateFile().string()));
  }
  pseudo_labels_ = StageFiles{workspace.dir() / stage_}.pseudoLabels();
  const Config& config = workspace.config();
  frames_root_ = resolveDataPath(config, config.data.unlabeled_frames);
}

void StageExport::run() {
  if (format_ == ExportFormat::Ytvis) {
    copyFileAtomically(pseudo_labels_, out_);
    reportArtifact(out_);
    return;
  }
  const YtvisDataset labels = loadYtvisDataset(pseudo_labels_);
  DavisExporter exporter(labels, labels.annotations, out_, DavisExportOptions{});
  exporter.setEvents(events());
  exporter.setStopToken(stopToken());
  exporter.run();
  frames_written_ = exporter.framesWritten();
  tracks_written_ = exporter.tracksWritten();
}

}  // namespace autoqvis
