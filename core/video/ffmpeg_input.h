// The FFmpeg plumbing under FfmpegVideoSource: FFmpeg's log routed into ours, owning pointers for its
// objects, opening a file on its best video stream, and the packet scan that the frame index is built
// from. Internal to core/video (includes FFmpeg's C headers).
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace autoqvis::ffmpeg {

/// FFmpeg's text for an error code.
std::string avErrorText(int code);
/// Sends FFmpeg's log to ours at debug level (once per process).
void routeFfmpegLogging();

struct FormatDeleter {
  void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
struct CodecDeleter {
  void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct PacketDeleter {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct FrameDeleter {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct SwsDeleter {
  void operator()(SwsContext* context) const { sws_freeContext(context); }
};
using FormatPtr = std::unique_ptr<AVFormatContext, FormatDeleter>;
using CodecPtr = std::unique_ptr<AVCodecContext, CodecDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;

// An opened file and its chosen video stream. Other streams are discarded so the demuxer skips them.
struct Input {
  FormatPtr format;
  int stream = -1;
  AVStream* videoStream() const { return format->streams[stream]; }
};

/// Opens `path` on its best video stream; throws Error naming the file.
Input openInput(const std::string& path);

// One packet of the video stream as the index scan sees it, in decode order.
struct PacketInfo {
  int64_t pts;
  int64_t dts;
  bool key;
  bool corrupt;
};

struct ScanResult {
  std::vector<PacketInfo> packets;
  int64_t discarded = 0;  // packets the container marks as not to be shown (edit lists)
  bool read_error = false;
  std::string read_error_text;
};

/// Every packet of the video stream in decode order (a fresh open of `path`).
ScanResult scanPackets(const std::string& path);

}  // namespace autoqvis::ffmpeg
