// Decodes every frame of a video once, in order, to prove it is readable end to end (a truncated or
// damaged file fails at the first bad frame, named in the Error). Used by `autoqvis info --video`.
#pragma once

#include <memory>

#include "core/video/video_source.h"
#include "core/util/controller.h"

namespace autoqvis {

class VideoCheck : public Controller {
 public:
  explicit VideoCheck(VideoSource& source) : Controller("check-video"), source_(source) {}
  void run() override;
  int framesDecoded() const { return frames_decoded_; }

 private:
  VideoSource& source_;
  int frames_decoded_ = 0;
};

}  // namespace autoqvis
