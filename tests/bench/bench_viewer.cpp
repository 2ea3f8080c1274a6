// Benchmark of the video viewer's playback path with overlaid masks: a 1280x720 video (encoded on the
// fly, H.264 when the FFmpeg build has libx264, else MPEG-4) with 10 moving elliptical tracks, drawn by
// the real widgets offscreen. It prints frames per second for
//   worker   decoding a frame and rendering its 10 masks into a FramePacket (FrameLoader's thread),
//   paint    painting a ready packet (frame, tints, outlines, labels) into a window-sized image,
//   pipeline both together as sequential playback does (worker ahead of the playhead, GUI painting),
//   playback PlaybackController at the video's fps (and at 60 fps) through FrameLoader: the rate
//            achieved, frames waited for, and the longest gap of a 5 ms GUI-thread heartbeat (does the
//            UI stay live?).
//
//   bench_viewer [--frames N] [--view WxH] [video_file]
extern "C" {
#include <libavutil/log.h>
}

#include <unistd.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QTimer>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <opencv2/imgproc.hpp>
#include <string>
#include <vector>

#include "core/video/video_source.h"
#include "tests/support/synthetic_video.h"
#include "widgets/viewer/frame_loader.h"
#include "widgets/viewer/mask_renderer.h"
#include "widgets/viewer/playback_controller.h"
#include "widgets/common/track_colors.h"
#include "widgets/viewer/video_view.h"

namespace fs = std::filesystem;
using namespace autoqvis;

namespace {

constexpr int kTracks = 10;

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Ten ellipses of 2-8 % of the frame each, moving and bouncing, one mask per track and frame.
std::vector<YtvisTrack> makeTracks(cv::Size size, int frames) {
  std::vector<YtvisTrack> tracks(kTracks);
  for (int t = 0; t < kTracks; ++t) {
    tracks[t].id = t + 1;
    tracks[t].score = 0.5 + 0.04 * t;
    const double ax = size.width * (0.05 + 0.01 * t), ay = size.height * (0.08 + 0.012 * t);
    double cx = size.width * (0.1 + 0.08 * t), cy = size.height * (0.3 + 0.04 * (t % 5));
    double vx = 3.0 + t % 4, vy = 2.0 - t % 3;
    std::vector<std::optional<double>> quality;
    for (int f = 0; f < frames; ++f) {
      cv::Mat mask = cv::Mat::zeros(size, CV_8U);
      cv::ellipse(mask, cv::Point2d(cx, cy), cv::Size2d(ax, ay), 10.0 * t + f, 0, 360, 1, cv::FILLED);
      tracks[t].segmentations.push_back(compress(rleEncode(mask.data, mask.rows, mask.cols)));
      quality.push_back(0.3 + 0.06 * t);
      cx += vx, cy += vy;
      if (cx < ax || cx > size.width - ax) vx = -vx;
      if (cy < ay || cy > size.height - ay) vy = -vy;
    }
    tracks[t].frame_values["quality"] = quality;
    tracks[t].computeAreasAndBoxes();
  }
  return tracks;
}

struct Setup {
  fs::path video;
  std::vector<YtvisTrack> tracks;
  std::vector<const YtvisTrack*> pointers;
  std::vector<QColor> colors;
  int frames = 0;
  cv::Size size;
  double fps = 0;
};

widgets::FrameLoader::Video loaderVideo(const Setup& setup) {
  widgets::FrameLoader::Video video;
  const fs::path path = setup.video;
  video.open = [path] { return openVideoSource(path); };
  video.tracks = setup.pointers;
  video.colors = setup.colors;
  return video;
}

void benchWorker(const Setup& setup) {
  std::unique_ptr<VideoSource> source = openVideoSource(setup.video);
  const QSize size(setup.size.width, setup.size.height);
  double decode_s = 0, masks_s = 0;
  for (int f = 0; f < setup.frames; ++f) {
    auto start = std::chrono::steady_clock::now();
    const QImage image = widgets::toPaintableImage(source->frame(f));
    decode_s += secondsSince(start);
    start = std::chrono::steady_clock::now();
    const auto overlays = widgets::renderMaskOverlays(setup.pointers, setup.colors, f, size);
    masks_s += secondsSince(start);
    if (overlays.size() != kTracks || image.isNull())
      std::fprintf(stderr, "frame %d: unexpected packet\n", f);
  }
  std::printf(
      "worker    decode+convert %7.1f frames/s (%5.2f ms) | 10 masks %7.1f frames/s (%5.2f ms) | "
      "both %6.1f frames/s\n",
      setup.frames / decode_s, 1e3 * decode_s / setup.frames, setup.frames / masks_s,
      1e3 * masks_s / setup.frames, setup.frames / (decode_s + masks_s));
}

// Waits (processing events) until the loader has `frame`; returns the packet.
widgets::FramePacketPtr waitFor(widgets::FrameLoader& loader, int frame) {
  while (!loader.packet(frame)) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
  return loader.packet(frame);
}

void prepareView(widgets::VideoView& view, const Setup& setup, QSize view_size) {
  view.resize(view_size);
  view.setFrameSize(QSize(setup.size.width, setup.size.height));
  QVector<QColor> colors(setup.colors.begin(), setup.colors.end());
  view.setTrackColors(colors);
  view.setSelectedTrack(3);
  view.setLabelFunction([](int row, int frame) {
    return QString("#%1  s %2  IoU %3  Q %4")
        .arg(row + 1)
        .arg(0.5 + 0.04 * row, 0, 'f', 2)
        .arg(0.8, 0, 'f', 2)
        .arg(0.3 + 0.06 * row, 0, 'f', 2);
  });
}

void benchPaintAndPipeline(const Setup& setup, QSize view_size) {
  widgets::VideoView view;
  prepareView(view, setup, view_size);
  QImage target(view_size, QImage::Format_ARGB32_Premultiplied);

  widgets::FrameLoader loader;
  loader.setVideo(loaderVideo(setup));
  loader.setPlayhead(0);
  // Pipeline: sequential playback as fast as it goes; the worker decodes ahead while the GUI paints.
  const auto start = std::chrono::steady_clock::now();
  std::vector<widgets::FramePacketPtr> kept;
  for (int f = 0; f < setup.frames; ++f) {
    loader.setPlayhead(f);
    const widgets::FramePacketPtr packet = waitFor(loader, f);
    view.setPacket(packet);
    view.render(&target);
    if (f < 30) kept.push_back(packet);
  }
  const double pipeline_s = secondsSince(start);

  // Paint only, over packets that are ready: the frame alone, with masks, with masks and labels.
  const auto paint = [&](bool masks, bool labels) {
    view.setShowMasks(masks);
    view.setShowLabels(labels);
    const int repeats = 4;
    const auto paint_start = std::chrono::steady_clock::now();
    for (int r = 0; r < repeats; ++r) {
      for (const auto& packet : kept) {
        view.setPacket(packet);
        view.render(&target);
      }
    }
    return secondsSince(paint_start) / (repeats * static_cast<double>(kept.size()));
  };
  const double frame_only = paint(false, false);
  const double with_masks = paint(true, false);
  const double with_labels = paint(true, true);
  std::printf(
      "paint     %dx%d view, zoom %.2f: frame %5.2f ms | + 10 masks and outlines %5.2f ms | + labels "
      "%5.2f ms = %6.1f frames/s\n",
      view_size.width(), view_size.height(), view.zoom(), 1e3 * frame_only, 1e3 * with_masks,
      1e3 * with_labels, 1.0 / with_labels);
  std::printf("pipeline  worker + paint, sequential: %7.1f frames/s over %d frames\n",
              setup.frames / pipeline_s, setup.frames);
}

void benchPlayback(const Setup& setup, QSize view_size, double fps) {
  widgets::VideoView view;
  prepareView(view, setup, view_size);
  view.show();
  widgets::FrameLoader loader;
  widgets::PlaybackController playback;
  playback.setFrameCount(setup.frames);
  playback.setFps(fps);
  playback.setReadyCheck([&loader](int frame) { return loader.packet(frame) != nullptr; });
  int waits = 0;
  QObject::connect(&playback, &widgets::PlaybackController::frameChanged, [&](int frame) {
    loader.setPlayhead(frame);
    if (auto packet = loader.packet(frame)) {
      view.setPacket(packet);
      view.repaint();  // paint now, as the window would on this event-loop turn
    } else {
      ++waits;
    }
  });
  QObject::connect(&loader, &widgets::FrameLoader::packetReady, [&](int frame) {
    if (frame == playback.frame()) {
      view.setPacket(loader.packet(frame));
      view.repaint();
    }
    playback.notifyReady(frame);
  });
  loader.setVideo(loaderVideo(setup));
  loader.setPlayhead(0);
  waitFor(loader, 0);
  // Let the worker fill its window before starting, as it does while the user looks at the first frame.
  QElapsedTimer settle;
  settle.start();
  while (settle.elapsed() < 500) QApplication::processEvents(QEventLoop::AllEvents, 20);

  QElapsedTimer heartbeat_clock;
  qint64 longest_gap = 0;
  QTimer heartbeat;
  heartbeat.setTimerType(Qt::PreciseTimer);
  QObject::connect(&heartbeat, &QTimer::timeout, [&] {
    if (heartbeat_clock.isValid())
      longest_gap = std::max(longest_gap, heartbeat_clock.restart());
    else
      heartbeat_clock.start();
  });
  heartbeat.start(5);
  const auto start = std::chrono::steady_clock::now();
  playback.play();
  while (playback.isPlaying()) QApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
  const double elapsed = secondsSince(start);
  std::printf(
      "playback  at %.2f fps: %6.2f frames/s achieved over %d frames, %d frames waited for, "
      "longest GUI gap %lld ms\n",
      fps, (setup.frames - 1) / elapsed, setup.frames, waits, static_cast<long long>(longest_gap));
}

Setup makeSetup(const fs::path& video_arg, int frames, const fs::path& dir) {
  Setup setup;
  if (!video_arg.empty()) {
    setup.video = video_arg;
  } else {
    testing::SyntheticVideoSpec spec;
    spec.size = {1280, 720};
    spec.frames = frames;
    spec.frame = testing::texturedFrame;
    spec.bit_rate = 4000000;
    spec.encoder = "libx264";
    spec.gop = 60;
    spec.max_b_frames = 3;
    setup.video = dir / "bench_720p.mp4";
    if (!testing::writeSyntheticVideo(setup.video, spec)) {
      spec.encoder = "mpeg4";
      spec.gop = 12;
      spec.max_b_frames = 2;
      if (!testing::writeSyntheticVideo(setup.video, spec)) throw std::runtime_error("no mpeg4 encoder");
    }
    std::printf("video     %s, 1280x720, %d frames, %s\n", setup.video.c_str(), frames, spec.encoder.c_str());
  }
  const std::unique_ptr<VideoSource> source = openVideoSource(setup.video);
  setup.frames = std::min(frames, source->frameCount());
  setup.size = source->frameSize();
  setup.fps = source->fps();
  setup.tracks = makeTracks(setup.size, setup.frames);
  for (const YtvisTrack& track : setup.tracks) {
    setup.pointers.push_back(&track);
    const widgets::TrackRgb rgb = widgets::trackColor(track.id);
    setup.colors.emplace_back(rgb.r, rgb.g, rgb.b);
  }
  return setup;
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  int frames = 150;
  QSize view_size(1100, 620);  // the video area of a 1600x1000 main window
  fs::path video;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--frames" && i + 1 < argc) {
      frames = std::max(2, std::atoi(argv[++i]));
    } else if (arg == "--view" && i + 1 < argc) {
      int w = 0, h = 0;
      if (std::sscanf(argv[++i], "%dx%d", &w, &h) == 2) view_size = QSize(w, h);
    } else {
      video = arg;
    }
  }
  av_log_set_level(AV_LOG_ERROR);
  const fs::path dir = fs::temp_directory_path() / ("autoqvis-bench-viewer-" + std::to_string(::getpid()));
  try {
    fs::create_directories(dir);
    const Setup setup = makeSetup(video, frames, dir);
    std::printf("tracks    %d masks per frame, %dx%d frames, %d hardware threads\n", kTracks,
                setup.size.width, setup.size.height, static_cast<int>(std::thread::hardware_concurrency()));
    benchWorker(setup);
    benchPaintAndPipeline(setup, view_size);
    benchPlayback(setup, view_size, setup.fps);
    benchPlayback(setup, view_size, 60.0);  // headroom: twice the rate of the test video
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_viewer: %s\n", e.what());
    fs::remove_all(dir);
    return 1;
  }
  fs::remove_all(dir);
  return 0;
}
