// A new project from a person's choices: every input is checked before anything is created and each
// problem names its file; the configuration names the data relative to their common folder; a checked
// project is created, and nothing is created when an input is wrong. A folder of video files is checked
// through FFmpeg and imported as YouTube-VIS frames at 6 fps.
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "core/dataset/ytvis_json.h"
#include "core/selftrain/project_setup.h"
#include "core/selftrain/video_folder_import.h"
#include "core/toyworld/toy_world_writer.h"
#include "core/util/error.h"
#include "core/video/image_io.h"
#include "tests/support/synthetic_video.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

QString problemText(const std::vector<InputProblem>& problems) {
  QStringList lines;
  for (const InputProblem& p : problems) lines << QString::fromStdString(p.input + " | " + p.text());
  return lines.join("\n");
}

bool mentions(const std::vector<InputProblem>& problems, const std::string& input, const std::string& text) {
  for (const InputProblem& p : problems) {
    if (p.input == input && p.text().find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

class TestProjectSetup : public QObject {
  Q_OBJECT

  fs::path world() const { return fs::path(dir_.path().toStdString()) / "world"; }
  ProjectInputs good(const std::string& name) const {
    ProjectInputs in;
    in.workspace = fs::path(dir_.path().toStdString()) / name;
    in.synthetic_images = world() / "synthetic/images";
    in.synthetic_annotations = world() / "synthetic/pseudo_masks.json";
    in.unlabeled_frames = world() / "unlabeled/JPEGImages";
    in.unlabeled_videos = world() / "unlabeled/videos.json";
    in.val_frames = world() / "val/JPEGImages";
    in.val_videos = world() / "val/videos.json";
    in.device = "cpu";
    return in;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    ToyWorldOptions options;
    options.num_images = 3;
    options.num_unlabeled_videos = 2;
    options.num_val_videos = 1;
    options.video_frames = 3;
    ToyWorldWriter(options, world()).run();
  }

  void goodInputsMakeARelativeConfig() {
    const ProjectInputs in = good("p1");
    QVERIFY2(checkProjectInputs(in).empty(), qPrintable(problemText(checkProjectInputs(in))));
    const Config config = projectConfig(in);
    QCOMPARE(fs::path(config.data.root), world());
    QCOMPARE(config.data.synthetic_annotations, std::string("synthetic/pseudo_masks.json"));
    QCOMPARE(config.data.unlabeled_frames, std::string("unlabeled/JPEGImages"));
    QCOMPARE(config.data.val_videos, std::string("val/videos.json"));
    QVERIFY(config.data.initial_weights.empty());
    QCOMPARE(config.runtime.device, std::string("cpu"));
    const Workspace created = createProject(in);
    QVERIFY(Workspace::exists(in.workspace));
    QCOMPARE(created.config().data.unlabeled_videos, std::string("unlabeled/videos.json"));
    // Twice is refused: the project exists.
    QVERIFY(mentions(checkProjectInputs(in), "workspace", "already exists"));
  }

  void withoutValidationTheValPathsAreEmpty() {
    ProjectInputs in = good("p2");
    in.val_frames.clear();
    in.val_videos.clear();
    QVERIFY(checkProjectInputs(in).empty());
    QVERIFY(projectConfig(in).data.val_videos.empty());
  }

  void eachProblemNamesItsFile() {
    ProjectInputs in = good("p3");
    in.synthetic_annotations = world() / "synthetic/missing.json";
    in.unlabeled_frames = world() / "val/JPEGImages";  // the wrong videos' frames
    in.val_videos = world() / "unlabeled/videos.json";  // no annotations
    in.initial_weights = fs::path(dir_.path().toStdString()) / "weights.txt";
    std::ofstream(in.initial_weights) << "not weights";
    const auto problems = checkProjectInputs(in);
    const QString text = problemText(problems);
    QVERIFY2(mentions(problems, "synthetic_annotations", "synthetic/missing.json: no such file"), qPrintable(text));
    QVERIFY2(mentions(problems, "unlabeled_frames", "missing ("), qPrintable(text));
    QVERIFY2(mentions(problems, "unlabeled_frames", "val/JPEGImages/toy_0001/"), qPrintable(text));
    QVERIFY2(mentions(problems, "val_videos", "unlabeled/videos.json: 'annotations': has no annotations"), qPrintable(text));
    QVERIFY2(mentions(problems, "initial_weights", "weights.txt: must be a detectron2 .pth"), qPrintable(text));
    // Nothing was created.
    QVERIFY(!fs::exists(in.workspace));
    try {
      createProject(in);
      QFAIL("created a project from bad inputs");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("missing.json"), e.what());
    }
    QVERIFY(!fs::exists(in.workspace));
  }

  void malformedJsonAndWeightsAreNamed() {
    const fs::path bad_json = fs::path(dir_.path().toStdString()) / "bad.json";
    std::ofstream(bad_json) << "{\"videos\": [{\"id\": \"x\"}]}";
    const fs::path bad_pth = fs::path(dir_.path().toStdString()) / "bad.pth";
    std::ofstream(bad_pth) << "not a checkpoint";
    ProjectInputs in = good("p4");
    in.unlabeled_videos = bad_json;
    in.initial_weights = bad_pth;
    const auto problems = checkProjectInputs(in);
    QVERIFY2(mentions(problems, "unlabeled_videos", "bad.json"), qPrintable(problemText(problems)));
    QVERIFY2(mentions(problems, "initial_weights", "bad.pth"), qPrintable(problemText(problems)));
  }

  void aNonEmptyFolderIsRefused() {
    ProjectInputs in = good("p5");
    fs::create_directories(in.workspace);
    std::ofstream(in.workspace / "notes.txt") << "mine";
    QVERIFY(mentions(checkProjectInputs(in), "workspace", "not empty"));
    in.workspace.clear();
    QVERIFY(mentions(checkProjectInputs(in), "workspace", "choose a folder"));
  }

  void aFolderOfVideoFilesIsCheckedAndImported() {
    const fs::path clips = fs::path(dir_.path().toStdString()) / "clips";
    fs::create_directories(clips);
    autoqvis::testing::SyntheticVideoSpec spec;  // 40 frames at 30 fps
    QVERIFY(autoqvis::testing::writeSyntheticVideo(clips / "walk.avi", spec));
    spec.frames = 12;
    QVERIFY(autoqvis::testing::writeSyntheticVideo(clips / "bike.avi", spec));
    std::ofstream(clips / "notes.txt") << "not a video";
    QCOMPARE(videoFilesIn(clips), (std::vector<fs::path>{clips / "bike.avi", clips / "walk.avi"}));

    ProjectInputs in = good("p6");
    in.unlabeled_frames.clear();
    in.unlabeled_videos.clear();
    in.unlabeled_video_folder = clips;
    QVERIFY2(checkProjectInputs(in).empty(), qPrintable(problemText(checkProjectInputs(in))));
    const Config config = projectConfig(in);
    const ImportedVideoFiles imported{importedVideosRoot(in)};
    QCOMPARE(resolveDataPath(config, config.data.unlabeled_videos), imported.videos());
    QCOMPARE(resolveDataPath(config, config.data.unlabeled_frames), imported.frames());
    QCOMPARE(headlessImportArguments(in).at(3), clips.string());

    VideoFolderImport import(clips, imported.root);
    import.run();
    const YtvisDataset dataset = loadYtvisDataset(imported.videos());
    QCOMPARE(dataset.videos.size(), size_t(2));
    QCOMPARE(dataset.videos[0].file_names.size(), size_t(3));   // bike: frames 0, 5, 10 of 12
    QCOMPARE(dataset.videos[1].file_names.size(), size_t(8));   // walk: every 5th of 40
    QCOMPARE(dataset.videos[1].file_names[1], std::string("walk/00001.jpg"));
    const cv::Mat frame = readImageRgb(imported.frames() / dataset.videos[1].file_names[1]);
    QCOMPARE(frame.cols, 160);
    QCOMPARE(dataset.videos[1].width, 160);
    // The frame sampled second is source frame 5 (its index is drawn into the frame).
    QCOMPARE(autoqvis::testing::indexShown(frame), 5);

    // Both kinds of unlabeled videos, an empty folder, a broken file: each named.
    in.unlabeled_videos = world() / "unlabeled/videos.json";
    QVERIFY(mentions(checkProjectInputs(in), "unlabeled_video_folder", "not both"));
    in.unlabeled_videos.clear();
    const fs::path empty = fs::path(dir_.path().toStdString()) / "no-clips";
    fs::create_directories(empty);
    in.unlabeled_video_folder = empty;
    QVERIFY(mentions(checkProjectInputs(in), "unlabeled_video_folder", "holds no video files"));
    std::ofstream(empty / "broken.mp4") << "garbage";
    QVERIFY2(mentions(checkProjectInputs(in), "unlabeled_video_folder", "broken.mp4"),
             qPrintable(problemText(checkProjectInputs(in))));
  }

  void theToyWorldNeedsOnlyAFolder() {
    ProjectInputs in;
    in.workspace = fs::path(dir_.path().toStdString()) / "toy";
    in.toy_world = true;
    QVERIFY(checkProjectInputs(in).empty());
    const Config config = projectConfig(in);
    QCOMPARE(fs::path(config.data.root), in.workspace / "data");
    QCOMPARE(config.data.unlabeled_videos, DataOptions().unlabeled_videos);
    in.preset = "nope";
    QVERIFY(mentions(checkProjectInputs(in), "preset", "unknown preset"));
  }

 private:
  QTemporaryDir dir_;
};

QTEST_APPLESS_MAIN(TestProjectSetup)
#include "test_project_setup.moc"
