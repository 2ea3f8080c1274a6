// Opening what the viewer shows: datasets with their frames, results and pseudo-labels on top, plain
// video files with the results that name them, and the errors for bad input, which must name the
// file and what is wrong.
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

#include "core/util/log.h"
#include "tests/support/error_message.h"
#include "tests/support/synthetic_video.h"
#include "tests/widgets/viewer_fixture.h"
#include "widgets/document/viewer_document.h"

using namespace autoqvis;
using testing::errorOf;
using widgets::OpenRequest;
namespace fs = std::filesystem;

namespace {

void writeText(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

QString openError(const OpenRequest& request) {
  return errorOf([&] { widgets::loadViewerDocument(request); });
}

}  // namespace

class TestViewerDocument : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    setStderrLogging(false);
    QVERIFY(dir_.isValid());
    root_ = dir_.path().toStdString();
    fixture_ = testing::writeViewerFixture(root_);
  }

  void datasetShowsItsAnnotationsWithFramesBesideIt() {
    OpenRequest request;
    request.dataset = fixture_.dataset;
    const auto document = widgets::loadViewerDocument(request);
    QCOMPARE(document->request.frames_root, fixture_.frames);  // sibling JPEGImages by default
    QCOMPARE(document->origin, widgets::TrackOrigin::GroundTruth);
    QCOMPARE(document->videos.size(), size_t{2});
    QCOMPARE(document->videos[0].name, std::string("clip_a"));
    QCOMPARE(document->videos[0].tracks.size(), size_t{2});
    QCOMPARE(document->track_keys, (std::vector<int64_t>{1, 2}));
    QCOMPARE(document->findVideo("clip_b"), 1);
    QCOMPARE(document->findVideo("2"), 1);
    QCOMPARE(document->findVideo("nope"), -1);
    QCOMPARE(document->openFrames(0)->frameCount(), testing::ViewerFixture::kFrames);
    QCOMPARE(document->title(), std::string("videos.json"));
  }

  void cocoImageSetOpensAsOneFrameVideos() {
    // The stills with their pseudo-masks (the synthetic source), as the toy world writes them.
    const fs::path set = root_ / "stills";
    fs::create_directories(set / "images");
    const int w = testing::ViewerFixture::kWidth, h = testing::ViewerFixture::kHeight;
    CocoDataset coco;
    for (int64_t id : {1, 2}) {
      const std::string name = "still_" + std::to_string(id) + ".png";
      writeImageRgb(set / "images" / name, cv::Mat(h, w, CV_8UC3, cv::Scalar(0, 100, 200)));
      coco.images.push_back({id, name, w, h});
    }
    CocoAnnotation mask;
    mask.id = 5;
    mask.image_id = 2;
    mask.segmentation = testing::fixtureMask(0, 0);
    mask.area = 120;
    mask.bbox = {4, 6, 12, 10};
    mask.score = 0.8;
    coco.annotations.push_back(mask);
    saveCocoDataset(coco, set / "pseudo_masks.json");
    OpenRequest request;
    request.dataset = set / "pseudo_masks.json";
    const auto document = widgets::loadViewerDocument(request);
    QCOMPARE(document->request.frames_root, set / "images");
    QCOMPARE(document->videos.size(), size_t{2});
    QCOMPARE(document->videos[1].name, std::string("still_2.png"));
    QCOMPARE(document->videos[1].frames, 1);
    QCOMPARE(document->videos[1].tracks.size(), size_t{1});
    QCOMPARE(document->track_keys, std::vector<int64_t>{5});
    QCOMPARE(*document->tracks[0].frame_values.at("score")[0], 0.8);
    QCOMPARE(document->openFrames(1)->frameCount(), 1);
    // A file that is neither keeps the YouTube-VIS reader's message.
    writeText(set / "neither.json", "{\"videos\": 3}");
    request.dataset = set / "neither.json";
    QVERIFY(openError(request).contains("neither.json"));
  }

  void resultsAndPseudoLabelsReplaceTheAnnotations() {
    OpenRequest request;
    request.dataset = fixture_.dataset;
    request.results = fixture_.results;
    const auto document = widgets::loadViewerDocument(request);
    QCOMPARE(document->origin, widgets::TrackOrigin::Results);
    QCOMPARE(document->tracks.size(), size_t{2});
    QVERIFY(document->tracks[0].score.has_value());
    QCOMPARE(document->track_keys, (std::vector<int64_t>{1, 2}));  // position in the file
    QCOMPARE(document->frame_value_names, (std::vector<std::string>{"pred_iou", "quality"}));
    QCOMPARE(document->title(), std::string("videos.json + results.json"));

    // Pseudo-labels written as a whole dataset (an object with annotations) are accepted too.
    request.results = fixture_.dataset;
    const auto labels = widgets::loadViewerDocument(request);
    QCOMPARE(labels->tracks.size(), size_t{2});
    QCOMPARE(labels->origin, widgets::TrackOrigin::Results);
  }

  void explicitFramesFolderIsUsed() {
    const fs::path moved = root_ / "elsewhere";
    fs::create_directories(moved);
    fs::copy(fixture_.frames, moved, fs::copy_options::recursive);
    OpenRequest request;
    request.dataset = fixture_.dataset;
    request.frames_root = moved;
    const auto document = widgets::loadViewerDocument(request);
    QCOMPARE(document->request.frames_root, moved);
    QCOMPARE(QString::fromStdString(document->openFrames(0)->path()),
             QString::fromStdString((moved / "clip_a").string()));
  }

  void badJsonNamesTheFile() {
    const fs::path bad = root_ / "broken.json";
    writeText(bad, "{\"videos\": [ {\"id\": 1, ");
    OpenRequest request;
    request.dataset = bad;
    const QString error = openError(request);
    QVERIFY2(error.contains("broken.json"), qPrintable(error));

    request.dataset = root_ / "missing.json";
    QVERIFY2(openError(request).contains("missing.json"), qPrintable(openError(request)));
    QVERIFY(openError(request).contains("not found"));

    request.dataset = fixture_.dataset;
    request.results = bad;
    QVERIFY2(openError(request).contains("broken.json"), qPrintable(openError(request)));
  }

  void resultsForUnknownVideosAreRejected() {
    const fs::path results = root_ / "other_videos.json";
    writeText(results, R"([{"video_id": 99, "score": 0.5, "segmentations": [null]}])");
    OpenRequest request;
    request.dataset = fixture_.dataset;
    request.results = results;
    const QString error = openError(request);
    QVERIFY2(error.contains("other_videos.json") && error.contains("99"), qPrintable(error));
  }

  void missingFramesAreReported() {
    OpenRequest request;
    request.dataset = fixture_.dataset;
    request.frames_root = root_ / "no_such_folder";
    QString error = openError(request);
    QVERIFY2(error.contains("no_such_folder") && error.contains("frames folder"), qPrintable(error));

    const fs::path empty = root_ / "empty_frames";
    fs::create_directories(empty);
    request.frames_root = empty;
    error = openError(request);
    QVERIFY2(error.contains("no frames found") && error.contains("0000.png"), qPrintable(error));
  }

  void plainVideoFileTakesTheResultsThatNameIt() {
    const fs::path video = root_ / "clip.avi";
    testing::SyntheticVideoSpec spec;
    spec.size = {testing::ViewerFixture::kWidth, testing::ViewerFixture::kHeight};
    spec.frames = testing::ViewerFixture::kFrames;
    if (!testing::writeSyntheticVideo(video, spec)) QSKIP("this FFmpeg has no mpeg4 encoder");
    // The fixture's results name video 1; add one result for another video.
    std::vector<YtvisTrack> results = loadYtvisResults(fixture_.results);
    results.push_back(results.front());
    results.back().video_id = 7;
    const fs::path results_path = root_ / "video_results.json";
    saveYtvisResults(results, results_path);

    OpenRequest request;
    request.video_file = video;
    request.results = results_path;
    auto document = widgets::loadViewerDocument(request);
    QCOMPARE(document->videos.size(), size_t{1});
    QCOMPARE(document->videos[0].id, int64_t{1});  // the first video named
    QCOMPARE(document->videos[0].name, std::string("clip.avi"));
    QCOMPARE(document->videos[0].frames, testing::ViewerFixture::kFrames);
    QCOMPARE(document->tracks.size(), size_t{2});
    QVERIFY(document->fps > 0);
    QCOMPARE(document->openFrames(0)->frameCount(), testing::ViewerFixture::kFrames);

    request.video_id = 7;
    document = widgets::loadViewerDocument(request);
    QCOMPARE(document->tracks.size(), size_t{1});
    QCOMPARE(document->track_keys, (std::vector<int64_t>{3}));

    request.video_id = 8;
    QVERIFY2(openError(request).contains("video_results.json"), qPrintable(openError(request)));

    // Without results the video opens bare; a file that is no video names itself.
    request = OpenRequest();
    request.video_file = video;
    QCOMPARE(widgets::loadViewerDocument(request)->origin, widgets::TrackOrigin::None);
    request.video_file = fixture_.results;
    QVERIFY2(openError(request).contains("results.json"), qPrintable(openError(request)));
  }

 private:
  QTemporaryDir dir_;
  fs::path root_;
  testing::ViewerFixture fixture_;
};

QTEST_MAIN(TestViewerDocument)
#include "test_viewer_document.moc"
