#include "core/video/ffmpeg_video_source.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/util/error.h"
#include "core/util/log.h"
#include "core/video/ffmpeg_input.h"

namespace autoqvis {

using namespace ffmpeg;

namespace {

// A seek flushes the decoder and (with frame threads) refills its pipeline, so jumping ahead only pays
// when it skips more frames than that costs; nearer targets are reached by decoding forward.
constexpr int kMinFramesSkippedBySeek = 4;
// Bounds the loop over a decoder that keeps failing, so a hostile file cannot hang us.
constexpr int kMaxConsecutiveDecodeFailures = 64;
// The index has no entry for this decoded frame (e.g. a frame cut from a truncated file's index).
constexpr int kUnknownFrame = -2;

int swsColorspace(AVColorSpace space) {
  switch (space) {
    case AVCOL_SPC_BT709:
      return SWS_CS_ITU709;
    case AVCOL_SPC_FCC:
      return SWS_CS_FCC;
    case AVCOL_SPC_SMPTE240M:
      return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
      return SWS_CS_BT2020;
    default:
      return SWS_CS_ITU601;  // also what players assume for unspecified SD material
  }
}

bool isFullRangeYuvj(AVPixelFormat format) {
  return format == AV_PIX_FMT_YUVJ420P || format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ444P ||
         format == AV_PIX_FMT_YUVJ440P || format == AV_PIX_FMT_YUVJ411P;
}

}  // namespace

struct FfmpegVideoSource::Impl {
  // A keyframe the decoder can start from: its timestamp (as in frame_pts) and frame index. Seeks
  // ask for this timestamp with AVSEEK_FLAG_BACKWARD; demuxers that index by dts land on this keyframe
  // too (the next keyframe's dts is beyond it) or, at worst, an earlier one, which only costs time.
  struct Keyframe {
    int64_t pts;
    int frame;
  };

  std::string path;
  int decoder_threads;
  Input input;
  CodecPtr codec;
  PacketPtr packet;
  FramePtr frame;
  SwsPtr sws;
  int sws_key[5] = {-1, -1, -1, -1, -1};  // source format, width, height, colorspace, range

  cv::Size size;
  double fps = 0;
  int64_t header_frames = 0;
  bool truncated = false;

  // How decoded frames are matched to frame indices.
  enum class Timing {
    kPts,       // every packet has a pts: a decoded frame is found in the index by its pts
    kDtsCount,  // only decode timestamps (AVI): a frame is identified by the dts it comes out with
    kOrdinal,   // timestamps missing or repeated: count from the start; backward jumps rewind
  };
  Timing timing = Timing::kPts;
  // Frame index: frame k has timestamp frame_pts[k] (ascending); dts in kDtsCount, k in kOrdinal.
  std::vector<int64_t> frame_pts;
  std::vector<Keyframe> keyframes;  // ascending pts

  // Decoder position.
  bool positioned = true;  // false after a failure: the next request seeks
  int last_output = -1;    // frame index the decoder output last; -1 right after opening or a rewind
  bool input_eof = false;
  int64_t skip_before = AV_NOPTS_VALUE;  // while decoding towards a target: its pts
  bool primed = false;                   // the decoder has seen the stream's first packet (see prime())
  std::string last_problem;  // latest demuxer/decoder complaint, quoted when a frame cannot be made
  int64_t seeks = 0;
  int64_t decoded = 0;
  bool warned_size_change = false;

  Impl(std::string file, int threads) : path(std::move(file)), decoder_threads(threads) {
    routeFfmpegLogging();
    input = openInput(path);
    AVStream* stream = input.videoStream();
    header_frames = std::max<int64_t>(stream->nb_frames, 0);
    size = cv::Size(stream->codecpar->width, stream->codecpar->height);
    if (size.width <= 0 || size.height <= 0) throw Error("video stream has no frame size", inFile(path));
    buildIndex(scanPackets(path));
    fps = streamFps(stream);
    openDecoder(stream);
    packet.reset(av_packet_alloc());
    frame.reset(av_frame_alloc());
    if (!packet || !frame) throw Error("out of memory", inFile(path));
  }

  ErrorContext atFrame(int index) const {
    ErrorContext context = inFile(path);
    context.frame = index;
    return context;
  }

  void openDecoder(const AVStream* stream) {
    const AVCodecID id = stream->codecpar->codec_id;
    const AVCodec* decoder = avcodec_find_decoder(id);
    if (!decoder)
      throw Error(std::string("no decoder for codec '") + avcodec_get_name(id) + "'", inFile(path));
    codec.reset(avcodec_alloc_context3(decoder));
    if (!codec) throw Error("out of memory", inFile(path));
    int ret = avcodec_parameters_to_context(codec.get(), stream->codecpar);
    if (ret < 0) throw Error("cannot configure the decoder: " + avErrorText(ret), inFile(path));
    codec->pkt_timebase = stream->time_base;
    codec->thread_count = decoder_threads;
    // Frame threads delay output by a frame per thread and hand out the dts of a later packet, which
    // would break how kDtsCount identifies frames; those files are old, small-resolution codecs anyway.
    codec->thread_type = timing == Timing::kDtsCount ? FF_THREAD_SLICE : FF_THREAD_FRAME | FF_THREAD_SLICE;
    ret = avcodec_open2(codec.get(), decoder, nullptr);
    if (ret < 0)
      throw Error("cannot open the " + std::string(decoder->name) + " decoder: " + avErrorText(ret),
                  inFile(path));
  }

  double streamFps(const AVStream* stream) const {
    for (AVRational rate : {stream->avg_frame_rate, stream->r_frame_rate}) {
      if (rate.num > 0 && rate.den > 0) return av_q2d(rate);
    }
    // No declared rate: derive it from the timestamps the scan found.
    if (timing == Timing::kPts && frame_pts.size() > 1 && frame_pts.back() > frame_pts.front()) {
      const double span = (frame_pts.back() - frame_pts.front()) * av_q2d(stream->time_base);
      return (frame_pts.size() - 1) / span;
    }
    logWarning(path + ": video declares no frame rate; assuming 30 fps");
    return 30.0;
  }

  int64_t stamp(const PacketInfo& p) const { return timing == Timing::kPts ? p.pts : p.dts; }

  static Timing chooseTiming(const std::vector<PacketInfo>& packets) {
    auto all_unique = [&](int64_t PacketInfo::*field) {
      std::vector<int64_t> values;
      values.reserve(packets.size());
      for (const PacketInfo& p : packets) {
        if (p.*field == AV_NOPTS_VALUE) return false;
        values.push_back(p.*field);
      }
      std::sort(values.begin(), values.end());
      return std::adjacent_find(values.begin(), values.end()) == values.end();
    };
    if (all_unique(&PacketInfo::pts)) return Timing::kPts;
    if (all_unique(&PacketInfo::dts)) return Timing::kDtsCount;
    return Timing::kOrdinal;
  }

  void buildIndex(ScanResult scan) {
    auto& packets = scan.packets;
    // A packet cut off by the end of the file is not a frame.
    while (!packets.empty() && packets.back().corrupt) {
      packets.pop_back();
      truncated = true;
    }
    if (scan.read_error) {
      truncated = true;
      last_problem = "read error: " + scan.read_error_text;
    }
    if (packets.empty()) {
      throw Error(
          scan.read_error ? "no video frame can be read: " + scan.read_error_text : "video has no frames",
          inFile(path));
    }

    timing = chooseTiming(packets);
    if (timing == Timing::kOrdinal) {
      logWarning(path + ": frame timestamps are missing or repeated; random access decodes from the start");
      frame_pts.resize(packets.size());
      for (size_t i = 0; i < frame_pts.size(); ++i) frame_pts[i] = static_cast<int64_t>(i);
    } else {
      for (const PacketInfo& p : packets) frame_pts.push_back(stamp(p));
      std::sort(frame_pts.begin(), frame_pts.end());
      if (truncated) trimTruncatedTail(packets);
      for (const PacketInfo& p : packets) {
        if (!p.key) continue;
        auto it = std::lower_bound(frame_pts.begin(), frame_pts.end(), stamp(p));
        if (it == frame_pts.end() || *it != stamp(p)) continue;  // trimmed away
        keyframes.push_back({stamp(p), static_cast<int>(it - frame_pts.begin())});
      }
      std::sort(keyframes.begin(), keyframes.end(),
                [](const Keyframe& a, const Keyframe& b) { return a.pts < b.pts; });
      if (keyframes.empty())
        logWarning(path + ": video marks no keyframes; random access decodes from the start");
    }

    if (truncated) {
      logWarning(
          path + ": file is truncated or damaged at its end; " + std::to_string(frame_pts.size()) +
          " frames are readable" +
          (header_frames > 0 ? " of the " + std::to_string(header_frames) + " its header declares" : ""));
    } else if (header_frames > 0 && header_frames != static_cast<int64_t>(packets.size()) + scan.discarded) {
      logWarning(path + ": header declares " + std::to_string(header_frames) + " frames, the file holds " +
                 std::to_string(frame_pts.size()));
    }
  }

  // In a truncated file the packets lost at the end may include frames shown *before* the last packets
  // that survived (B-frames are stored after the frames they precede), which would shift every later
  // index. A lost packet has dts above the last surviving one and pts >= dts, so frames up to that dts
  // are complete; without dts, cut at the first hole in the tail's timestamp spacing.
  void trimTruncatedTail(const std::vector<PacketInfo>& packets) {
    int64_t last_dts = AV_NOPTS_VALUE;
    for (const PacketInfo& p : packets) {
      if (p.dts != AV_NOPTS_VALUE) last_dts = last_dts == AV_NOPTS_VALUE ? p.dts : std::max(last_dts, p.dts);
    }
    size_t keep = frame_pts.size();
    if (last_dts != AV_NOPTS_VALUE) {
      keep = std::upper_bound(frame_pts.begin(), frame_pts.end(), last_dts) - frame_pts.begin();
    } else if (frame_pts.size() > 2) {
      std::vector<int64_t> steps;
      for (size_t i = 1; i < frame_pts.size(); ++i) steps.push_back(frame_pts[i] - frame_pts[i - 1]);
      std::nth_element(steps.begin(), steps.begin() + steps.size() / 2, steps.end());
      const int64_t step = steps[steps.size() / 2];
      constexpr size_t kMaxReorderDepth = 16;
      for (size_t i = frame_pts.size() > kMaxReorderDepth ? frame_pts.size() - kMaxReorderDepth : 1;
           i < frame_pts.size(); ++i) {
        if (2 * (frame_pts[i] - frame_pts[i - 1]) > 3 * step) {
          keep = i;
          break;
        }
      }
    }
    keep = std::max<size_t>(keep, 1);
    if (keep < frame_pts.size()) frame_pts.resize(keep);
  }

  // Index into keyframes of the keyframe to decode `target` from; -1: decode from the start.
  int keyframeFor(int target) const {
    auto it = std::upper_bound(keyframes.begin(), keyframes.end(), frame_pts[target],
                               [](int64_t pts, const Keyframe& k) { return pts < k.pts; });
    return static_cast<int>(it - keyframes.begin()) - 1;
  }

  bool needsSeek(int target) const {
    if (!positioned || target <= last_output) return true;
    const int key = keyframeFor(target);
    return key >= 0 && keyframes[key].frame - (last_output + 1) > kMinFramesSkippedBySeek;
  }

  void resetDecoder(int frame_before) {
    avcodec_flush_buffers(codec.get());
    input_eof = false;
    positioned = true;
    last_output = frame_before;
  }

  // Decoders learn encoder quirks from the stream's first packet: H.264 reads the x264 version from an
  // SEI there and MPEG-4 part 2 the Xvid/DivX build, and both switch on workarounds for known encoder
  // bugs. A decoder that starts at a later keyframe without it decodes such files into garbage (seen
  // with old x264 4:4:4 streams), so before the first seek it decodes the first packet and throws the
  // result away. The quirk flags survive avcodec_flush_buffers().
  void prime() {
    primed = true;
    int ret;
    while ((ret = av_read_frame(input.format.get(), packet.get())) >= 0 &&
           packet->stream_index != input.stream) {
      av_packet_unref(packet.get());
    }
    if (ret < 0) return;
    avcodec_send_packet(codec.get(), packet.get());
    av_packet_unref(packet.get());
    avcodec_send_packet(codec.get(), nullptr);
    while (avcodec_receive_frame(codec.get(), frame.get()) == 0) av_frame_unref(frame.get());
    avcodec_flush_buffers(codec.get());
  }

  // Back to the first packet: a seek where the demuxer can, otherwise reopening the file.
  void rewind(bool force_reopen) {
    ++seeks;
    int ret = -1;
    if (!force_reopen && !keyframes.empty() && keyframes.front().frame == 0) {
      ret = av_seek_frame(input.format.get(), input.stream, keyframes.front().pts, AVSEEK_FLAG_BACKWARD);
    }
    if (ret < 0) input = openInput(path);
    resetDecoder(-1);
  }

  // Positions the demuxer at keyframes[key]; key < 0 means the start of the file.
  void seekToKeyframe(int key) {
    if (key < 0 || timing == Timing::kOrdinal) return rewind(false);
    ++seeks;
    if (!primed) prime();
    const int ret = av_seek_frame(input.format.get(), input.stream, keyframes[key].pts, AVSEEK_FLAG_BACKWARD);
    if (ret < 0) {
      logDebug(path + ": seek failed (" + avErrorText(ret) + "); decoding from the start");
      return rewind(true);
    }
    resetDecoder(keyframes[key].frame - 1);
  }

  cv::Mat frameAt(int index) {
    if (index < 0 || index >= static_cast<int>(frame_pts.size())) {
      throw Error("frame index out of range [0, " + std::to_string(frame_pts.size()) + ")", atFrame(index));
    }
    last_problem.clear();
    try {
      // First try: the cheap way (forward, or from the target's keyframe). Second: from one keyframe
      // earlier (or the very start), which also covers demuxers whose seek lands past the keyframe.
      int key = keyframeFor(index);
      bool seeked = false;
      if (needsSeek(index)) {
        seekToKeyframe(key);
        seeked = true;
      }
      cv::Mat image = decodeForwardTo(index);
      if (image.empty()) {
        if (!seeked) {
          seekToKeyframe(key);
        } else if (key > 0) {
          seekToKeyframe(key - 1);
        } else {
          rewind(true);  // the seek to the start itself may have missed: reopen the file
        }
        image = decodeForwardTo(index);
      }
      if (!image.empty()) return image;
    } catch (const Error& e) {
      positioned = false;
      throw e.withContext(atFrame(index));
    } catch (const cv::Exception& e) {
      positioned = false;
      throw Error(std::string("image conversion failed: ") + e.what(), atFrame(index));
    } catch (...) {
      positioned = false;
      throw;
    }
    positioned = false;
    std::string message = "frame cannot be decoded";
    if (!last_problem.empty()) message += " (" + last_problem + ")";
    if (truncated) message += "; the file is truncated or damaged";
    throw Error(message, atFrame(index));
  }

  // Decodes until frame `target` comes out and returns it in RGB; empty when the stream ends or moves
  // past the target without producing it intact.
  cv::Mat decodeForwardTo(int target) {
    skip_before = frame_pts[target];
    struct ResetSkip {
      int64_t& skip_before;
      ~ResetSkip() { skip_before = AV_NOPTS_VALUE; }
    } reset_skip{skip_before};
    while (receiveFrame()) {
      ++decoded;
      const int index = identify(*frame);
      if (index == kUnknownFrame) continue;
      last_output = index;
      if (index < target) continue;
      if (index > target) return {};
      if (frame->decode_error_flags != 0 || (frame->flags & AV_FRAME_FLAG_CORRUPT)) {
        last_problem = "the decoder reports the frame as damaged";
        return {};
      }
      return toRgb(*frame);
    }
    return {};
  }

  int identify(const AVFrame& decoded_frame) const {
    if (timing == Timing::kOrdinal) return last_output + 1;
    int64_t ts = decoded_frame.best_effort_timestamp;
    int delay = 0;
    if (timing == Timing::kPts) {
      if (decoded_frame.pts != AV_NOPTS_VALUE) ts = decoded_frame.pts;
    } else {
      // Without pts the decoder stamps a frame with the dts of the packet that pushed it out, which
      // is `has_b_frames` packets after the frame's own (this holds for packed and unpacked MPEG-4
      // B-frames in AVI, also right after a seek, where leading B-frames are dropped).
      delay = codec->has_b_frames;
    }
    if (ts == AV_NOPTS_VALUE) return last_output + 1;  // no timestamp (the last frames of a drain): count
    auto it = std::lower_bound(frame_pts.begin(), frame_pts.end(), ts);
    if (it == frame_pts.end() || *it != ts) return timing == Timing::kPts ? kUnknownFrame : last_output + 1;
    const int index = static_cast<int>(it - frame_pts.begin()) - delay;
    return index >= 0 ? index : last_output + 1;
  }

  // Next decoded frame into `frame`; false at the end of the stream.
  bool receiveFrame() {
    av_frame_unref(frame.get());
    int failures = 0;
    for (;;) {
      const int ret = avcodec_receive_frame(codec.get(), frame.get());
      if (ret == 0) return true;
      if (ret == AVERROR_EOF) return false;
      if (ret != AVERROR(EAGAIN)) {
        last_problem = "decoder error: " + avErrorText(ret);
        if (++failures > kMaxConsecutiveDecodeFailures) return false;
        continue;
      }
      if (!sendNextPacket()) return false;
    }
  }

  // Feeds the decoder one packet of the video stream, or the end-of-stream signal that makes it hand
  // out its delayed frames. False when even that has been sent.
  bool sendNextPacket() {
    if (input_eof) return false;
    for (;;) {
      int ret = av_read_frame(input.format.get(), packet.get());
      if (ret < 0) {
        if (ret != AVERROR_EOF) last_problem = "read error: " + avErrorText(ret);
        input_eof = true;
        avcodec_send_packet(codec.get(), nullptr);
        return true;
      }
      if (packet->stream_index != input.stream) {
        av_packet_unref(packet.get());
        continue;
      }
      // Frames shown before the target are decoded only to be dropped; those no other frame refers
      // to need not be decoded at all (about half the work of a jump in B-frame heavy streams).
      const bool before_target = timing == Timing::kPts && skip_before != AV_NOPTS_VALUE &&
                                 packet->pts != AV_NOPTS_VALUE && packet->pts < skip_before;
      codec->skip_frame = before_target ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
      ret = avcodec_send_packet(codec.get(), packet.get());
      av_packet_unref(packet.get());
      primed = true;  // before any seek, the packets sent start with the first one
      // A damaged packet loses its frame (and maybe those referring to it); decoding goes on so the
      // rest of the video stays readable, and the frame that is missing reports the problem.
      if (ret < 0) last_problem = "decoder error: " + avErrorText(ret);
      return true;
    }
  }

  cv::Mat toRgb(const AVFrame& source) {
    const auto format = static_cast<AVPixelFormat>(source.format);
    const int space = swsColorspace(source.colorspace);
    const int full_range = source.color_range == AVCOL_RANGE_JPEG || isFullRangeYuvj(format);
    const int key[5] = {source.format, source.width, source.height, space, full_range};
    if (!std::equal(key, key + 5, sws_key)) {
      if ((source.width != size.width || source.height != size.height) && !warned_size_change) {
        logWarning(path + ": frame size changes mid-stream; frames are scaled to the stream's size");
        warned_size_change = true;
      }
      sws.reset(sws_getContext(source.width, source.height, format, size.width, size.height, AV_PIX_FMT_RGB24,
                               SWS_BILINEAR, nullptr, nullptr, nullptr));
      if (!sws) {
        const char* name = av_get_pix_fmt_name(format);
        throw Error(std::string("cannot convert pixel format ") + (name ? name : "?") + " to RGB",
                    inFile(path));
      }
      const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
      if (desc && !(desc->flags & AV_PIX_FMT_FLAG_RGB) && desc->nb_components >= 3) {
        // Tell swscale the matrix and range the stream was encoded with; its default is BT.601 limited.
        sws_setColorspaceDetails(sws.get(), sws_getCoefficients(space), full_range,
                                 sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
      }
      std::copy(key, key + 5, sws_key);
    }
    cv::Mat rgb(size, CV_8UC3);
    uint8_t* planes[4] = {rgb.data, nullptr, nullptr, nullptr};
    int strides[4] = {static_cast<int>(rgb.step[0]), 0, 0, 0};
    if (sws_scale(sws.get(), source.data, source.linesize, 0, source.height, planes, strides) <= 0) {
      throw Error("pixel format conversion failed", inFile(path));
    }
    return rgb;
  }
};

FfmpegVideoSource::FfmpegVideoSource(const std::filesystem::path& path, int decoder_threads)
    : impl_(std::make_unique<Impl>(path.string(), decoder_threads)) {}

FfmpegVideoSource::~FfmpegVideoSource() = default;

int FfmpegVideoSource::frameCount() const { return static_cast<int>(impl_->frame_pts.size()); }
cv::Size FfmpegVideoSource::frameSize() const { return impl_->size; }
double FfmpegVideoSource::fps() const { return impl_->fps; }
cv::Mat FfmpegVideoSource::frame(int index) { return impl_->frameAt(index); }
std::string FfmpegVideoSource::path() const { return impl_->path; }
int64_t FfmpegVideoSource::headerFrameCount() const { return impl_->header_frames; }
bool FfmpegVideoSource::truncated() const { return impl_->truncated; }
int64_t FfmpegVideoSource::seekCount() const { return impl_->seeks; }
int64_t FfmpegVideoSource::decodedFrameCount() const { return impl_->decoded; }

}  // namespace autoqvis
