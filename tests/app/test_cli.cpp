// The `autoqvis --headless` command line, run as a user would: exit codes, progress as JSON lines,
// the files each command writes, and error messages that name the file or key.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>
#include <filesystem>

using namespace std::string_literals;
namespace fs = std::filesystem;

namespace {

struct Run {
  int exit_code = -1;
  QString out;
  QString err;
};

Run autoqvis(const QStringList& args) {
  QProcess process;
  process.start(AUTOQVIS_BINARY, args);
  if (!process.waitForFinished(300000)) {
    process.kill();
    return {};
  }
  return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
          QString::fromUtf8(process.readAllStandardError())};
}

// A small world keeps every command quick.
const QStringList kSmallWorld = {"--set", "toy_world.num_images=6",  "--set", "toy_world.num_unlabeled_videos=2",
                                 "--set", "toy_world.num_val_videos=2", "--set", "toy_world.video_frames=5"};

}  // namespace

class TestCli : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(root_.isValid());
    world_ = root_.path() + "/world";
    const Run run = autoqvis(QStringList{"--headless", "make-toy-data", "--out", world_, "--progress=jsonl"} + kSmallWorld);
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    int progress_lines = 0;
    bool done = false;
    for (const QString& line : run.out.split('\n', Qt::SkipEmptyParts)) {
      if (!line.startsWith('{')) continue;
      QJsonParseError error;
      const QJsonObject event = QJsonDocument::fromJson(line.toUtf8(), &error).object();
      QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(line));
      progress_lines += event["event"].toString() == "progress";
      done = done || (event["event"].toString() == "done" && event["exit_code"].toInt() == 0);
    }
    QVERIFY(progress_lines >= 3);
    QVERIFY(done);
  }

  void versionNamesTheBlas() {
    const Run run = autoqvis({"--version"});
    QCOMPARE(run.exit_code, 0);
    QVERIFY2(run.out.contains("autoqvis ") && run.out.contains("LibTorch") && run.out.contains("BLAS: "),
             qPrintable(run.out));
    if (fs::exists("/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3")) QVERIFY(run.out.contains("OpenBLAS"));
  }

  void helpListsCommands() {
    const Run run = autoqvis({"--headless", "--help"});
    QCOMPARE(run.exit_code, 0);
    for (const char* command : {"demo", "make-toy-data", "info", "export-davis", "preview", "config"}) {
      QVERIFY2(run.out.contains(command), command);
    }
    const Run command_help = autoqvis({"--headless", "export-davis", "--help"});
    QCOMPARE(command_help.exit_code, 0);
    QVERIFY(command_help.out.contains("--min-score"));
  }

  void toyWorldLayoutIsComplete() {
    const fs::path w = world_.toStdString();
    for (const char* part : {"synthetic/pseudo_masks.json", "synthetic/true_masks.json", "unlabeled/videos.json",
                             "unlabeled/videos_gt.json", "val/videos.json", "world.yaml"}) {
      QVERIFY2(fs::exists(w / part), part);
    }
    QVERIFY(fs::is_directory(w / "unlabeled/JPEGImages"));
  }

  void infoPrintsStatisticsAsJson() {
    const Run run = autoqvis({"--headless", "info", "--data-root", world_, "--json"});
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    const QStringList lines = run.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);  // stills, unlabeled, unlabeled GT, val
    const QJsonObject stills = QJsonDocument::fromJson(lines[0].toUtf8()).object()["stats"].toObject();
    QCOMPARE(stills["videos"].toInt(), 6);
    const QJsonObject val = QJsonDocument::fromJson(lines[3].toUtf8()).object()["stats"].toObject();
    QCOMPARE(val["videos"].toInt(), 2);
    QCOMPARE(val["frames"].toInt(), 10);
    QVERIFY(val["tracks"].toInt() >= 2);
    const Run text = autoqvis({"--headless", "info", "--dataset", world_ + "/val/videos.json"});
    QCOMPARE(text.exit_code, 0);
    QVERIFY(text.out.contains("instance-frames"));
  }

  void infoDescribesAVideo() {
    const Run run = autoqvis({"--headless", "info", "--video", world_ + "/val/JPEGImages/val_0001", "--check", "--json",
                              "--progress", "none"});
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    const QJsonObject video = QJsonDocument::fromJson(run.out.trimmed().toUtf8()).object()["video"].toObject();
    QCOMPARE(video["frames"].toInt(), 5);
    QCOMPARE(video["frames_decoded"].toInt(), 5);
    QCOMPARE(video["width"].toInt(), 160);
    // A corrupt frame (in a copy of the video) is named with its index.
    const fs::path copy = root_.path().toStdString() + "/broken_video";
    fs::copy(world_.toStdString() + "/val/JPEGImages/val_0002", copy);
    QFile frame(QString::fromStdString((copy / "00003.jpg").string()));
    QVERIFY(frame.open(QIODevice::WriteOnly | QIODevice::Truncate));
    frame.write("not a jpeg");
    frame.close();
    const Run broken = autoqvis({"--headless", "info", "--video", QString::fromStdString(copy.string()), "--check"});
    QCOMPARE(broken.exit_code, 1);
    QVERIFY2(broken.err.contains("00003.jpg") && broken.err.contains("frame 3"), qPrintable(broken.err));
  }

  void exportDavisWritesPalettePngs() {
    const QString out = root_.path() + "/davis";
    const Run run = autoqvis({"--headless", "export-davis", "--dataset", world_ + "/val/videos.json", "--out", out,
                              "--progress", "none"});
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    int pngs = 0;
    for (const auto& e : fs::recursive_directory_iterator(out.toStdString())) pngs += e.path().extension() == ".png";
    QCOMPARE(pngs, 10);
    QVERIFY(fs::exists(out.toStdString() + "/index.json"));
  }

  void previewWritesAnImage() {
    const QString out = root_.path() + "/preview.png";
    const Run run = autoqvis(QStringList{"--headless", "preview", "--set", "data.root=" + world_, "--out", out});
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    QVERIFY(fs::file_size(out.toStdString()) > 1000);
  }

  void configPrintsEffectiveYaml() {
    const Run run = autoqvis({"--headless", "config", "--config", "paper-r50-ytvis19", "--set", "selftrain.rounds=3"});
    QCOMPARE(run.exit_code, 0);
    QVERIFY(run.out.contains("rounds: 3"));
    QVERIFY(run.out.contains("num_queries: 100"));
  }

  void evaluatePrintsTheOfficialNumbers() {
    const QString fixture = QString(AUTOQVIS_FIXTURES_DIR) + "/ytvis-eval/edge-all/";
    const Run run = autoqvis({"--headless", "evaluate", "--gt", fixture + "gt.json", "--results", fixture + "results.json",
                              "--protocol", "autoq", "--json", "--progress", "none"});
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    QFile expected_file(fixture + "expected.agnostic-autoq.json");
    QVERIFY(expected_file.open(QIODevice::ReadOnly));
    const QJsonObject expected = QJsonDocument::fromJson(expected_file.readAll()).object();
    const QJsonObject got = QJsonDocument::fromJson(run.out.trimmed().toUtf8()).object();
    for (const QString& key : expected.keys()) QCOMPARE(got[key].toDouble(), expected[key].toDouble());
    const Run bad = autoqvis({"--headless", "evaluate", "--gt", fixture + "gt.json", "--results", fixture + "results.json",
                              "--protocol", "coco"});
    QCOMPARE(bad.exit_code, 2);
  }

  void initRefusesToOverwriteAProject() {
    const QString dir = root_.path() + "/project";
    Run run = autoqvis({"--headless", "init", "--workspace", dir, "--config", "paper-r50-ytvis19"});
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    run = autoqvis({"--headless", "init", "--workspace", dir});
    QCOMPARE(run.exit_code, 1);
    QVERIFY(run.err.contains("already exists"));
    run = autoqvis({"--headless", "status", "--workspace", dir});
    QCOMPARE(run.exit_code, 0);
    QVERIFY2(run.out.contains("round-2          -"), qPrintable(run.out));
    QVERIFY(run.out.contains("next: initial"));
  }

  void errorsNameTheProblemAndExitNonZero() {
    Run run = autoqvis({"--headless", "no-such-command"});
    QCOMPARE(run.exit_code, 2);
    run = autoqvis({"--headless", "info", "--bogus", "1"});
    QCOMPARE(run.exit_code, 2);
    QVERIFY(run.err.contains("--bogus"));
    run = autoqvis({"--headless", "info", "--data-root", world_, "--set", "selftrain.quality_threshold=2"});
    QCOMPARE(run.exit_code, 1);
    QVERIFY2(run.err.contains("selftrain.quality_threshold") && run.err.contains("[0, 1]"), qPrintable(run.err));
    run = autoqvis({"--headless", "info", "--config", "/no/such/config.yaml"});
    QCOMPARE(run.exit_code, 1);
    QVERIFY(run.err.contains("/no/such/config.yaml"));
    const QString broken = root_.path() + "/broken.json";
    QFile file(broken);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"videos\": [{\"id\": 1, ");
    file.close();
    run = autoqvis({"--headless", "info", "--dataset", broken});
    QCOMPARE(run.exit_code, 1);
    QVERIFY2(run.err.contains(broken) && run.err.contains("malformed JSON"), qPrintable(run.err));
  }

  void demoRunsTheMainJob() {
    const QString out = root_.path() + "/demo";
    const Run run = autoqvis(QStringList{"--headless", "demo", "--out", out, "--progress", "lines", "--set",
                                         "initial_training.max_iter=4", "--until", "initial"} + kSmallWorld);
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    QVERIFY(run.out.contains("validation videos with ground truth"));
    QVERIFY(run.out.contains("stage       status"));  // the per-stage table
    QVERIFY(run.out.contains("initial       done"));    // trained, predicted, evaluated
    QVERIFY(fs::exists(out.toStdString() + "/initial/model_final.pth"));
    QVERIFY(fs::exists(out.toStdString() + "/initial/val_results.json"));  // in its stage folder
    QVERIFY(fs::exists(out.toStdString() + "/initial/eval.json"));
    QVERIFY(fs::exists(out.toStdString() + "/preview_val.png"));
    QVERIFY(fs::exists(out.toStdString() + "/preview_pseudo_masks.png"));
    QVERIFY(fs::exists(out.toStdString() + "/project.yaml"));
    const Run status = autoqvis({"--headless", "status", "--workspace", out, "--json"});
    QCOMPARE(status.exit_code, 0);
    const QJsonObject state = QJsonDocument::fromJson(status.out.trimmed().toUtf8()).object();
    QCOMPARE(state["next"].toString(), QString("round-1"));  // stage 1 is done
    // Stage 1 started from the shipped toy VideoCutLER, evaluated beside it as the "base" row.
    QVERIFY(state["base"].toObject()["AP50"].isDouble());
    QVERIFY(run.out.contains("base          done"));
    QVERIFY(run.err.contains("toy_videocutler_r50.pth"));
    // A second run reuses the workspace.
    const Run again = autoqvis({"--headless", "demo", "--out", out, "--progress", "none", "--until", "initial"});
    QVERIFY2(again.exit_code == 0, qPrintable(again.err));
    QVERIFY(again.err.contains("reusing workspace"));
    QVERIFY(!again.err.contains("iter "));  // the completed stage is not trained again
  }

 private:
  QTemporaryDir root_;
  QString world_;
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
