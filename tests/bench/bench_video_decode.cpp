// Benchmark of FfmpegVideoSource: frames per second for sequential playback and for random access
// (uniformly random indices, each a seek to the nearest keyframe and a decode forward). Without
// arguments it encodes 640x360, 300-frame test videos (MPEG-4 part 2 and, when the FFmpeg build has
// libx264, H.264) into a temporary folder; with arguments it measures the given video files.
//
//   bench_video_decode [--threads N] [video ...]
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/io/ffmpeg_video_source.h"
#include "core/util/error.h"

namespace fs = std::filesystem;
using autoqvis::FfmpegVideoSource;

namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 360;
constexpr int kFrames = 300;
constexpr int kRandomAccesses = 100;

void check(int ret, const char* what) {
  if (ret < 0) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(ret, text, sizeof(text));
    throw std::runtime_error(std::string(what) + ": " + text);
  }
}

// Textured content that moves, so that the encoder spends realistic bits on motion and detail.
void fillFrame(AVFrame* frame, int index) {
  for (int y = 0; y < kHeight; ++y) {
    uint8_t* row = frame->data[0] + y * frame->linesize[0];
    for (int x = 0; x < kWidth; ++x) {
      const double v = 128 + 60 * std::sin((x + 3 * index) * 0.05) * std::cos((y - 2 * index) * 0.07) +
                       30 * std::sin((x * y) * 0.0005 + index * 0.1);
      row[x] = static_cast<uint8_t>(std::clamp(v, 0.0, 255.0));
    }
  }
  for (int plane = 1; plane < 3; ++plane) {
    for (int y = 0; y < kHeight / 2; ++y) {
      uint8_t* row = frame->data[plane] + y * frame->linesize[plane];
      for (int x = 0; x < kWidth / 2; ++x)
        row[x] = static_cast<uint8_t>(128 + ((x + y + index * plane) % 64) - 32);
    }
  }
}

void drainEncoder(AVCodecContext* codec, const AVFrame* frame, AVFormatContext* format, AVStream* stream) {
  check(avcodec_send_frame(codec, frame), "send frame");
  AVPacket* packet = av_packet_alloc();
  while (avcodec_receive_packet(codec, packet) == 0) {
    packet->duration = 1;
    av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
    packet->stream_index = stream->index;
    check(av_interleaved_write_frame(format, packet), "write packet");
  }
  av_packet_free(&packet);
}

// Returns false when the encoder is not in this FFmpeg build.
bool writeVideo(const fs::path& path, const char* encoder_name, int gop, int b_frames) {
  const AVCodec* encoder = avcodec_find_encoder_by_name(encoder_name);
  if (!encoder) return false;
  AVFormatContext* format = nullptr;
  check(avformat_alloc_output_context2(&format, nullptr, nullptr, path.c_str()), "output format");
  AVStream* stream = avformat_new_stream(format, nullptr);
  AVCodecContext* codec = avcodec_alloc_context3(encoder);
  codec->width = kWidth;
  codec->height = kHeight;
  codec->time_base = AVRational{1, 30};
  codec->framerate = AVRational{30, 1};
  codec->pix_fmt = AV_PIX_FMT_YUV420P;
  codec->gop_size = gop;
  codec->max_b_frames = b_frames;
  codec->bit_rate = 1500000;
  if (std::string(encoder_name) == "libx264") av_opt_set(codec->priv_data, "preset", "veryfast", 0);
  if (format->oformat->flags & AVFMT_GLOBALHEADER) codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  check(avcodec_open2(codec, encoder, nullptr), "open encoder");
  check(avcodec_parameters_from_context(stream->codecpar, codec), "stream parameters");
  stream->time_base = codec->time_base;
  check(avio_open(&format->pb, path.c_str(), AVIO_FLAG_WRITE), "open output");
  check(avformat_write_header(format, nullptr), "write header");
  AVFrame* frame = av_frame_alloc();
  frame->format = AV_PIX_FMT_YUV420P;
  frame->width = kWidth;
  frame->height = kHeight;
  check(av_frame_get_buffer(frame, 0), "frame buffer");
  for (int k = 0; k < kFrames; ++k) {
    check(av_frame_make_writable(frame), "writable frame");
    fillFrame(frame, k);
    frame->pts = k;
    drainEncoder(codec, frame, format, stream);
  }
  drainEncoder(codec, nullptr, format, stream);
  check(av_write_trailer(format), "write trailer");
  av_frame_free(&frame);
  avcodec_free_context(&codec);
  avio_closep(&format->pb);
  avformat_free_context(format);
  return true;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void bench(const fs::path& path, const std::string& label, int threads) {
  auto start = std::chrono::steady_clock::now();
  FfmpegVideoSource sequential(path, threads);
  const double open_s = secondsSince(start);
  const int count = sequential.frameCount();
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) sequential.frame(i);
  const double sequential_s = secondsSince(start);

  FfmpegVideoSource random(path, threads);
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> pick(0, count - 1);
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRandomAccesses; ++i) random.frame(pick(rng));
  const double random_s = secondsSince(start);

  std::printf(
      "%-28s %4d frames %4dx%-4d open %6.1f ms | sequential %7.1f frames/s | random %6.1f frames/s "
      "(%.1f decoded per access, %lld seeks)\n",
      label.c_str(), count, sequential.frameSize().width, sequential.frameSize().height, open_s * 1e3,
      count / sequential_s, kRandomAccesses / random_s,
      static_cast<double>(random.decodedFrameCount()) / kRandomAccesses,
      static_cast<long long>(random.seekCount()));
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 0;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--threads" && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else {
      files.emplace_back(arg);
    }
  }
  av_log_set_level(AV_LOG_ERROR);
  try {
    if (!files.empty()) {
      for (const fs::path& file : files) bench(file, file.filename().string(), threads);
      return 0;
    }
    const fs::path dir = fs::temp_directory_path() / ("autoqvis-bench-video-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    struct Case {
      const char* file;
      const char* encoder;
      int gop;
      int b_frames;
      const char* label;
    } cases[] = {
        {"mpeg4_gop12_b2.mp4", "mpeg4", 12, 2, "mpeg4 gop12 b2 (mp4)"},
        {"h264_gop60_b3.mp4", "libx264", 60, 3, "h264 gop60 b3 (mp4)"},
        {"h264_gop250_b3.mkv", "libx264", 250, 3, "h264 gop250 b3 (mkv)"},
    };
    std::printf("decoder threads: %s\n", threads == 0 ? "auto" : std::to_string(threads).c_str());
    for (const Case& c : cases) {
      const fs::path path = dir / c.file;
      if (!writeVideo(path, c.encoder, c.gop, c.b_frames)) {
        std::printf("%-28s skipped: no %s encoder\n", c.label, c.encoder);
        continue;
      }
      bench(path, c.label, threads);
    }
    fs::remove_all(dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_video_decode: %s\n", e.what());
    return 1;
  }
  return 0;
}
