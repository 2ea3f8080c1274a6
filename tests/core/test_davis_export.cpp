// DAVIS export: one palette PNG per frame, overlapping tracks resolve by score, and the folder layout
// follows the dataset's frame names without ever leaving the output folder.
#include <QtTest>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/export/davis_export.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include "tests/support/error_message.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

CompressedRle rectMask(int h, int w, cv::Rect r) {
  cv::Mat m = cv::Mat::zeros(h, w, CV_8UC1);
  m(r).setTo(1);
  return compress(rleEncode(m.data, h, w, m.step));
}

}  // namespace

class TestDavisExport : public QObject {
  Q_OBJECT

 private slots:
  void exportsTracksPerFrameWithScoreOrder() {
    YtvisDataset dataset;
    dataset.videos.push_back({3, 8, 6, {"clipA/00000.jpg", "clipA/00005.jpg"}});
    YtvisTrack low, high;
    low.video_id = high.video_id = 3;
    low.id = 1;
    high.id = 2;
    low.score = 0.3;
    high.score = 0.9;
    low.segmentations = {rectMask(6, 8, {0, 0, 4, 4}), std::nullopt};
    high.segmentations = {rectMask(6, 8, {2, 2, 4, 4}), rectMask(6, 8, {1, 1, 2, 2})};
    std::vector<YtvisTrack> tracks = {low, high};
    QTemporaryDir dir;
    const fs::path out = dir.path().toStdString();
    DavisExporter exporter(dataset, tracks, out);
    exporter.run();
    QCOMPARE(exporter.framesWritten(), 2);
    const cv::Mat f0 = readPalettePng(out / "clipA" / "00000.png");
    const cv::Mat f1 = readPalettePng(out / "clipA" / "00005.png");
    QCOMPARE(int(f0.at<uint8_t>(0, 0)), 2);  // low score -> index 2
    QCOMPARE(int(f0.at<uint8_t>(3, 3)), 1);  // overlap: the higher score (index 1) wins
    QCOMPARE(int(f0.at<uint8_t>(5, 5)), 1);
    QCOMPARE(int(f0.at<uint8_t>(5, 7)), 0);
    QCOMPARE(cv::countNonZero(f1 == 1), 4);
    QCOMPARE(cv::countNonZero(f1 == 2), 0);
    const auto index = nlohmann::json::parse(readFile(out / "index.json"));
    QCOMPARE(index["clipA"]["objects"]["1"]["annotation_id"].get<int>(), 2);
    QCOMPARE(index["clipA"]["video_id"].get<int>(), 3);
    // With a score floor the weak track disappears.
    DavisExportOptions options;
    options.min_score = 0.5;
    DavisExporter filtered(dataset, tracks, out / "filtered", options);
    filtered.run();
    QCOMPARE(filtered.tracksWritten(), 1);
    QCOMPARE(cv::countNonZero(readPalettePng(out / "filtered" / "clipA" / "00000.png") == 2), 0);
  }

  void unsafeFolderNamesStayInsideTheOutput() {
    YtvisDataset dataset;
    dataset.videos.push_back({7, 4, 4, {"../escape.jpg", "../escape2.jpg"}});
    dataset.videos.push_back({8, 4, 4, {"same/0.jpg", "same/0.png"}});  // repeated stems
    dataset.videos.push_back({9, 4, 4, {"same/a.jpg", "same/b.jpg"}});  // repeated folder
    std::vector<YtvisTrack> none;
    QTemporaryDir dir;
    const fs::path out = fs::path(dir.path().toStdString()) / "out";
    DavisExporter exporter(dataset, none, out);
    exporter.run();
    QVERIFY(fs::exists(out / "7" / "escape.png"));
    QVERIFY(!fs::exists(fs::path(dir.path().toStdString()) / "escape.png"));
    QVERIFY(fs::exists(out / "same" / "00000.png") && fs::exists(out / "same" / "00001.png"));
    QVERIFY(fs::exists(out / "same_9" / "a.png"));
    QCOMPARE(exporter.framesWritten(), 6);
  }

  void trackOfWrongLengthIsNamed() {
    YtvisDataset dataset;
    dataset.videos.push_back({3, 8, 6, {"v/0.jpg", "v/1.jpg"}});
    YtvisTrack short_track;
    short_track.id = 11;
    short_track.video_id = 3;
    short_track.segmentations = {rectMask(6, 8, {0, 0, 2, 2})};
    std::vector<YtvisTrack> tracks = {short_track};
    QTemporaryDir dir;
    DavisExporter exporter(dataset, tracks, dir.path().toStdString());
    const QString message = autoqvis::testing::errorOf([&] { exporter.run(); });
    QVERIFY2(message.contains("video 3") && message.contains("annotation 11") && message.contains("1 per-frame"),
             qPrintable(message));
  }

  void stopsOnRequestWithoutPartialFiles() {
    YtvisDataset dataset;
    dataset.videos.push_back({1, 4, 4, {"v/0.jpg", "v/1.jpg"}});
    std::vector<YtvisTrack> none;
    QTemporaryDir dir;
    DavisExporter exporter(dataset, none, dir.path().toStdString());
    StopToken stop;
    stop.requestStop();
    exporter.setStopToken(stop);
    QVERIFY_THROWS_EXCEPTION(StoppedError, exporter.run());
    QVERIFY(!fs::exists(fs::path(dir.path().toStdString()) / "index.json"));
  }
};

QTEST_APPLESS_MAIN(TestDavisExport)
#include "test_davis_export.moc"
