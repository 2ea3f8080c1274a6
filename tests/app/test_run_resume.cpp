// `run` on a tiny project with two rounds: a straight run is the reference; a second workspace is
// SIGKILLed during round-1 prediction, during round-2 training (after a checkpoint) and right after the
// round-2 pseudo-labels were written, rerun after each kill, and must end with byte-identical outputs
// without redoing a finished step. Then the bad inputs: a configuration changed under a finished stage
// (refused, naming the key and --from), a malformed selection file, a tau out of range; `status` and
// `export`; and `--nproc 2`, whose sharded prediction must gather to the single-process predictions.
#include <QJsonArray>
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/cli_process.h"

namespace fs = std::filesystem;
using autoqvis::testing::CliRun;
using autoqvis::testing::isEvent;
using autoqvis::testing::readJson;

namespace {

std::string fileBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Every result file of a finished project (timestamps live only in state.json, which is not compared).
const char* const kStageFiles[] = {"predictions.json", "pseudo_labels.json", "round_state.json", "selection.json",
                                   "model_final.pt",   "model_final.pth",    "val_results.json", "eval.json"};

bool progressOf(const QJsonObject& e, const char* stage_prefix, int min_done = 0) {
  return isEvent(e, "progress") && e["stage"].toString().startsWith(stage_prefix) && e["done"].toInt() >= min_done;
}

}  // namespace

class TestRunResume : public QObject {
  Q_OBJECT

  QStringList project(const QString& workspace) const {
    QStringList args = {"--headless", "run", "--workspace", workspace, "--progress", "jsonl"};
    for (const char* set : {"runtime.device=cpu", "augmentation.loader_workers=1", "initial_training.max_iter=12",
                            "initial_training.checkpoint_period=0", "round_training.max_iter=6",
                            "round_training.checkpoint_period=3", "round_training.log_period=1",
                            "selftrain.rounds=2", "selftrain.score_threshold=0", "selftrain.quality_threshold=0"}) {
      args << "--set" << set;
    }
    return args << "--set" << "data.root=" + world_;
  }
  CliRun run(const QStringList& args, int signal = 0, std::function<bool(const QJsonObject&)> at = {}) const {
    return autoqvis::testing::runAndSignal(AUTOQVIS_BINARY, args, signal, std::move(at));
  }
  static QJsonObject state(const QString& workspace) { return readJson(workspace + "/state.json").object(); }
  static QStringList steps(const QString& workspace, const char* stage) {
    return state(workspace)["stages"].toObject()[stage].toObject()["steps"].toObject().keys();
  }

 private slots:
  void initTestCase() {
    QVERIFY(root_.isValid());
    world_ = root_.path() + "/world";
    const CliRun make = run({"--headless", "make-toy-data", "--out", world_, "--progress", "none", "--set",
                             "toy_world.num_images=6", "--set", "toy_world.num_unlabeled_videos=3", "--set",
                             "toy_world.num_val_videos=2", "--set", "toy_world.video_frames=5"});
    QVERIFY2(make.exit_code == 0, qPrintable(make.err));
    straight_ = root_.path() + "/straight";
    const CliRun straight = run(project(straight_));
    QVERIFY2(straight.exit_code == 0, qPrintable(straight.err));
  }

  void straightRunMakesEveryStage() {
    const QJsonObject stages = state(straight_)["stages"].toObject();
    for (const char* stage : {"initial", "round-1", "round-2", "final"}) {
      QVERIFY2(stages[stage].toObject()["complete"].toBool(), stage);
    }
    // Round 1 predicts with stage 1, the final labels come from the last round's model.
    QCOMPARE(stages["round-1"].toObject()["steps"].toObject()["predicted"].toObject()["model"].toString(), QString("initial"));
    QCOMPARE(stages["final"].toObject()["steps"].toObject()["predicted"].toObject()["model"].toString(), QString("round-2"));
    // At tau 0 and score 0 every video is accepted, so the rounds train on real pseudo-labels.
    const QJsonObject selected = stages["round-1"].toObject()["steps"].toObject()["selected"].toObject();
    QCOMPARE(selected["videos"].toInt(), 3);
    QVERIFY(selected["objects"].toInt() > 0);
    QCOMPARE(readJson(straight_ + "/round-2/round_state.json").object().size() > 0, true);
    // model_best is the round with the best validation AP50 and holds its weights.
    const QJsonObject best = readJson(straight_ + "/best.json").object();
    const QString best_stage = best["stage"].toString();
    QVERIFY(best_stage == "round-1" || best_stage == "round-2");
    const double ap1 = readJson(straight_ + "/round-1/eval.json").object()["AP50"].toDouble();
    const double ap2 = readJson(straight_ + "/round-2/eval.json").object()["AP50"].toDouble();
    QCOMPARE(best_stage, QString(ap2 > ap1 ? "round-2" : "round-1"));
    QVERIFY(fileBytes(straight_.toStdString() + "/model_best.pt") ==
            fileBytes(straight_.toStdString() + "/" + best_stage.toStdString() + "/model_final.pt"));
    // A rerun of a finished project does nothing.
    const CliRun again = run(project(straight_));
    QCOMPARE(again.exit_code, 0);
    for (const QJsonObject& e : again.events) QVERIFY(!isEvent(e, "progress"));
  }

  void killedRunsResumeToTheSameOutputs() {
    const QString killed = root_.path() + "/killed";
    // 1. During round-1 prediction.
    CliRun r = run(project(killed), SIGKILL, [](const QJsonObject& e) { return progressOf(e, "round-1 predict", 1); });
    QVERIFY(r.signalled);
    QCOMPARE(r.exit_code, -1);
    QCOMPARE(steps(killed, "initial"), (QStringList{"evaluated", "trained"}));
    QVERIFY(!steps(killed, "round-1").contains("predicted"));
    // 2. During round-2 training, after its checkpoint at iteration 3.
    r = run(project(killed), SIGKILL, [](const QJsonObject& e) { return progressOf(e, "round-2 train", 4); });
    QVERIFY(r.signalled);
    QVERIFY2(!r.events.empty() && progressOf(r.events[1], "round-1 predict"), "resumed at round-1 prediction");
    QVERIFY(fs::exists(killed.toStdString() + "/round-2/checkpoints"));
    // 3. Right after the final stage's pseudo-labels were written.
    r = run(project(killed), SIGKILL, [](const QJsonObject& e) {
      return isEvent(e, "artifact") && e["path"].toString().endsWith("final/pseudo_labels.json");
    });
    QVERIFY(r.signalled);
    QVERIFY2(r.err.contains("resumed from iteration 3"), qPrintable(r.err));  // not retrained from 0
    bool predicted_round1_again = false;
    for (const QJsonObject& e : r.events) predicted_round1_again |= progressOf(e, "round-1");
    QVERIFY(!predicted_round1_again);
    // 4. To the end.
    r = run(project(killed));
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    for (const char* stage : {"initial", "round-1", "round-2", "final"}) {
      for (const char* file : kStageFiles) {
        const fs::path a = fs::path(straight_.toStdString()) / stage / file;
        const fs::path b = fs::path(killed.toStdString()) / stage / file;
        QCOMPARE(fs::exists(a), fs::exists(b));
        if (fs::exists(a)) QVERIFY2(fileBytes(a) == fileBytes(b), qPrintable(QString("%1/%2").arg(stage, file)));
      }
    }
    QVERIFY(fileBytes(straight_.toStdString() + "/best.json") == fileBytes(killed.toStdString() + "/best.json"));
  }

  void statusAndExport() {
    CliRun status = run({"--headless", "status", "--workspace", straight_, "--json", "--progress", "none"});
    QCOMPARE(status.exit_code, 0);
    // (status prints one JSON object on stdout, which runAndSignal parsed as its only "event")
    QCOMPARE(status.events.size(), size_t(1));
    const QJsonObject json = status.events.front();
    QCOMPARE(json["stages"].toArray().size(), 4);
    const QJsonObject round1 = json["stages"].toArray()[1].toObject();
    QCOMPARE(round1["name"].toString(), QString("round-1"));
    QCOMPARE(round1["videos"].toInt(), 3);
    QVERIFY(round1["AP50"].isDouble());
    QVERIFY(json["next"].isNull());
    const QString out = root_.path() + "/export.json";
    CliRun exported = run({"--headless", "export", "--workspace", straight_, "--format", "ytvis", "--out", out});
    QCOMPARE(exported.exit_code, 0);
    QVERIFY(fileBytes(out.toStdString()) == fileBytes(straight_.toStdString() + "/final/pseudo_labels.json"));
    const QString davis = root_.path() + "/davis";
    exported = run({"--headless", "export", "--workspace", straight_, "--stage", "round-1", "--format", "davis", "--out", davis});
    QVERIFY2(exported.exit_code == 0, qPrintable(exported.err));
    QVERIFY(fs::exists(davis.toStdString() + "/index.json"));
    exported = run({"--headless", "export", "--workspace", straight_, "--stage", "round-7", "--format", "ytvis", "--out", out});
    QCOMPARE(exported.exit_code, 1);
    QVERIFY2(exported.err.contains("round-7") && exported.err.contains("round-2"), qPrintable(exported.err));
  }

  void badInputKeepsTheWorkspace() {
    const QString copy = root_.path() + "/changed";
    fs::copy(straight_.toStdString(), copy.toStdString(), fs::copy_options::recursive);
    const std::string eval_before = fileBytes(copy.toStdString() + "/round-1/eval.json");
    // A changed tau under finished rounds is refused, naming the key and the way out.
    CliRun r = run(project(copy) << "--set" << "selftrain.quality_threshold=0.5");
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.contains("selftrain.quality_threshold") && r.err.contains("--from round-1") &&
                 r.err.contains("project.yaml"),
             qPrintable(r.err));
    QVERIFY(readJson(copy + "/state.json").object()["stages"].toObject()["final"].toObject()["complete"].toBool());
    // A tau outside [0, 1] names the key.
    r = run(project(copy) << "--set" << "selftrain.quality_threshold=1.5");
    QVERIFY(r.exit_code != 0);
    QVERIFY2(r.err.contains("selftrain.quality_threshold"), qPrintable(r.err));
    // --from a later stage than the change does not help.
    r = run(project(copy) << "--set" << "selftrain.quality_threshold=0.5" << "--from" << "round-2");
    QCOMPARE(r.exit_code, 1);
    // A malformed selection file of the stage to redo: a clear error, the finished stage 1 untouched.
    { std::ofstream(copy.toStdString() + "/round-1/selection.json") << "{\"tau\": \"high\"}"; }
    r = run(project(copy) << "--set" << "selftrain.quality_threshold=0.5" << "--from" << "round-1" << "--until" << "round-1");
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.contains("round-1/selection.json") && r.err.contains("tau"), qPrintable(r.err));
    QVERIFY(steps(copy, "initial").contains("evaluated"));
    QVERIFY(fileBytes(copy.toStdString() + "/initial/model_final.pt") == fileBytes(straight_.toStdString() + "/initial/model_final.pt"));
    QVERIFY(fileBytes(copy.toStdString() + "/round-1/eval.json") == eval_before);  // not yet redone: kept
    // Without the bad file, --from redoes round 1 with the new tau (the run's own selection file
    // follows the configuration).
    fs::remove(copy.toStdString() + "/round-1/selection.json");
    r = run(project(copy) << "--set" << "selftrain.quality_threshold=0.5" << "--from" << "round-1" << "--until" << "round-1");
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QCOMPARE(readJson(copy + "/round-1/selection.json").object()["tau"].toDouble(), 0.5);
    QVERIFY(steps(copy, "round-2").isEmpty());
    QVERIFY(steps(copy, "round-1").contains("evaluated"));
  }

  void dataParallelPredictionGathersTheSameResults() {
    // Stage 1 of the straight run, round 1 predicted by two processes.
    const QString parallel = root_.path() + "/parallel";
    fs::copy(straight_.toStdString(), parallel.toStdString(), fs::copy_options::recursive);
    const CliRun r = run(project(parallel) << "--from" << "round-1" << "--until" << "round-1" << "--nproc" << "2");
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY(fileBytes(parallel.toStdString() + "/round-1/predictions.json") ==
            fileBytes(straight_.toStdString() + "/round-1/predictions.json"));
    QVERIFY(fileBytes(parallel.toStdString() + "/round-1/pseudo_labels.json") ==
            fileBytes(straight_.toStdString() + "/round-1/pseudo_labels.json"));
    QVERIFY(steps(parallel, "round-1").contains("evaluated"));
  }

 private:
  QTemporaryDir root_;
  QString world_;
  QString straight_;
};

QTEST_GUILESS_MAIN(TestRunResume)
#include "test_run_resume.moc"
