// `autoqvis --headless predict` and `convert-weights`, run as a user would, on the small reference model
// (shared/fixtures/m2f-small): the results list, its per-frame pred_iou and quality, the same results from
// either weights format, and clear failures for weights that do not fit.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

namespace fs = std::filesystem;

namespace {

struct Run {
  int exit_code = -1;
  QString out;
  QString err;
};

Run autoqvis(const QStringList& args) {
  QProcess process;
  process.start(AUTOQVIS_BINARY, QStringList{"--headless"} + args);
  if (!process.waitForFinished(300000)) {
    process.kill();
    return {};
  }
  return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput()),
          QString::fromUtf8(process.readAllStandardError())};
}

const QString kFixture = QString(AUTOQVIS_FIXTURES_DIR) + "/m2f-small";

// The reduced widths of the fixture model (m2f-small/config.yaml) as --set overrides.
QStringList smallModel(bool quality_head) {
  QStringList args;
  for (const char* setting : {"model.stem_out_channels=16", "model.res2_out_channels=64", "model.width_per_group=16",
                              "model.conv_dim=64", "model.mask_dim=64", "model.hidden_dim=64", "model.num_queries=10",
                              "model.decoder_ffn_dim=128", "model.encoder_ffn_dim=1024", "model.quality_conv_dim=64",
                              "runtime.threads=2"}) {
    args << "--set" << setting;
  }
  args << "--set" << (quality_head ? "model.quality_head=true" : "model.quality_head=false");
  return args;
}

QJsonArray readResults(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(file.readAll()).array();
}

}  // namespace

class TestPredictCli : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    frames_ = dir_.path() + "/frames";
    fs::create_directories(frames_.toStdString());
    for (int i = 0; i < 3; ++i) {
      const QString name = QString("/frame_%1.png").arg(i);
      QVERIFY(QFile::copy(kFixture + name, frames_ + name));
    }
  }

  void predictWritesAResultsList() {
    const QString out = dir_.path() + "/videocutler.json";
    const Run run = autoqvis(QStringList{"predict", "--weights", kFixture + "/model.pth", "--frames", frames_, "--out", out} +
                             smallModel(false));
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    const QJsonArray results = readResults(out);
    QCOMPARE(results.size(), 10);
    double previous = 2.0;
    for (const QJsonValue& value : results) {
      const QJsonObject r = value.toObject();
      QCOMPARE(r["video_id"].toInt(), 1);
      QCOMPARE(r["category_id"].toInt(), 1);
      QVERIFY(r["score"].toDouble() <= previous);  // sorted by score
      previous = r["score"].toDouble();
      const QJsonArray segmentations = r["segmentations"].toArray();
      QCOMPARE(segmentations.size(), 3);
      const QJsonArray size = segmentations[0].toObject()["size"].toArray();
      QCOMPARE(size[0].toInt(), 120);  // masks at the original frame size
      QCOMPARE(size[1].toInt(), 168);
      QVERIFY(!r.contains("pred_iou"));  // the VideoCutLER model has no quality head
    }
  }

  void qualityIsPredIouTimesScore() {
    // A VideoCutLER checkpoint into the AutoQ-VIS model: the head starts fresh (with a warning), and its
    // outputs are written per frame next to the masks.
    const QString out = dir_.path() + "/autoq.json";
    const Run run = autoqvis(QStringList{"predict", "--weights", kFixture + "/model.pth", "--frames", frames_, "--out", out} +
                             smallModel(true));
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    QVERIFY(run.err.contains("no quality head"));
    const QJsonArray results = readResults(out);
    QCOMPARE(results.size(), 10);
    for (const QJsonValue& value : results) {
      const QJsonObject r = value.toObject();
      const QJsonArray pred_iou = r["pred_iou"].toArray(), quality = r["quality"].toArray();
      QCOMPARE(pred_iou.size(), 3);
      for (int t = 0; t < 3; ++t) {
        QVERIFY(pred_iou[t].toDouble() >= 0.0 && pred_iou[t].toDouble() <= 1.0);
        QVERIFY(std::abs(quality[t].toDouble() - pred_iou[t].toDouble() * r["score"].toDouble()) < 1e-9);
      }
    }
  }

  void weightsRoundTripThroughBothFormats() {
    // .pth -> native .pt (carries the model options: no --set needed) -> .pth again: same predictions.
    const QString native = dir_.path() + "/model.pt", exported = dir_.path() + "/exported.pth";
    Run run = autoqvis(QStringList{"convert-weights", "--weights", kFixture + "/model.pth", "--out", native} + smallModel(false));
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    run = autoqvis({"convert-weights", "--weights", native, "--out", exported});
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    const QString from_native = dir_.path() + "/from_native.json", from_exported = dir_.path() + "/from_exported.json";
    run = autoqvis({"predict", "--weights", native, "--frames", frames_, "--out", from_native, "--set", "runtime.threads=2"});
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    run = autoqvis(QStringList{"predict", "--weights", exported, "--frames", frames_, "--out", from_exported} + smallModel(false));
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    const QJsonArray a = readResults(from_native), b = readResults(from_exported);
    QCOMPARE(a.size(), 10);
    QCOMPARE(a, b);
  }

  void weightsThatDoNotFitAreRefused() {
    const QString out = dir_.path() + "/never.json";
    // The paper's full R50 model cannot take the small checkpoint: the error names file and tensor.
    Run run = autoqvis({"predict", "--config", "paper-r50-ytvis19", "--weights", kFixture + "/model.pth", "--frames",
                        frames_, "--out", out});
    QCOMPARE(run.exit_code, 1);
    QVERIFY2(run.err.contains("model.pth") && run.err.contains("backbone.stem.conv1.weight"), qPrintable(run.err));
    QVERIFY(!QFile::exists(out));
    // An unknown extension and a missing input are refused before any work.
    run = autoqvis({"predict", "--weights", dir_.path() + "/w.bin", "--frames", frames_, "--out", out});
    QCOMPARE(run.exit_code, 1);
    QVERIFY(run.err.contains("w.bin"));
    run = autoqvis({"predict", "--weights", kFixture + "/model.pth", "--out", out});
    QCOMPARE(run.exit_code, 2);
    // A corrupt native file names itself.
    const QString corrupt = dir_.path() + "/corrupt.pt";
    QFile file(corrupt);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a zip");
    file.close();
    run = autoqvis({"predict", "--weights", corrupt, "--frames", frames_, "--out", out});
    QCOMPARE(run.exit_code, 1);
    QVERIFY2(run.err.contains("corrupt.pt"), qPrintable(run.err));
  }

 private:
  QTemporaryDir dir_;
  QString frames_;
};

QTEST_GUILESS_MAIN(TestPredictCli)
#include "test_predict_cli.moc"
