// Frame stepping, seeking and playback of the viewer: the playhead (PlaybackController) and the
// background frame loader that decodes frames and renders their masks around it.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <random>

#include "core/util/log.h"
#include "tests/widgets/viewer_fixture.h"
#include "widgets/viewer/frame_loader.h"
#include "widgets/viewer/mask_renderer.h"
#include "widgets/viewer/playback_controller.h"
#include "widgets/document/viewer_document.h"

using namespace autoqvis;
using widgets::FrameLoader;
using widgets::PlaybackController;

namespace {

FrameLoader::Video loaderVideo(const std::shared_ptr<const widgets::ViewerDocument>& document, int index) {
  FrameLoader::Video video;
  video.open = [document, index] { return document->openFrames(index); };
  video.tracks = document->videoTracks(index);
  video.colors = {QColor(255, 0, 0), QColor(0, 0, 255)};
  video.keep_alive = document;
  return video;
}

}  // namespace

class TestPlayback : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    setStderrLogging(false);
    QVERIFY(dir_.isValid());
    fixture_ = testing::writeViewerFixture(dir_.path().toStdString());
    document_ = testing::openViewerFixture(fixture_);
  }

  void stepsAndSeeksAreClamped() {
    PlaybackController playback;
    QSignalSpy changes(&playback, &PlaybackController::frameChanged);
    playback.seek(5);  // nothing loaded: ignored
    QCOMPARE(playback.frame(), 0);
    playback.setFrameCount(40);
    playback.step(1);
    QCOMPARE(playback.frame(), 1);
    playback.step(10);
    QCOMPARE(playback.frame(), 11);
    playback.step(-10);
    QCOMPARE(playback.frame(), 1);
    playback.step(-10);
    QCOMPARE(playback.frame(), 0);
    playback.last();
    QCOMPARE(playback.frame(), 39);
    playback.step(10);
    QCOMPARE(playback.frame(), 39);
    playback.first();
    QCOMPARE(playback.frame(), 0);
    playback.seek(25);
    playback.seek(25);  // no change, no signal
    QCOMPARE(changes.size(), 7);
    QCOMPARE(changes.back().front().toInt(), 25);
    // A shorter video pulls the playhead in.
    playback.setFrameCount(10);
    QCOMPARE(playback.frame(), 9);
  }

  void playbackRunsAtTheFrameRateAndStopsAtTheEnd() {
    PlaybackController playback;
    playback.setFrameCount(8);
    playback.setFps(100);
    QSignalSpy playing(&playback, &PlaybackController::playingChanged);
    playback.play();
    QVERIFY(playback.isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(!playback.isPlaying(), 2000);
    QCOMPARE(playback.frame(), 7);
    QCOMPARE(playing.size(), 2);
    // Play at the last frame starts over.
    playback.play();
    QCOMPARE(playback.frame(), 0);
    playback.pause();
  }

  void playbackWaitsForFramesThatAreNotReady() {
    PlaybackController playback;
    playback.setFrameCount(20);
    playback.setFps(200);
    int ready_up_to = 3;
    playback.setReadyCheck([&](int frame) { return frame <= ready_up_to; });
    playback.play();
    QTRY_COMPARE_WITH_TIMEOUT(playback.frame(), 3, 2000);
    QTest::qWait(50);  // ten periods: still waiting, no frame skipped
    QCOMPARE(playback.frame(), 3);
    QVERIFY(playback.isPlaying());
    ready_up_to = 4;
    playback.notifyReady(4);
    QCOMPARE(playback.frame(), 4);  // at once, not at the next tick
    ready_up_to = 100;
    QTRY_VERIFY_WITH_TIMEOUT(!playback.isPlaying(), 2000);
    QCOMPARE(playback.frame(), 19);
  }

  void loaderDeliversFramesWithTheirMasksAroundThePlayhead() {
    FrameLoader loader;
    loader.setWindow(2, 4);
    QSignalSpy opened(&loader, &FrameLoader::opened);
    QSignalSpy ready(&loader, &FrameLoader::packetReady);
    loader.setVideo(loaderVideo(document_, 0));
    QVERIFY(opened.wait(5000));
    QCOMPARE(opened.front().at(0).toInt(), testing::ViewerFixture::kFrames);
    QCOMPARE(opened.front().at(2).toSize(),
             QSize(testing::ViewerFixture::kWidth, testing::ViewerFixture::kHeight));

    loader.setPlayhead(5);
    QTRY_VERIFY_WITH_TIMEOUT(loader.packet(5) != nullptr, 5000);
    const widgets::FramePacketPtr packet = loader.packet(5);
    QCOMPARE(packet->index, 5);
    QVERIFY(packet->error.isEmpty());
    QCOMPARE(packet->image.pixelColor(0, 0), QColor(50, 100, 200));  // the frame's own colour: RGB order kept
    // Track 2 has no mask on frame 5: only track 1's overlay, at its rectangle.
    QCOMPARE(packet->masks.size(), size_t{1});
    const cv::Rect box = testing::fixtureBox(0, 5);
    QCOMPARE(packet->masks[0].track, 0);
    QCOMPARE(packet->masks[0].box, QRect(box.x, box.y, box.width, box.height));
    QCOMPARE(qRed(packet->masks[0].tint.pixel(0, 0)), qRed(qPremultiply(qRgba(255, 0, 0, 115))));
    QVERIFY(!packet->masks[0].contour.isEmpty());

    // Frames ahead arrive without being asked for; frames far away are released.
    QTRY_VERIFY_WITH_TIMEOUT(loader.packet(9) != nullptr, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(loader.packet(3) != nullptr, 5000);
    QCOMPARE(loader.packet(2), nullptr);
    loader.setPlayhead(0);
    QCOMPARE(loader.packet(9), nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(loader.packet(0) != nullptr, 5000);
    QCOMPARE(loader.packet(0)->masks.size(), size_t{2});
    QVERIFY(loader.cachedCount() <= 2 + 4 + 1);
  }

  void loaderReportsMissingFramesWithoutStopping() {
    QTemporaryDir dir;
    const testing::ViewerFixture fixture = testing::writeViewerFixture(dir.path().toStdString());
    std::filesystem::remove(fixture.frames / "clip_a" / "0003.png");
    widgets::OpenRequest request;
    request.dataset = fixture.dataset;
    const auto document = widgets::loadViewerDocument(request);
    FrameLoader loader;
    QSignalSpy opened(&loader, &FrameLoader::opened);
    loader.setVideo(loaderVideo(document, 0));
    QVERIFY(opened.wait(5000));
    loader.setPlayhead(3);
    QTRY_VERIFY_WITH_TIMEOUT(loader.packet(3) != nullptr, 5000);
    QVERIFY(loader.packet(3)->image.isNull());
    QVERIFY2(loader.packet(3)->error.contains("0003.png"), qPrintable(loader.packet(3)->error));
    QCOMPARE(loader.packet(3)->masks.size(), size_t{2});  // the masks still show
    QTRY_VERIFY_WITH_TIMEOUT(loader.packet(4) != nullptr, 5000);
    QVERIFY(!loader.packet(4)->image.isNull());

    // A video whose first frame is gone fails to open, with the file named.
    std::filesystem::remove(fixture.frames / "clip_b" / "0000.png");
    QSignalSpy failed(&loader, &FrameLoader::openFailed);
    loader.setVideo(loaderVideo(document, 1));
    QVERIFY(failed.wait(5000));
    QVERIFY2(failed.front().front().toString().contains("0000.png"),
             qPrintable(failed.front().front().toString()));
  }

  void regionDecodingMatchesFullDecoding() {
    std::mt19937 rng(3);
    for (int trial = 0; trial < 20; ++trial) {
      const int h = 17 + trial, w = 23 + 2 * trial;
      cv::Mat mask(h, w, CV_8U);
      for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x)
          mask.at<uint8_t>(y, x) = (rng() % 5 == 0) || (x > w / 3 && x < w / 2) ? 1 : 0;
      }
      const Rle rle = rleEncode(mask.data, h, w);
      const cv::Rect roi(static_cast<int>(rng() % (w / 2)), static_cast<int>(rng() % (h / 2)), w / 2, h / 2);
      const cv::Mat region = widgets::decodeRleRegion(rle, roi);
      QCOMPARE(cv::countNonZero(region != mask(roi)), 0);
    }
  }

 private:
  QTemporaryDir dir_;
  testing::ViewerFixture fixture_;
  std::shared_ptr<const widgets::ViewerDocument> document_;
};

QTEST_MAIN(TestPlayback)
#include "test_playback.moc"
