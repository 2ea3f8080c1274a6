#include "app/headless/command.h"
#include "core/export/dataset_preview.h"
#include "core/video/image_io.h"
#include "core/util/log.h"

namespace autoqvis::cli {

int runPreview(const Arguments& args, Environment&) {
  const Config config = loadConfigFromArguments(args);
  const std::filesystem::path dataset_path = args.value("dataset").value_or(resolveDataPath(config, config.data.val_videos).string());
  const std::filesystem::path frames = args.value("frames").value_or(resolveDataPath(config, config.data.val_frames).string());
  const std::string out = args.required("out");
  const YtvisDataset dataset = loadYtvisDataset(dataset_path);
  const cv::Mat sheet = renderVideoPreview(dataset, frames, args.intValue("videos", 4), args.intValue("per-video", 4));
  writeImageRgb(out, sheet);
  logInfo("wrote " + out);
  return 0;
}

}  // namespace autoqvis::cli
