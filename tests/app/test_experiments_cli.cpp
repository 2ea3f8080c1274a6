// The embedded world's experiments from the command line, on a tiny world and schedule: make-base-model
// (the toy VideoCutLER recipe: world, training without a quality head, validation, the .pth and its
// sidecar with a checksum that matches the file) and ablate from that model (one shared stage 1, one
// workspace per cell, the oracle and ground-truth label sources, ablation.md/json and the plots, a
// rerun that finds everything done).
#include <QtTest>

#include <QCryptographicHash>
#include <QImage>
#include <QTemporaryDir>

#include "tests/support/cli_process.h"

using namespace autoqvis::testing;

namespace {

const QStringList kTiny = {"--set", "toy_world.num_images=6",          "--set", "toy_world.num_unlabeled_videos=3",
                           "--set", "toy_world.num_val_videos=2",      "--set", "toy_world.video_frames=5",
                           "--set", "runtime.device=cpu",              "--set", "initial_training.checkpoint_period=0",
                           "--set", "augmentation.loader_workers=1"};

CliRun runCli(const QStringList& args) { return runAndSignal(AUTOQVIS_BINARY, args, 0, nullptr); }

QByteArray fileBytes(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

}  // namespace

class TestExperimentsCli : public QObject {
  Q_OBJECT

 private slots:
  void baseModelRecipeWritesModelAndSidecar() {
    const QString out = dir_.filePath("base");
    const CliRun run = runCli(QStringList{"--headless", "make-base-model", "--out", out, "--progress", "none", "--set",
                                            "initial_training.max_iter=3"} + kTiny);
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    const QString weights = out + "/toy_videocutler_r50.pth";
    QVERIFY(QFileInfo::exists(out + "/data/synthetic/pseudo_masks.json"));  // the world it learned from
    QVERIFY(QFileInfo::exists(out + "/train/metrics.jsonl"));
    const QJsonObject sidecar = readJson(out + "/toy_videocutler_r50.json").object();
    const QByteArray bytes = fileBytes(weights);
    QVERIFY(!bytes.isEmpty());
    QCOMPARE(sidecar["sha256"].toString(), QString(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
    QCOMPARE(sidecar["bytes"].toInteger(), qint64(bytes.size()));
    QCOMPARE(sidecar["iterations"].toInt(), 3);
    QCOMPARE(sidecar["seed"].toInt(), 1);
    QVERIFY(sidecar["wall_time_s"].toDouble() > 0);
    QVERIFY(!sidecar["machine"].toString().isEmpty());
    QCOMPARE(sidecar["validation"].toObject()["videos"].toInt(), 2);
    QVERIFY(sidecar["validation"].toObject().contains("AP50"));
    QVERIFY(sidecar["config"].toString().contains("quality_head: false"));  // the VideoCutLER role: no quality head
    QVERIFY(run.out.contains("sha256"));
    base_weights_ = weights;
  }

  void ablationRunsEveryCellFromOneStage1() {
    QVERIFY(!base_weights_.isEmpty());
    const QString out = dir_.filePath("ablation");
    const QStringList args = QStringList{"--headless", "ablate", "--out", out, "--seeds", "1", "--tables", "2,4",
                                         "--progress", "none", "--set", "initial_training.max_iter=2", "--set",
                                         "round_training.max_iter=2", "--set", "data.initial_weights=" + base_weights_} + kTiny;
    const CliRun run = runCli(args);
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    // One stage 1, adopted by every cell.
    const QByteArray shared = fileBytes(out + "/stage1/initial/model_final.pt");
    QVERIFY(!shared.isEmpty());
    for (const char* cell : {"full", "oracle_iou", "ground_truth"}) {
      QCOMPARE(fileBytes(out + "/cells/" + cell + "-seed1/initial/model_final.pt"), shared);
    }
    const QJsonObject results = readJson(out + "/ablation.json").object();
    const QJsonObject cells = results["cells"].toObject();
    const QJsonObject full = cells["full"].toObject()["runs"].toArray()[0].toObject()["stages"].toObject();
    QVERIFY(full["round-3"].toObject().contains("AP50"));  // Table 4 runs the full method 3 rounds
    // The theoretical limit trains on the unlabeled videos' own annotations.
    const QJsonObject truth = cells["ground_truth"].toObject()["runs"].toArray()[0].toObject()["stages"].toObject();
    const int gt_tracks = readJson(out + "/data/unlabeled/videos_gt.json").object()["annotations"].toArray().size();
    QCOMPARE(truth["round-1"].toObject()["objects"].toInt(), gt_tracks);
    QCOMPARE(fileBytes(out + "/cells/ground_truth-seed1/round-1/pseudo_labels.json"),
             fileBytes(out + "/data/unlabeled/videos_gt.json"));
    QVERIFY(cells["oracle_iou"].toObject()["runs"].toArray()[0].toObject()["stages"].toObject()["round-2"].toObject().contains("AP50"));
    const QString md = QString::fromUtf8(fileBytes(out + "/ablation.md"));
    QVERIFY2(md.contains("Table 2") && md.contains("Table 4") && !md.contains("Table 3"), qPrintable(md));
    QVERIFY(md.contains("| theoretical limit | ground_truth / round-1 |"));
    const QImage rounds(out + "/ablation_rounds.png");
    QCOMPARE(rounds.size(), QSize(720, 460));
    QVERIFY(!QFileInfo::exists(out + "/ablation_tau.png"));  // Table 5 was not asked for
    // A rerun finds every cell done and trains nothing.
    const CliRun again = runCli(args);
    QVERIFY2(again.exit_code == 0, qPrintable(again.err));
    QVERIFY2(!again.err.contains("iter "), qPrintable(again.err));
    // --report rewrites the tables from the finished cells without running anything.
    QVERIFY(QFile::remove(out + "/ablation.md"));
    const CliRun report = runCli(QStringList(args) << "--report");
    QVERIFY2(report.exit_code == 0, qPrintable(report.err));
    QCOMPARE(QString::fromUtf8(fileBytes(out + "/ablation.md")), md);
    QVERIFY(!report.err.contains("toy world written"));
    // Another configuration in the same folder is refused, naming the key.
    const CliRun other = runCli(QStringList(args) << "--set" << "round_training.base_lr=0.001");
    QCOMPARE(other.exit_code, 1);
    QVERIFY2(other.err.contains("round_training.base_lr"), qPrintable(other.err));
  }

 private:
  QTemporaryDir dir_;
  QString base_weights_;
};

QTEST_GUILESS_MAIN(TestExperimentsCli)
#include "test_experiments_cli.moc"
