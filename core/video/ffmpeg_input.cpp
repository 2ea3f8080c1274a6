#include "core/video/ffmpeg_input.h"

#include <cstdarg>
#include <mutex>

#include "core/util/error.h"
#include "core/util/log.h"

namespace autoqvis::ffmpeg {
namespace {

// FFmpeg prints to stderr by default, including chatter about files it reads fine ("packed B-frames").
// Route it into our log at debug level: what matters to a user comes back as an Error or a warning of
// ours that names the file and frame.
void forwardFfmpegLog(void* object, int level, const char* format, va_list args) {
  if (level > AV_LOG_WARNING || logLevel() > LogLevel::Debug) return;
  char line[1024];
  int print_prefix = 1;
  av_log_format_line2(object, level, format, args, line, sizeof(line), &print_prefix);
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (!text.empty()) logDebug("ffmpeg: " + text);
}

}  // namespace

std::string avErrorText(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, text, sizeof(text));
  return text;
}

void routeFfmpegLogging() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_callback(forwardFfmpegLog); });
}

Input openInput(const std::string& path) {
  AVFormatContext* raw = nullptr;
  int ret = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);
  if (ret < 0) throw Error("cannot open video file: " + avErrorText(ret), inFile(path));
  Input input;
  input.format.reset(raw);
  ret = avformat_find_stream_info(raw, nullptr);
  if (ret < 0) throw Error("cannot read the video's stream information: " + avErrorText(ret), inFile(path));
  input.stream = av_find_best_stream(raw, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (input.stream < 0) throw Error("file has no video stream", inFile(path));
  for (unsigned i = 0; i < raw->nb_streams; ++i) {
    if (static_cast<int>(i) != input.stream) raw->streams[i]->discard = AVDISCARD_ALL;
  }
  return input;
}

ScanResult scanPackets(const std::string& path) {
  Input input = openInput(path);
  PacketPtr packet(av_packet_alloc());
  if (!packet) throw Error("out of memory", inFile(path));
  ScanResult scan;
  for (;;) {
    int ret = av_read_frame(input.format.get(), packet.get());
    if (ret < 0) {
      if (ret != AVERROR_EOF) {
        scan.read_error = true;
        scan.read_error_text = avErrorText(ret);
      }
      break;
    }
    if (packet->stream_index == input.stream) {
      if (packet->flags & AV_PKT_FLAG_DISCARD) {
        ++scan.discarded;
      } else {
        scan.packets.push_back({packet->pts, packet->dts, (packet->flags & AV_PKT_FLAG_KEY) != 0,
                                (packet->flags & AV_PKT_FLAG_CORRUPT) != 0});
      }
    }
    av_packet_unref(packet.get());
  }
  return scan;
}

}  // namespace autoqvis::ffmpeg
