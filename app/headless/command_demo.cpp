// The main job on the built-in demo data: generate the toy world from the demo preset, print its
// statistics and write previews; train stage 1 (VIS model + quality head on synthetic videos) into the
// workspace's "initial" stage; predict the labelled validation videos with per-frame quality and print
// their YouTube-VIS AP. A rerun reuses the workspace and skips a completed stage.
#include <iostream>

#include "app/headless/command.h"
#include "core/export/dataset_preview.h"
#include "core/dataset/dataset_stats.h"
#include "core/toyworld/toy_world_writer.h"
#include "core/video/image_io.h"
#include "core/eval/ytvis_eval.h"
#include "core/eval/ytvis_metrics.h"
#include "core/infer/prediction_job.h"
#include "core/infer/predictor_loading.h"
#include "core/selftrain/workspace.h"
#include "core/train/stage_trainer_setup.h"
#include "core/util/torch_runtime.h"
#include "core/util/atomic_file.h"
#include "core/util/log.h"
#include "core/util/stage_files.h"
#include "core/util/version.h"

namespace autoqvis::cli {

// The demo's folder is a workspace, so the GUI and later commands can open it; a rerun reuses it
// with its saved configuration.
Workspace openOrCreateWorkspace(const std::filesystem::path& dir, Config config, bool overrides_given) {
  if (Workspace::exists(dir)) {
    if (overrides_given) logWarning("the workspace " + dir.string() + " exists: its project.yaml is used, --config/--set are ignored");
    logInfo("reusing workspace " + dir.string());
    return Workspace::open(dir);
  }
  config.data.root = (dir / "data").string();
  return Workspace::create(dir, config);
}

namespace {

// Stage 1 into the workspace's "initial" folder; an interrupted demo resumes from its last checkpoint.
void trainInitialStage(Workspace& workspace, Environment& env) {
  const std::filesystem::path dir = workspace.stageDir("initial");
  Trainer trainer(trainerSetupForStage(workspace.config(), TrainingStage::Initial, dir, {}, {}, /*resume=*/true));
  double first_loss = -1, last_loss = -1;
  trainer.setMetricsCallback([&](const IterationMetrics& m) {
    if (first_loss < 0) first_loss = m.total_loss;
    last_loss = m.total_loss;
  });
  env.stop_note = "stage 1 keeps a checkpoint in " + StageFiles{dir}.checkpoints().string() + "; rerun the demo to resume";
  runController(trainer, env);
  workspace.markComplete("initial");
  if (first_loss >= 0) std::cout << "stage 1: loss " << first_loss << " -> " << last_loss << "\n";
}

// The trained model on the validation videos: results with per-frame quality, and their AP, both in
// the stage folder.
void evaluateOnValidation(const Workspace& workspace, Environment& env) {
  const Config& config = workspace.config();
  const StageFiles files{workspace.stageDir("initial")};
  const LoadedModel loaded = loadModelForInference(files.weightsPt(), config);
  VideoPredictor predictor = makePredictor(loaded);
  const YtvisDataset val = loadYtvisDataset(resolveDataPath(config, config.data.val_videos));
  PredictionJob job(predictor, videosOfDataset(val, resolveDataPath(config, config.data.val_frames)));
  env.stop_note = "the trained stage 1 is kept; rerun the demo to evaluate it";
  runController(job, env);
  saveYtvisResults(job.results(), files.valResults());
  const YtvisMetrics metrics = evaluateYtvis(val, job.results());
  writeFileAtomically(files.evaluation(), metricsToJson(metrics));
  std::cout << formatMetricsTable(metrics, "stage-1 model on the validation videos (" + files.valResults().string() + ")");
}

}  // namespace

int runDemo(const Arguments& args, Environment& env) {
  const std::filesystem::path out = args.value("out").value_or("demo-out");
  const bool overrides = args.value("config").has_value() || !args.values("set").empty();
  Workspace workspace = openOrCreateWorkspace(out, loadConfigFromArguments(args), overrides);
  const Config& config = workspace.config();
  std::cout << buildReport() << "\n";

  ToyWorldWriter writer(config.toy_world, config.data.root);
  runController(writer, env);
  std::cout << "\n";

  const auto stills = loadCocoDataset(resolveDataPath(config, config.data.synthetic_annotations));
  std::cout << formatStats(computeStats(stills), "synthetic stills with pseudo-masks");
  const auto unlabeled = loadYtvisDataset(resolveDataPath(config, config.data.unlabeled_videos));
  std::cout << formatStats(computeStats(unlabeled), "unlabeled videos (annotations withheld)");
  const auto val = loadYtvisDataset(resolveDataPath(config, config.data.val_videos));
  std::cout << formatStats(computeStats(val), "validation videos with ground truth");

  writeImageRgb(out / "preview_val.png", renderVideoPreview(val, resolveDataPath(config, config.data.val_frames), 4, 4));
  writeImageRgb(out / "preview_pseudo_masks.png",
                renderImagePreview(stills, resolveDataPath(config, config.data.synthetic_images), 8, 4));
  setTorchThreads(config.runtime.threads);
  if (!workspace.isComplete("initial")) trainInitialStage(workspace, env);
  evaluateOnValidation(workspace, env);
  std::cout << "\nwrote " << (out / "preview_val.png").string() << " and " << (out / "preview_pseudo_masks.png").string()
            << "; workspace " << out.string() << " (configuration in " << workspace.projectFile().string() << ")\n";
  return 0;
}

}  // namespace autoqvis::cli
