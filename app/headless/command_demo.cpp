// The main job until the training pipeline lands: generate the toy world from the built-in demo
// preset, print its statistics and write previews of the labelled videos and the pseudo-masks.
#include <iostream>

#include "app/headless/command.h"
#include "core/data/dataset_preview.h"
#include "core/data/dataset_stats.h"
#include "core/data/toy_world_writer.h"
#include "core/io/image_io.h"
#include "core/selftrain/workspace.h"
#include "core/util/log.h"
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

int runDemo(const Arguments& args, Environment& env) {
  const std::filesystem::path out = args.value("out").value_or("demo-out");
  const bool overrides = args.value("config").has_value() || !args.values("set").empty();
  const Workspace workspace = openOrCreateWorkspace(out, loadConfigFromArguments(args), overrides);
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
  std::cout << "\nwrote " << (out / "preview_val.png").string() << " and " << (out / "preview_pseudo_masks.png").string()
            << "; workspace " << out.string() << " (configuration in " << workspace.projectFile().string() << ")\n";
  return 0;
}

}  // namespace autoqvis::cli
