// Ctrl-C (SIGINT) during `train`, `predict` and `evaluate`: the process exits 130 (not 1), says what it
// kept, and leaves consistent files: a trainer checkpoint and no final weights; the predictions of whole
// videos in OUT.partial.json and no OUT; nothing from evaluate. The signal is sent once the command's
// --progress=jsonl stream shows it is at work.
#include <signal.h>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QtTest>
#include <filesystem>
#include <functional>
#include <vector>

#include "tests/support/cli_process.h"

namespace fs = std::filesystem;

namespace {

using autoqvis::testing::CliRun;
using autoqvis::testing::isEvent;
using autoqvis::testing::readJson;

// Sends SIGINT at the first jsonl event for which `interrupt_at` is true.
CliRun runAndInterrupt(const QStringList& args, const std::function<bool(const QJsonObject&)>& interrupt_at) {
  return autoqvis::testing::runAndSignal(AUTOQVIS_BINARY, args, SIGINT, interrupt_at);
}

void writeJson(const QString& path, const QJsonDocument& document) {
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write(document.toJson(QJsonDocument::Compact));
}

}  // namespace

class TestCliStop : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(root_.isValid());
    world_ = root_.path() + "/world";
    QProcess make;
    make.start(AUTOQVIS_BINARY, {"--headless", "make-toy-data", "--out", world_, "--progress", "none", "--set",
                                 "toy_world.num_images=8", "--set", "toy_world.num_unlabeled_videos=1", "--set",
                                 "toy_world.num_val_videos=8", "--set", "toy_world.video_frames=10"});
    QVERIFY(make.waitForFinished(300000) && make.exitCode() == 0);
  }

  void trainStopsWithACheckpoint() {
    const QString workdir = root_.path() + "/train";
    const CliRun run = runAndInterrupt({"--headless", "train", "--workdir", workdir, "--config", "demo-stage1", "--set",
                                     "data.root=" + world_, "--set", "initial_training.max_iter=2000", "--set",
                                     "initial_training.log_period=1", "--set", "runtime.device=cpu", "--progress", "jsonl"},
                                    [](const QJsonObject& e) { return isEvent(e, "metrics"); });
    QVERIFY(run.signalled);
    QCOMPARE(run.exit_code, 130);
    QVERIFY2(run.err.contains("stopped on request; a checkpoint was saved in"), qPrintable(run.err));
    QVERIFY(!run.err.contains("error"));
    QVERIFY(fs::exists(workdir.toStdString() + "/checkpoints/last_checkpoint"));
    QVERIFY(!fs::exists(workdir.toStdString() + "/model_final.pth"));
    // The jsonl stream: started, metrics with every loss term, one "stopped", and "done" with 130 last.
    QVERIFY(!run.events.empty());
    QCOMPARE(run.events.front()["event"].toString(), QString("started"));
    QCOMPARE(run.events.front()["job"].toString(), QString("train"));
    int stopped = 0, finished = 0;
    bool full_metrics = false;
    for (const QJsonObject& e : run.events) {
      stopped += isEvent(e, "stopped");
      finished += isEvent(e, "finished") + isEvent(e, "failed");
      if (isEvent(e, "metrics")) {
        full_metrics = e["stage"] == "train" && e["max_iter"].toInt() == 2000 && e.contains("lr") &&
                       e.contains("time") && e.contains("data_time");
        for (const char* term : {"loss_ce", "loss_mask", "loss_dice", "loss_maskiou", "loss_ce_0"}) {
          full_metrics = full_metrics && e.contains(term);
        }
      }
    }
    QVERIFY(full_metrics);
    QCOMPARE(stopped, 1);
    QCOMPARE(finished, 0);
    QCOMPARE(run.events.back()["event"].toString(), QString("done"));
    QCOMPARE(run.events.back()["exit_code"].toInt(), 130);
  }

  void predictKeepsTheVideosItCompleted() {
    // Weights to predict with: one iteration is enough.
    const QString workdir = root_.path() + "/weights";
    QProcess train;
    train.start(AUTOQVIS_BINARY, {"--headless", "train", "--workdir", workdir, "--config", "demo-stage1", "--set",
                                  "data.root=" + world_, "--set", "initial_training.max_iter=1", "--progress", "none"});
    QVERIFY(train.waitForFinished(300000) && train.exitCode() == 0);
    const QString out = root_.path() + "/predictions.json";
    const CliRun run = runAndInterrupt(
        {"--headless", "predict", "--weights", workdir + "/model_final.pt", "--dataset", world_ + "/val/videos.json",
         "--out", out, "--set", "runtime.device=cpu", "--progress", "jsonl"},
        [](const QJsonObject& e) { return isEvent(e, "progress") && e["stage"] == "videos" && e["done"].toInt() >= 1; });
    QVERIFY(run.signalled);
    QCOMPARE(run.exit_code, 130);
    QVERIFY(!fs::exists(out.toStdString()));  // never a partial file under the final name
    const QString partial = root_.path() + "/predictions.partial.json";
    QVERIFY2(run.err.contains("stopped on request; kept the") && run.err.contains(partial), qPrintable(run.err));
    const QJsonArray results = readJson(partial).array();
    QVERIFY(!results.isEmpty());
    QCOMPARE(results.size() % 10, 0);  // ten instances of every video kept, nothing of a video cut short
    QVERIFY(results.size() < 80);
  }

  void evaluateStopsAndWritesNothing() {
    // A validation set made large by repeating the toy videos under new ids, scored against itself.
    QJsonObject gt = readJson(world_ + "/val/videos.json").object();
    QJsonArray videos, annotations, results;
    const QJsonArray base_videos = gt["videos"].toArray(), base_annotations = gt["annotations"].toArray();
    for (int copy = 0; copy < 400; ++copy) {
      for (const auto& v : base_videos) {
        QJsonObject video = v.toObject();
        video["id"] = video["id"].toInt() + 1000 * copy;
        videos.append(video);
      }
      for (const auto& a : base_annotations) {
        QJsonObject annotation = a.toObject();
        annotation["id"] = annotation["id"].toInt() + 100000 * copy;
        annotation["video_id"] = annotation["video_id"].toInt() + 1000 * copy;
        annotations.append(annotation);
        annotation.remove("id");
        annotation["score"] = 0.9;
        results.append(annotation);
      }
    }
    gt["videos"] = videos;
    gt["annotations"] = annotations;
    const QString gt_path = root_.path() + "/big_gt.json", results_path = root_.path() + "/big_results.json";
    writeJson(gt_path, QJsonDocument(gt));
    writeJson(results_path, QJsonDocument(results));
    const QString metrics = root_.path() + "/metrics.json";
    const CliRun run = runAndInterrupt({"--headless", "evaluate", "--gt", gt_path, "--results", results_path, "--out",
                                     metrics, "--threads", "1", "--progress", "jsonl"},
                                    [](const QJsonObject& e) { return isEvent(e, "progress"); });
    QVERIFY(run.signalled);
    QCOMPARE(run.exit_code, 130);
    QVERIFY2(run.err.contains("stopped on request; nothing was written"), qPrintable(run.err));
    QVERIFY(!fs::exists(metrics.toStdString()));
  }

 private:
  QTemporaryDir root_;
  QString world_;
};

QTEST_GUILESS_MAIN(TestCliStop)
#include "test_cli_stop.moc"
