// FfmpegVideoSource: a video file (mp4, mkv, avi, webm, ...) read through FFmpeg with exact frame
// counts and frame-accurate random access.
//
// At open time the file's packets are scanned once without decoding (cheap: demuxing only) to build a
// frame index: the presentation timestamps of all frames and which packets are keyframes. Frame k is
// the k-th frame in presentation order. frame(k) decodes forward from the current position when k is
// just ahead (sequential playback never seeks), and otherwise seeks to the last keyframe at or before
// frame k and decodes forward to it. Files without presentation timestamps (AVI) are indexed by decode
// timestamps instead. FFmpeg types stay out of this header.
//
// Opening the first source routes FFmpeg's own log output (process-wide) into autoqvis logging at
// debug level; problems that matter reach the caller as an Error or a warning naming file and frame.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/video/video_source.h"

namespace autoqvis {

class FfmpegVideoSource : public VideoSource {
 public:
  /// Opens `path`, scans its packets and opens the decoder. `decoder_threads` = 0 lets FFmpeg choose.
  /// Throws Error naming the file for a missing file, an unknown format, no video stream, no decoder
  /// or no frames. A truncated file opens with the frames that are complete (a warning is logged).
  explicit FfmpegVideoSource(const std::filesystem::path& path, int decoder_threads = 0);
  ~FfmpegVideoSource() override;
  FfmpegVideoSource(const FfmpegVideoSource&) = delete;
  FfmpegVideoSource& operator=(const FfmpegVideoSource&) = delete;

  int frameCount() const override;
  cv::Size frameSize() const override;
  double fps() const override;
  cv::Mat frame(int index) override;
  std::string path() const override;

  /// Frame count stored in the container header (0 when it has none); frameCount() is the scanned one.
  int64_t headerFrameCount() const;
  /// True when the scan found the file cut short or damaged at its end.
  bool truncated() const;
  /// Statistics for tests and benchmarks: demuxer seeks done and frames decoded since opening.
  int64_t seekCount() const;
  int64_t decodedFrameCount() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace autoqvis
