// Workspaces: created with their config and state, reopened identically, stages completed strictly in
// order, and a damaged state file reported by name.
#include <QtTest>
#include <filesystem>

#include "core/selftrain/workspace.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include "tests/support/error_message.h"

using namespace autoqvis;
using autoqvis::testing::errorOf;
namespace fs = std::filesystem;

class TestWorkspace : public QObject {
  Q_OBJECT

 private slots:
  void createAndReopen() {
    QTemporaryDir dir;
    const fs::path root = fs::path(dir.path().toStdString()) / "project";
    Config config;
    config.selftrain.rounds = 2;
    config.selftrain.quality_threshold = 0.7;
    Workspace created = Workspace::create(root, config);
    QVERIFY(fs::exists(root / "project.yaml"));
    QVERIFY(fs::exists(root / "state.json"));
    QCOMPARE(Workspace::stageNames(config), (std::vector<std::string>{"initial", "round-1", "round-2", "final"}));
    QCOMPARE(*created.nextStage(), std::string("initial"));

    created.markComplete("initial");
    QVERIFY(fs::is_directory(created.stageDir("round-1")));
    const Workspace reopened = Workspace::open(root);
    QCOMPARE(reopened.config().selftrain.quality_threshold, 0.7);
    QVERIFY(reopened.isComplete("initial"));
    QCOMPARE(*reopened.nextStage(), std::string("round-1"));
    // An existing project is never overwritten.
    QVERIFY(errorOf([&] { Workspace::create(root, config); }).contains("already exists"));
  }

  void stagesCompleteInOrderAndReset() {
    QTemporaryDir dir;
    Config config;
    Workspace w = Workspace::create(dir.path().toStdString(), config);
    QVERIFY(errorOf([&] { w.markComplete("round-2"); }).contains("cannot complete before 'initial'"));
    QVERIFY(errorOf([&] { w.markComplete("round-9"); }).contains("unknown stage 'round-9'"));
    w.markComplete("initial");
    w.markComplete("round-1");
    w.markComplete("round-2");
    QCOMPARE(*w.nextStage(), std::string("final"));
    w.markComplete("final");
    QVERIFY(!w.nextStage().has_value());
    w.resetFrom("round-1");
    QCOMPARE(w.completedStages(), std::vector<std::string>{"initial"});
    QCOMPARE(Workspace::open(dir.path().toStdString()).completedStages(), std::vector<std::string>{"initial"});
  }

  void stepsAreRecordedInOrderWithDetails() {
    QTemporaryDir dir;
    Workspace w = Workspace::create(dir.path().toStdString(), Config());
    QVERIFY(errorOf([&] { w.markStep("round-1", "predicted"); }).contains("initial"));
    QVERIFY(errorOf([&] { w.markStep("initial", "evaluated"); }).contains("trained"));
    QVERIFY(errorOf([&] { w.markStep("initial", "selected"); }).contains("selected"));
    w.markStep("initial", "trained", {{"iterations", 5}});
    QVERIFY(!w.isComplete("initial"));
    w.markStep("initial", "evaluated", {{"AP50", 12.5}});
    QVERIFY(w.isComplete("initial"));
    w.markStep("round-1", "predicted");
    const Workspace reopened = Workspace::open(dir.path().toStdString());
    QVERIFY(reopened.hasStep("round-1", "predicted"));
    QVERIFY(!reopened.hasStep("round-1", "selected"));
    QCOMPARE(reopened.stepDetails("initial", "evaluated")->at("AP50").get<double>(), 12.5);
    QCOMPARE(reopened.stepDetails("initial", "trained")->at("iterations").get<int>(), 5);
    QVERIFY(reopened.stepDetails("round-1", "selected") == nullptr);
    QCOMPARE(*reopened.nextStage(), std::string("round-1"));
  }

  void configChangesNameTheKeyAndTheStage() {
    QTemporaryDir dir;
    Config config;
    Workspace w = Workspace::create(dir.path().toStdString(), config);
    w.markComplete("initial");
    w.markStep("round-1", "predicted");
    Config candidate = config;
    candidate.runtime.threads = config.runtime.threads + 3;  // changes no result
    candidate.augmentation.loader_workers = config.augmentation.loader_workers + 2;
    QVERIFY(w.configChanges(candidate).empty());
    candidate.selftrain.quality_threshold = 0.5;  // only the rounds depend on it
    std::vector<ConfigChange> changes = w.configChanges(candidate);
    QCOMPARE(changes.size(), size_t(1));
    QCOMPARE(changes[0].key, std::string("selftrain.quality_threshold"));
    QCOMPARE(changes[0].stage, std::string("round-1"));
    candidate.initial_training.max_iter = config.initial_training.max_iter + 1;  // stage 1 depends on it
    changes = w.configChanges(candidate);
    QCOMPARE(changes.front().stage, std::string("initial"));
    QCOMPARE(changes.front().key, std::string("initial_training.max_iter"));
    w.resetFrom("initial");
    QVERIFY(w.configChanges(candidate).empty());
  }

  void damagedFilesAreNamed() {
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    QVERIFY(errorOf([&] { Workspace::open(root / "missing"); }).contains("does not exist"));
    QVERIFY(errorOf([&] { Workspace::open(root); }).contains("no project.yaml"));
    Workspace::create(root, Config());
    writeFileAtomically(root / "state.json", "{\"version\": 1, \"stages\": ");
    QString message = errorOf([&] { Workspace::open(root); });
    QVERIFY2(message.contains("state.json") && message.contains("malformed JSON"), qPrintable(message));
    writeFileAtomically(root / "state.json", "{\"version\": 1, \"stages\": {\"initial\": {\"complete\": 3}}}");
    message = errorOf([&] { Workspace::open(root); });
    QVERIFY2(message.contains("stages.initial"), qPrintable(message));
    writeFileAtomically(root / "project.yaml", "selftrain:\n  rounds: many\n");
    message = errorOf([&] { Workspace::open(root); });
    QVERIFY2(message.contains("project.yaml") && message.contains("selftrain.rounds"), qPrintable(message));
  }
};

QTEST_APPLESS_MAIN(TestWorkspace)
#include "test_workspace.moc"
