// Tests of core/io video sources: frame folders, FFmpeg video files (exact counts, frame-accurate random
// access, B-frames, timestamps that do not start at 0, odd sizes, truncated and garbage files) and the
// frame cache. The test videos are encoded here with libavcodec; each frame carries its index as a
// colour level, so the frame that comes back can be identified by its pixels.
#include <QTemporaryDir>
#include <QtTest>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "core/video/ffmpeg_video_source.h"
#include "core/video/frame_cache.h"
#include "core/video/frame_folder_source.h"
#include "core/video/image_io.h"
#include "core/video/video_source.h"
#include "core/util/error.h"
#include "core/util/log.h"
#include "tests/support/error_message.h"
#include "tests/support/synthetic_video.h"

using namespace autoqvis::testing;
using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

double maxDifference(const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF); }

// Every encoder the tests use ships with Debian's FFmpeg; a missing one is a broken install.
void writeVideo(const fs::path& path, const SyntheticVideoSpec& spec) {
  if (!writeSyntheticVideo(path, spec)) throw std::runtime_error("FFmpeg has no " + spec.encoder + " encoder");
}

void check(int ret, const char* what) {
  if (ret < 0) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {0};
    av_strerror(ret, text, sizeof(text));
    throw std::runtime_error(std::string(what) + ": " + text);
  }
}

// Decodes a whole file the plain way (every packet in file order, decoder output is presentation
// order) and returns the frame count; `keep` frame indices are also returned as RGB.
int referenceDecode(const fs::path& path, const std::vector<int>& keep, std::map<int, cv::Mat>* kept) {
  AVFormatContext* format = nullptr;
  check(avformat_open_input(&format, path.c_str(), nullptr, nullptr), "open");
  check(avformat_find_stream_info(format, nullptr), "stream info");
  const int stream = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  check(stream, "video stream");
  const AVCodec* decoder = avcodec_find_decoder(format->streams[stream]->codecpar->codec_id);
  AVCodecContext* codec = avcodec_alloc_context3(decoder);
  avcodec_parameters_to_context(codec, format->streams[stream]->codecpar);
  check(avcodec_open2(codec, decoder, nullptr), "open decoder");
  AVPacket* packet = av_packet_alloc();
  AVFrame* frame = av_frame_alloc();
  int count = 0;
  auto drain = [&] {
    while (avcodec_receive_frame(codec, frame) == 0) {
      if (std::find(keep.begin(), keep.end(), count) != keep.end()) {
        cv::Mat rgb(frame->height, frame->width, CV_8UC3);
        SwsContext* sws = sws_getContext(
            frame->width, frame->height, static_cast<AVPixelFormat>(frame->format), frame->width,
            frame->height, AV_PIX_FMT_RGB24, SWS_BILINEAR, nullptr, nullptr, nullptr);
        uint8_t* planes[1] = {rgb.data};
        const int strides[1] = {static_cast<int>(rgb.step[0])};
        sws_scale(sws, frame->data, frame->linesize, 0, frame->height, planes, strides);
        sws_freeContext(sws);
        (*kept)[count] = rgb;
      }
      ++count;
    }
  };
  while (av_read_frame(format, packet) >= 0) {
    if (packet->stream_index == stream) {
      avcodec_send_packet(codec, packet);
      drain();
    }
    av_packet_unref(packet);
  }
  avcodec_send_packet(codec, nullptr);
  drain();
  av_frame_free(&frame);
  av_packet_free(&packet);
  avcodec_free_context(&codec);
  avformat_close_input(&format);
  return count;
}

void copyPrefix(const fs::path& from, const fs::path& to, double fraction) {
  std::ifstream in(from, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(to, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size() * fraction));
}

void writeBytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

class TestVideoSource : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  fs::path root_;
  fs::path mp4_;       // MPEG-4 part 2, 2 B-frames, GOP 12, 160x120, 40 frames
  fs::path mp4_fast_;  // the same with the index first (faststart), for the truncation test
  fs::path mkv_;       // FFV1 lossless BGR0, 33x17, first pts 100
  fs::path avi_;       // MPEG-4 part 2 without B-frames in AVI (decode timestamps only)
  SyntheticVideoSpec mp4_spec_;
  SyntheticVideoSpec mkv_spec_;

  fs::path file(const std::string& name) const { return root_ / name; }

  // Every frame of `source` shows its own index, and random access returns what sequential did.
  void checkAllFrames(VideoSource& source, double tolerance) {
    std::vector<cv::Mat> sequential;
    for (int i = 0; i < source.frameCount(); ++i) {
      sequential.push_back(source.frame(i));
      QCOMPARE(indexShown(sequential.back()), i);
    }
    for (int i : {17, 3, 29, 0, source.frameCount() - 1, 12, 11, 13, 24, 36, 35, 1}) {
      if (i >= source.frameCount()) continue;
      const cv::Mat image = source.frame(i);
      QCOMPARE(indexShown(image), i);
      QVERIFY2(maxDifference(image, sequential[i]) <= tolerance, qPrintable(QString("frame %1").arg(i)));
    }
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    if (qEnvironmentVariableIsSet("AUTOQVIS_KEEP_TEST_FILES")) {
      dir_.setAutoRemove(false);
      qInfo("test videos stay in %s", qPrintable(dir_.path()));
    }
    root_ = fs::path(dir_.path().toStdString());
    setLogLevel(LogLevel::Error);    // truncation tests warn on purpose
    av_log_set_level(AV_LOG_ERROR);  // the encoders' chatter
    mp4_ = file("bframes.mp4");
    writeVideo(mp4_, mp4_spec_);
    SyntheticVideoSpec fast = mp4_spec_;
    fast.faststart = true;
    mp4_fast_ = file("bframes_faststart.mp4");
    writeVideo(mp4_fast_, fast);
    mkv_spec_.encoder = "ffv1";
    mkv_spec_.pixel_format = AV_PIX_FMT_BGR0;
    mkv_spec_.size = cv::Size(33, 17);
    mkv_spec_.frames = 20;
    mkv_spec_.gop = 1;
    mkv_spec_.max_b_frames = 0;
    mkv_spec_.first_pts = 100;
    mkv_ = file("lossless.mkv");
    writeVideo(mkv_, mkv_spec_);
    SyntheticVideoSpec avi = mp4_spec_;
    avi.max_b_frames = 0;
    avi_ = file("plain.avi");
    writeVideo(avi_, avi);
  }

  void fileProperties() {
    auto source = openVideoSource(mp4_);
    QCOMPARE(source->frameCount(), mp4_spec_.frames);
    QCOMPARE(source->frameSize(), mp4_spec_.size);
    QCOMPARE(source->fps(), 30.0);
    QCOMPARE(source->path(), mp4_.string());
    const cv::Mat frame = source->frame(0);
    QCOMPARE(frame.type(), CV_8UC3);
    QCOMPARE(frame.size(), mp4_spec_.size);
    // RGB order: the index lives in the red channel, blue is high on the left.
    QVERIFY(frame.at<cv::Vec3b>(100, 0)[2] > 180);
    QCOMPARE(dynamic_cast<FfmpegVideoSource&>(*source).headerFrameCount(), int64_t{mp4_spec_.frames});
  }

  void bFramesSequentialAndRandom() {
    FfmpegVideoSource source(mp4_);
    checkAllFrames(source, 0);  // decoding is deterministic: same frame, same pixels
    // The lossy codec stays close to what was encoded.
    cv::Mat error;
    cv::absdiff(source.frame(7), indexedFrame(7, mp4_spec_.size), error);
    QVERIFY(cv::mean(error)[0] < 3 && cv::mean(error)[1] < 3 && cv::mean(error)[2] < 3);
  }

  void sequentialAccessNeverSeeks() {
    FfmpegVideoSource source(mp4_);
    for (int i = 0; i < source.frameCount(); ++i) source.frame(i);
    QCOMPARE(source.seekCount(), int64_t{0});
    QCOMPARE(source.decodedFrameCount(), int64_t{mp4_spec_.frames});
    // Small steps forward decode on; a jump past a keyframe seeks; going back seeks.
    FfmpegVideoSource jumps(mp4_);
    jumps.frame(0);
    jumps.frame(2);
    QCOMPARE(jumps.seekCount(), int64_t{0});
    jumps.frame(30);
    QCOMPARE(jumps.seekCount(), int64_t{1});
    QVERIFY(jumps.decodedFrameCount() < 20);
    QCOMPARE(indexShown(jumps.frame(5)), 5);
    QCOMPARE(jumps.seekCount(), int64_t{2});
  }

  void losslessOddSizeNonZeroStart() {
    FfmpegVideoSource source(mkv_);
    QCOMPARE(source.frameCount(), mkv_spec_.frames);
    QCOMPARE(source.frameSize(), cv::Size(33, 17));
    for (int i : {0, 19, 7, 8, 3, 0, 1, 2, 18}) {
      QCOMPARE(maxDifference(source.frame(i), indexedFrame(i, mkv_spec_.size)), 0.0);
    }
  }

  void aviDecodeTimestampsOnly() {
    FfmpegVideoSource source(avi_);
    QCOMPARE(source.frameCount(), mp4_spec_.frames);
    checkAllFrames(source, 0);
    writeVideo(file("bframes.avi"), mp4_spec_);
    FfmpegVideoSource b(file("bframes.avi"));
    QCOMPARE(b.frameCount(), mp4_spec_.frames);
    checkAllFrames(b, 0);
  }

  void bFramesNonZeroStart() {
    SyntheticVideoSpec spec = mp4_spec_;
    spec.first_pts = 1000;
    writeVideo(file("bframes_offset.mkv"), spec);
    writeVideo(file("bframes_offset.mp4"), spec);
    for (const char* name : {"bframes_offset.mkv", "bframes_offset.mp4"}) {
      FfmpegVideoSource source(file(name));
      QCOMPARE(source.frameCount(), spec.frames);
      checkAllFrames(source, 0);
    }
  }

  void outOfRangeIndex() {
    FfmpegVideoSource source(mp4_);
    for (int index : {-1, source.frameCount(), 1000000}) {
      const QString message = errorOf([&] { source.frame(index); });
      QVERIFY2(message.contains("bframes.mp4") && message.contains(QString("frame %1").arg(index)),
               qPrintable(message));
    }
    QCOMPARE(indexShown(source.frame(4)), 4);  // still usable
  }

  void truncatedFile_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("opens");  // what FFmpeg 5.1 makes of the cut file
    QTest::newRow("mp4 index first") << "bframes_faststart.mp4" << true;
    QTest::newRow("mp4 index last") << "bframes.mp4" << false;
    QTest::newRow("mkv") << "lossless.mkv" << true;
    QTest::newRow("avi") << "plain.avi" << true;
  }

  // A file cut at 60%: it fails to open with an Error naming it, or it opens with fewer frames, each of
  // which either is right or throws an Error naming file and frame. Nothing crashes.
  void truncatedFile() {
    QFETCH(QString, name);
    QFETCH(bool, opens);
    const fs::path cut = file("cut_" + name.toStdString());
    copyPrefix(file(name.toStdString()), cut, 0.6);
    std::unique_ptr<VideoSource> source;
    const QString open_error = errorOf([&] { source = openVideoSource(cut); });
    if (!source) {
      QVERIFY2(open_error.contains(QString::fromStdString(cut.string())), qPrintable(open_error));
      QVERIFY(!opens);
      return;
    }
    QVERIFY(opens);
    const int total = name == "lossless.mkv" ? mkv_spec_.frames : mp4_spec_.frames;
    QVERIFY2(source->frameCount() < total, qPrintable(QString::number(source->frameCount())));
    QVERIFY(source->frameCount() > 0);
    int readable = 0;
    for (int i : {source->frameCount() - 1, 0, source->frameCount() / 2}) {
      cv::Mat image;
      const QString message = errorOf([&] { image = source->frame(i); });
      if (message.isEmpty()) {
        QCOMPARE(indexShown(image), i);
        ++readable;
      } else {
        QVERIFY2(message.contains(QString("frame %1").arg(i)), qPrintable(message));
      }
    }
    QVERIFY(readable >= 2);
    for (int i = 0; i < source->frameCount(); ++i) {
      errorOf([&] { source->frame(i); });
    }
    const QString beyond = errorOf([&] { source->frame(source->frameCount()); });
    QVERIFY2(beyond.contains(QString::fromStdString(cut.string())), qPrintable(beyond));
  }

  // Damaged bytes inside the coded frames (the index stays intact): every frame either decodes or throws
  // an Error naming file and frame, in any access order; nothing crashes.
  void damagedFrameData() {
    std::ifstream in(mp4_fast_, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::mt19937 random(3);
    for (int i = 0; i < 200; ++i) {
      bytes[bytes.size() / 3 + random() % (bytes.size() / 2)] = static_cast<char>(random());
    }
    const fs::path damaged = file("damaged.mp4");
    writeBytes(damaged, bytes);
    FfmpegVideoSource source(damaged);
    std::vector<int> order(source.frameCount());
    for (int i = 0; i < source.frameCount(); ++i) order[i] = i;
    for (int pass = 0; pass < 2; ++pass) {
      for (int i : order) {
        const QString message = errorOf([&] { source.frame(i); });
        if (!message.isEmpty()) {
          QVERIFY2(message.contains("damaged.mp4") && message.contains(QString("frame %1").arg(i)),
                   qPrintable(message));
        }
      }
      std::shuffle(order.begin(), order.end(), random);
    }
  }

  void garbageAndMissingFiles() {
    std::mt19937 random(7);
    std::string noise(20000, '\0');
    for (char& c : noise) c = static_cast<char>(random());
    writeBytes(file("noise.mp4"), noise);
    writeBytes(file("empty.mkv"), "");
    writeBytes(file("text.avi"), "RIFF but not really an AVI file");
    for (const char* name : {"noise.mp4", "empty.mkv", "text.avi", "missing.mp4"}) {
      const fs::path path = file(name);
      const QString message = errorOf([&] { openVideoSource(path); });
      QVERIFY2(message.contains(QString::fromStdString(path.string())), qPrintable(message));
    }
  }

  void frameFolderNaturalOrder() {
    const fs::path folder = file("folder");
    fs::create_directories(folder);
    const cv::Size size(24, 16);
    // Written out of order; natural order is frame_1, frame_2, frame_10, frame_11.
    const std::vector<std::string> names = {"frame_10.png", "frame_2.PNG", "frame_1.jpg", "frame_11.jpeg"};
    const std::vector<int> shows = {2, 1, 0, 3};
    for (size_t i = 0; i < names.size(); ++i)
      writeImageRgb(folder / names[i], indexedFrame(shows[i], size), 100);
    writeBytes(folder / "notes.txt", "not a frame");
    fs::create_directories(folder / "sub.png");
    auto source = openVideoSource(folder);
    QCOMPARE(source->frameCount(), 4);
    QCOMPARE(source->frameSize(), size);
    QCOMPARE(source->fps(), kDefaultFrameFolderFps);
    QCOMPARE(source->path(), folder.string());
    for (int i : {3, 0, 2, 1}) QCOMPARE(indexShown(source->frame(i)), i);
    QCOMPARE(maxDifference(source->frame(1), indexedFrame(1, size)), 0.0);  // PNG is lossless

    QVERIFY(naturalLess("00009.jpg", "00010.jpg"));
    QVERIFY(naturalLess("a2", "a10"));
    QVERIFY(!naturalLess("a10", "a2"));
    QVERIFY(naturalLess("1", "01"));
    QVERIFY(!naturalLess("x", "x"));
    QVERIFY(naturalLess("img99999999999999999999", "img100000000000000000000"));
  }

  void frameFolderErrors() {
    const fs::path folder = file("broken");
    fs::create_directories(folder);
    const cv::Size size(20, 12);
    for (int i = 0; i < 5; ++i) {
      char name[32];
      std::snprintf(name, sizeof(name), "%05d.jpg", i);
      writeImageRgb(folder / name, indexedFrame(i, i == 4 ? cv::Size(22, 12) : size));
    }
    writeBytes(folder / "00002.jpg", "\xFF\xD8\xFF\xE0 this is not a JPEG");
    auto source = openVideoSource(folder);
    QCOMPARE(source->frameCount(), 5);
    QCOMPARE(indexShown(source->frame(1)), 1);
    fs::remove(folder / "00003.jpg");  // deleted after opening
    const struct {
      int index;
      const char* file;
    } cases[] = {{2, "00002.jpg"}, {3, "00003.jpg"}, {4, "00004.jpg"}, {5, "broken"}, {-1, "broken"}};
    for (const auto& c : cases) {
      const QString message = errorOf([&] { source->frame(c.index); });
      QVERIFY2(message.contains(c.file) && message.contains(QString("frame %1").arg(c.index)),
               qPrintable(message));
    }
    QCOMPARE(indexShown(source->frame(0)), 0);

    QVERIFY(errorOf([&] { openVideoSource(file("empty_folder")); }).contains("empty_folder"));
    fs::create_directories(file("empty_folder"));
    QVERIFY(errorOf([&] { openVideoSource(file("empty_folder")); }).contains("no .jpg"));
    QVERIFY(!errorOf([] { openFrameList({}); }).isEmpty());
  }

  void frameList() {
    const fs::path folder = file("list");
    fs::create_directories(folder);
    std::vector<fs::path> files;
    for (int i : {0, 5, 10}) {
      files.push_back(folder / (std::to_string(i) + ".png"));
      writeImageRgb(files.back(), indexedFrame(i, cv::Size(8, 8)));
    }
    std::reverse(files.begin(), files.end());  // the list's order is kept as given
    auto source = openFrameList(files);
    QCOMPARE(source->frameCount(), 3);
    QCOMPARE(indexShown(source->frame(0)), 10);
    QCOMPARE(indexShown(source->frame(2)), 0);
    QCOMPARE(FrameFolderSource(files, 24.0).fps(), 24.0);
  }

  void frameCache() {
    auto owned = std::make_unique<FfmpegVideoSource>(mp4_);
    FfmpegVideoSource* source = owned.get();
    FrameCache cache(std::move(owned), 3);
    QCOMPARE(indexShown(cache.frame(0)), 0);
    QCOMPARE(indexShown(cache.frame(1)), 1);
    QCOMPARE(indexShown(cache.frame(2)), 2);
    QCOMPARE(cache.misses(), int64_t{3});
    QCOMPARE(indexShown(cache.frame(0)), 0);  // hit; 0 becomes most recent
    QCOMPARE(cache.hits(), int64_t{1});
    const int64_t decoded = source->decodedFrameCount();
    cache.frame(3);  // evicts 1, the least recently used
    QCOMPARE(cache.evictions(), int64_t{1});
    QCOMPARE(cache.size(), size_t{3});
    cache.frame(0);
    cache.frame(2);
    QCOMPARE(cache.hits(), int64_t{3});
    QCOMPARE(source->decodedFrameCount(), decoded + 1);
    QCOMPARE(indexShown(cache.frame(1)), 1);  // miss again
    QCOMPARE(cache.misses(), int64_t{5});
    QVERIFY(!errorOf([&] { cache.frame(99); }).isEmpty());
    QCOMPARE(cache.size(), size_t{3});
    cache.clear();
    QCOMPARE(cache.size(), size_t{0});
    cache.frame(1);
    QCOMPARE(cache.misses(), int64_t{7});
  }

  void realFootage_data() {
    QTest::addColumn<QString>("path");
    const QString opencv = "/usr/share/doc/opencv-doc/examples/data/";
    QTest::newRow("vtest.avi") << opencv + "vtest.avi";
    QTest::newRow("Megamind.avi") << opencv + "Megamind.avi";
    QTest::newRow("Megamind_bugy.avi") << opencv + "Megamind_bugy.avi";
    QTest::newRow("tree.avi") << opencv + "tree.avi";
    QTest::newRow("cockatoo.mp4") << "/usr/lib/python3/dist-packages/imageio/resources/images/cockatoo.mp4";
  }

  // Real files (from the opencv-doc and python3-imageio packages) when installed: the count equals a
  // plain full decode, and random access returns the frames the plain decode produced.
  void realFootage() {
    QFETCH(QString, path);
    if (!QFile::exists(path)) QSKIP("footage not installed");
    FfmpegVideoSource source(path.toStdString());
    const int count = source.frameCount();
    const std::vector<int> picks = {count - 1, 17, 0, 40, 1, count - 2, 41};
    std::map<int, cv::Mat> reference;
    QCOMPARE(count, referenceDecode(path.toStdString(), picks, &reference));
    for (int i : picks) {
      QVERIFY2(maxDifference(source.frame(i), reference.at(i)) <= 1, qPrintable(QString("frame %1").arg(i)));
    }
  }
};

QTEST_APPLESS_MAIN(TestVideoSource)
#include "test_video_source.moc"
