// Test and benchmark helper: encodes synthetic frames into a real video file with FFmpeg, so video
// sources are exercised on genuine codecs (B-frames, GOPs, containers) without shipping media files.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <cstdint>
#include <filesystem>
#include <functional>
#include <opencv2/core.hpp>
#include <string>

namespace autoqvis::testing {

/// Frame k shows its index as the red level k*kIndexLevelStep (frames 0..41 stay below 256), over a
/// gradient, with a white square moving through the top half. RGB.
constexpr int kIndexLevelStep = 6;
cv::Mat indexedFrame(int index, cv::Size size);
/// The index an indexedFrame shows after decoding (mean red level of the bottom half / step).
int indexShown(const cv::Mat& rgb);
/// Busy, moving texture, for encoders to spend realistic bits on (benchmarks). RGB.
cv::Mat texturedFrame(int index, cv::Size size);

struct SyntheticVideoSpec {
  std::string encoder = "mpeg4";  ///< FFmpeg encoder name, e.g. "mpeg4", "ffv1", "libx264"
  AVPixelFormat pixel_format = AV_PIX_FMT_YUV420P;
  cv::Size size{160, 120};
  int frames = 40;
  int gop = 12;
  int max_b_frames = 2;
  int64_t first_pts = 0;
  int64_t bit_rate = 0;    ///< 0: mpeg4 at constant quantiser 2 (near lossless), others at their default
  bool faststart = false;  ///< mp4: the index (moov) before the data, as streaming encoders write it
  std::function<cv::Mat(int, cv::Size)> frame = indexedFrame;
};

/// Encodes spec.frame(0..frames-1) at 30 fps into `path`; the container follows the extension.
/// Returns false when this FFmpeg build lacks the encoder; throws std::runtime_error on failure.
bool writeSyntheticVideo(const std::filesystem::path& path, const SyntheticVideoSpec& spec);

}  // namespace autoqvis::testing
