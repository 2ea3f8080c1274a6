// The main job until the training pipeline lands: generate the toy world from the built-in demo
// preset, print its statistics and write previews of the labelled videos and the pseudo-masks.
#include <iostream>

#include "app/headless/command.h"
#include "core/data/dataset_preview.h"
#include "core/data/dataset_stats.h"
#include "core/data/toy_world_writer.h"
#include "core/io/image_io.h"
#include "core/util/version.h"

namespace autoqvis::cli {

int runDemo(const Arguments& args, Environment& env) {
  Config config = loadConfigFromArguments(args);
  const std::filesystem::path out = args.value("out").value_or("demo-out");
  config.data.root = (out / "data").string();
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
  saveConfig(config, out / "config.yaml");
  std::cout << "\nwrote " << (out / "preview_val.png").string() << ", " << (out / "preview_pseudo_masks.png").string()
            << " and the effective " << (out / "config.yaml").string() << "\n";
  return 0;
}

}  // namespace autoqvis::cli
