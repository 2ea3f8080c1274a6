#include "core/video/video_check.h"

namespace autoqvis {

void VideoCheck::run() {
  frames_decoded_ = 0;
  auto progress = reporter("check-video", "frames", source_.frameCount());
  for (int t = 0; t < source_.frameCount(); ++t) {
    checkStop();
    source_.frame(t);  // throws an Error naming the file and frame
    ++frames_decoded_;
    progress.step();
  }
}

}  // namespace autoqvis
