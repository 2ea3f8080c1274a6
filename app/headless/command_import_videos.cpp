// `import-videos`: a folder of video files becomes unlabeled videos in the YouTube-VIS layout (frames
// sampled at 6 fps into OUT/JPEGImages/<name>/, OUT/videos.json), as the New project dialog does it.
#include <iostream>

#include "app/headless/command.h"
#include "core/selftrain/video_folder_import.h"

namespace autoqvis::cli {

int runImportVideos(const Arguments& args, Environment& env) {
  const double fps = args.doubleValue("fps", 6.0);
  if (!(fps > 0)) throw UsageError("--fps needs a rate above 0");
  VideoFolderImport import(args.required("videos"), args.required("out"), fps);
  runController(import, env);
  const ImportedVideoFiles out{args.required("out")};
  std::cout << "imported " << import.videosWritten() << " videos (" << import.framesWritten() << " frames) into "
            << out.frames().string() << "; list " << out.videos().string() << "\n";
  return 0;
}

}  // namespace autoqvis::cli
