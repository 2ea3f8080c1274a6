// The main job on the built-in demo data: generate the toy world from the demo preset, print its
// statistics and write previews, then run the whole method in the workspace: stage 1 (VIS model +
// quality head on synthetic videos), selftrain.rounds self-training rounds and the final pseudo-labels,
// and print one table per stage (accepted pseudo-labels, validation AP / AP50 / AP75 / AR10, time). A
// rerun reuses the workspace and continues at its first unfinished step.
#include <chrono>
#include <iostream>

#include "app/headless/command.h"
#include "core/export/dataset_preview.h"
#include "core/dataset/dataset_stats.h"
#include "core/toyworld/toy_world_writer.h"
#include "core/video/image_io.h"
#include "core/selftrain/self_training_run.h"
#include "core/selftrain/stage_summary.h"
#include "core/selftrain/workspace.h"
#include "core/util/torch_runtime.h"
#include "core/util/log.h"
#include "core/util/stage_files.h"
#include "core/util/version.h"

namespace autoqvis::cli {

int runDemo(const Arguments& args, Environment& env) {
  const std::filesystem::path out = args.value("out").value_or("demo-out");
  if (Workspace::exists(out)) logInfo("reusing workspace " + out.string());
  Workspace workspace =
      openWorkspaceForRun(out, args, [&](Config& config) { config.data.root = (out / "data").string(); });
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
  const auto start = std::chrono::steady_clock::now();
  runSelfTraining(workspace, args, env, ParallelHooks{});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "\nself-training on the demo world (" << config.selftrain.rounds << " rounds, tau "
            << config.selftrain.quality_threshold << "; this run " << static_cast<int>(seconds) << " s):\n"
            << formatStageTable(summarizeWithBase(workspace));
  std::cout << "\nwrote " << (out / "preview_val.png").string() << " and " << (out / "preview_pseudo_masks.png").string()
            << "; workspace " << out.string() << " (configuration in " << workspace.projectFile().string() << ")\n";
  if (workspace.isComplete("final")) {
    std::cout << "review the rounds' pseudo-labels (tau, decisions, commit) in the desktop app:  autoqvis "
              << out.string() << "\n"
              << "or see the final pseudo-labels on their videos:  autoqvis "
              << StageFiles{out / "final"}.pseudoLabels().string() << " --frames "
              << resolveDataPath(config, config.data.unlabeled_frames).string() << "\n";
  }
  return 0;
}

}  // namespace autoqvis::cli
