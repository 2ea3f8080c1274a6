#include "tests/support/synthetic_video.h"

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace autoqvis::testing {
namespace {

void check(int ret, const char* what) {
  if (ret < 0) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(ret, text, sizeof(text));
    throw std::runtime_error(std::string(what) + ": " + text);
  }
}

void writePackets(AVCodecContext* codec, const AVFrame* frame, AVFormatContext* format, AVStream* stream) {
  check(avcodec_send_frame(codec, frame), "send frame");
  AVPacket* packet = av_packet_alloc();
  while (avcodec_receive_packet(codec, packet) == 0) {
    packet->duration = 1;  // one frame; without it mp4's edit list would end before the last frame
    av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
    packet->stream_index = stream->index;
    check(av_interleaved_write_frame(format, packet), "write packet");
  }
  av_packet_free(&packet);
}

AVCodecContext* openEncoder(const AVCodec* encoder, const SyntheticVideoSpec& spec, const AVFormatContext* format) {
  AVCodecContext* codec = avcodec_alloc_context3(encoder);
  codec->width = spec.size.width;
  codec->height = spec.size.height;
  codec->time_base = AVRational{1, 30};
  codec->framerate = AVRational{30, 1};
  codec->pix_fmt = spec.pixel_format;
  codec->gop_size = spec.gop;
  codec->max_b_frames = spec.max_b_frames;
  codec->thread_count = 1;
  if (spec.bit_rate > 0) {
    codec->bit_rate = spec.bit_rate;
  } else if (spec.encoder == "mpeg4") {
    codec->flags |= AV_CODEC_FLAG_QSCALE;
    codec->global_quality = FF_QP2LAMBDA * 2;
  }
  if (spec.encoder == "libx264") av_opt_set(codec->priv_data, "preset", "veryfast", 0);
  if (format->oformat->flags & AVFMT_GLOBALHEADER) codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  check(avcodec_open2(codec, encoder, nullptr), "open encoder");
  return codec;
}

}  // namespace

cv::Mat indexedFrame(int index, cv::Size size) {
  cv::Mat rgb(size, CV_8UC3);
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      rgb.at<cv::Vec3b>(y, x) = cv::Vec3b(static_cast<uchar>(index * kIndexLevelStep), static_cast<uchar>(40 + y),
                                          static_cast<uchar>(200 - x % 100));
    }
  }
  const int side = std::max(2, size.height / 6);
  const int x = (index * 5) % std::max(1, size.width - side);
  cv::rectangle(rgb, cv::Rect(x, 0, side, side), cv::Scalar(255, 255, 255), cv::FILLED);
  return rgb;
}

int indexShown(const cv::Mat& rgb) {
  const cv::Mat bottom = rgb.rowRange(rgb.rows / 2, rgb.rows);
  return static_cast<int>(std::lround(cv::mean(bottom)[0] / kIndexLevelStep));
}

cv::Mat texturedFrame(int index, cv::Size size) {
  cv::Mat rgb(size, CV_8UC3);
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      const double v = 128 + 60 * std::sin((x + 3 * index) * 0.05) * std::cos((y - 2 * index) * 0.07) +
                       30 * std::sin((x * y) * 0.0005 + index * 0.1);
      const auto luma = static_cast<uchar>(std::clamp(v, 0.0, 255.0));
      rgb.at<cv::Vec3b>(y, x) = cv::Vec3b(luma, static_cast<uchar>(96 + (x + y + index) % 64),
                                          static_cast<uchar>(160 - (x + 2 * index) % 64));
    }
  }
  return rgb;
}

bool writeSyntheticVideo(const std::filesystem::path& path, const SyntheticVideoSpec& spec) {
  const AVCodec* encoder = avcodec_find_encoder_by_name(spec.encoder.c_str());
  if (!encoder) return false;
  AVFormatContext* format = nullptr;
  check(avformat_alloc_output_context2(&format, nullptr, nullptr, path.c_str()), "output format");
  AVStream* stream = avformat_new_stream(format, nullptr);
  AVCodecContext* codec = openEncoder(encoder, spec, format);
  check(avcodec_parameters_from_context(stream->codecpar, codec), "stream parameters");
  stream->time_base = codec->time_base;
  check(avio_open(&format->pb, path.c_str(), AVIO_FLAG_WRITE), "open output");
  AVDictionary* options = nullptr;
  if (spec.faststart) av_dict_set(&options, "movflags", "+faststart", 0);
  check(avformat_write_header(format, &options), "write header");
  av_dict_free(&options);

  SwsContext* sws = sws_getContext(spec.size.width, spec.size.height, AV_PIX_FMT_RGB24, spec.size.width,
                                   spec.size.height, spec.pixel_format, SWS_BILINEAR, nullptr, nullptr, nullptr);
  AVFrame* frame = av_frame_alloc();
  frame->format = spec.pixel_format;
  frame->width = spec.size.width;
  frame->height = spec.size.height;
  check(av_frame_get_buffer(frame, 0), "frame buffer");
  for (int k = 0; k < spec.frames; ++k) {
    check(av_frame_make_writable(frame), "writable frame");
    const cv::Mat rgb = spec.frame(k, spec.size);
    const uint8_t* planes[1] = {rgb.data};
    const int strides[1] = {static_cast<int>(rgb.step[0])};
    sws_scale(sws, planes, strides, 0, spec.size.height, frame->data, frame->linesize);
    frame->pts = spec.first_pts + k;
    writePackets(codec, frame, format, stream);
  }
  writePackets(codec, nullptr, format, stream);
  check(av_write_trailer(format), "write trailer");
  av_frame_free(&frame);
  sws_freeContext(sws);
  avcodec_free_context(&codec);
  avio_closep(&format->pb);
  avformat_free_context(format);
  return true;
}

}  // namespace autoqvis::testing
