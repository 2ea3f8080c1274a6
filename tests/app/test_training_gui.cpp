// The method run from the window, through the real job runner, offscreen, on a tiny project (one round):
//  - headless parity: stage 1, then "next round" twice from the GUI leave the same files and metrics
//    as `autoqvis --headless run` on the same inputs, and `init` writes the same project.yaml;
//  - stop during round training: the time until the job has ended is measured, and running again
//    resumes to the same final weights as the uninterrupted run;
//  - the window answers during training: the largest gap between 10 ms timer ticks is measured;
//  - the review pause (selftrain.review_before_training): headless `run` ends with "awaits review",
//    the GUI asks for the review, Continue commits the selection and trains on it, same results;
//  - stage 1 starts from data.initial_weights (a .pth);
//  - reopening a workspace shows its history; the New project dialog names bad inputs, creates the
//    same project as `init` with its own arguments, and creates the toy world as a job.
#include <torch/torch.h>

#include <QAction>
#include <QDialogButtonBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTimer>
#include <QtTest>
#include <filesystem>

#include "app/gui/main_window.h"
#include "app/gui/training_page.h"
#include "core/dataset/ytvis_json.h"
#include "core/selftrain/selection_file.h"
#include "core/selftrain/workspace.h"
#include "core/util/atomic_file.h"
#include "core/util/metrics_file.h"
#include "tests/support/cli_process.h"
#include "tests/support/gap_meter.h"
#include "tests/support/synthetic_video.h"
#include "widgets/jobs/job_runner.h"
#include "widgets/project/new_project_dialog.h"
#include "widgets/training/stage_ap_plot.h"
#include "widgets/training/training_curves.h"
#include "widgets/training/training_panel.h"

using namespace autoqvis;
namespace fs = std::filesystem;
using autoqvis::testing::CliRun;

namespace {

const char* const kStageFiles[] = {"predictions.json", "pseudo_labels.json", "round_state.json", "selection.json",
                                   "model_final.pt",   "model_final.pth",    "val_results.json", "eval.json"};
const char* const kStages[] = {"initial", "round-1", "final"};

// Every result file and every logged loss and LR (not the timings) of two workspaces; "" when equal.
QString differences(const fs::path& a, const fs::path& b) {
  QStringList out;
  for (const char* stage : kStages) {
    for (const char* file : kStageFiles) {
      const fs::path fa = a / stage / file, fb = b / stage / file;
      if (fs::exists(fa) != fs::exists(fb) || (fs::exists(fa) && readFile(fa) != readFile(fb))) out << QString("%1/%2").arg(stage, file);
    }
    const auto ma = loadMetricsFile(a / stage / "metrics.jsonl"), mb = loadMetricsFile(b / stage / "metrics.jsonl");
    bool same = ma.size() == mb.size();
    for (size_t i = 0; same && i < ma.size(); ++i) {
      same = ma[i].iteration == mb[i].iteration && ma[i].total_loss == mb[i].total_loss &&
             ma[i].losses == mb[i].losses && ma[i].lr == mb[i].lr;
    }
    if (!same) out << QString("%1/metrics.jsonl (%2 vs %3 lines)").arg(stage).arg(ma.size()).arg(mb.size());
  }
  if (readFile(a / "best.json") != readFile(b / "best.json")) out << "best.json";
  return out.join(", ");
}


bool waitFor(const std::function<bool()>& done, int timeout_ms = 300000) {
  QElapsedTimer clock;
  clock.start();
  while (!done() && clock.elapsed() < timeout_ms) QTest::qWait(5);
  return done();
}

JobOutcome outcomeOf(const QSignalSpy& ended, int index) {
  return ended.at(index).at(0).value<JobResult>().outcome;
}

}  // namespace

class TestTrainingGui : public QObject {
  Q_OBJECT

  QStringList sets() const {
    QStringList args;
    for (const char* set : {"runtime.device=cpu", "runtime.threads=1", "initial_training.max_iter=8",
                            "initial_training.checkpoint_period=0", "initial_training.log_period=1",
                            "round_training.max_iter=8", "round_training.checkpoint_period=0",
                            "round_training.log_period=1", "selftrain.rounds=1", "selftrain.score_threshold=0",
                            "selftrain.quality_threshold=0"}) {
      args << "--set" << set;
    }
    return args << "--set" << "data.root=" + world_;
  }
  CliRun cli(const QStringList& args) const { return autoqvis::testing::runAndSignal(AUTOQVIS_BINARY, args, 0, {}); }
  QString path(const char* name) const { return root_.path() + "/" + name; }
  void init(const QString& workspace) {
    const CliRun r = cli(QStringList{"--headless", "init", "--workspace", workspace} + sets());
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
  }
  // Triggers `action` and waits for the job it starts to end; returns its outcome.
  JobOutcome runAction(QAction* action, QSignalSpy& ended) {
    const int before = ended.count();
    [&] { QVERIFY(action->isEnabled()); }();
    action->trigger();
    [&] { QVERIFY(waitFor([&] { return ended.count() > before; })); }();
    return outcomeOf(ended, ended.count() - 1);
  }

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(root_.isValid());
    world_ = path("world");
    const CliRun make = cli({"--headless", "make-toy-data", "--out", world_, "--progress", "none", "--set",
                             "toy_world.num_images=6", "--set", "toy_world.num_unlabeled_videos=3", "--set",
                             "toy_world.num_val_videos=2", "--set", "toy_world.video_frames=5"});
    QVERIFY2(make.exit_code == 0, qPrintable(make.err));
    QElapsedTimer clock;
    clock.start();
    const CliRun run = cli(QStringList{"--headless", "run", "--workspace", path("headless"), "--progress", "none"} + sets());
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    qInfo("headless run of the tiny project: %.1f s", clock.elapsed() / 1000.0);
  }

  void stageByStageFromTheGuiMatchesHeadlessRun() {
    init(path("gui"));
    QCOMPARE(readFile(path("gui").toStdString() + "/project.yaml"), readFile(path("headless").toStdString() + "/project.yaml"));
    gui::MainWindow window;
    window.show();
    QSignalSpy opened(&window, &gui::MainWindow::workspaceOpened);
    window.openWorkspace(path("gui"));
    QCOMPARE(opened.count(), 1);
    gui::TrainingPage* page = window.training();
    widgets::TrainingPanel* panel = page->panel();
    QSignalSpy ended(page, &gui::TrainingPage::jobEnded);
    QVERIFY(panel->runStage1Action()->isEnabled() && !panel->stopAction()->isEnabled());
    autoqvis::testing::GapMeter gaps;
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(int(runAction(panel->runStage1Action(), ended)), int(JobOutcome::Finished));
    QVERIFY(page->workspace()->isComplete("initial") && !page->workspace()->isComplete("round-1"));
    QVERIFY(!panel->runStage1Action()->isEnabled());
    QCOMPARE(panel->curves()->stages().size(), size_t(1));
    QCOMPARE(int(runAction(panel->runNextRoundAction(), ended)), int(JobOutcome::Finished));
    QVERIFY(page->workspace()->isComplete("round-1") && !page->workspace()->isComplete("final"));
    QCOMPARE(int(runAction(panel->runNextRoundAction(), ended)), int(JobOutcome::Finished));
    QVERIFY(page->workspace()->isComplete("final"));
    QVERIFY(!panel->runAllAction()->isEnabled() && !panel->runNextRoundAction()->isEnabled());
    qInfo("GUI, stage by stage: %.1f s; largest event-loop gap while training: %.1f ms", clock.elapsed() / 1000.0,
          gaps.largestMs());
    QVERIFY2(gaps.largestMs() < 250, qPrintable(QString("event loop blocked for %1 ms").arg(gaps.largestMs())));
    const QString diff = differences(path("headless").toStdString(), path("gui").toStdString());
    QVERIFY2(diff.isEmpty(), qPrintable("differs from headless run: " + diff));
    QCOMPARE(window.findChild<QLabel*>("jobLabel")->text(), QString("Job: none"));
    QVERIFY(window.findChild<QLabel*>("memoryLabel")->text().startsWith("RSS "));
  }

  void reopeningShowsTheHistory() {
    gui::TrainingPage page;
    QVERIFY(page.openWorkspace(path("gui")));
    const auto& stages = page.panel()->curves()->stages();
    QCOMPARE(stages.size(), size_t(2));  // initial and round-1 trained; final only labels
    QCOMPARE(stages[0].stage, QString("initial"));
    QCOMPARE(stages[0].points.size(), size_t(8));
    QCOMPARE(stages[1].points.back().iteration, int64_t{8});
    const auto& scores = page.panel()->apPlot()->scores();
    QCOMPARE(scores.size(), size_t(2));
    const Workspace workspace = Workspace::open(path("gui").toStdString());
    QCOMPARE(*scores[1].AP50, workspace.stepDetails("round-1", "evaluated")->at("AP50").get<double>());
    QVERIFY(!page.panel()->apPlot()->isHidden());
  }

  void stopReturnsQuicklyAndResumesToTheSameWeights() {
    init(path("stopped"));
    gui::TrainingPage page;
    QVERIFY(page.openWorkspace(path("stopped")));
    QSignalSpy ended(&page, &gui::TrainingPage::jobEnded);
    QSignalSpy metrics(page.runner(), &widgets::JobRunner::metrics);
    page.panel()->runAllAction()->trigger();
    QVERIFY(page.isRunning() && page.panel()->stopAction()->isEnabled());
    QVERIFY(waitFor([&] {
      return !metrics.isEmpty() && metrics.last().at(0).value<IterationMetrics>().stage == "round-1" &&
             metrics.last().at(0).value<IterationMetrics>().iteration >= 3;
    }));
    QElapsedTimer latency;
    latency.start();
    page.panel()->stopAction()->trigger();
    QVERIFY(waitFor([&] { return ended.count() == 1; }, 60000));
    const qint64 stop_ms = latency.elapsed();
    qInfo("stop during round training: the job ended %lld ms after Stop", stop_ms);
    QCOMPARE(int(outcomeOf(ended, 0)), int(JobOutcome::Stopped));
    QVERIFY2(stop_ms < 5000, qPrintable(QString("stop took %1 ms").arg(stop_ms)));
    QVERIFY(!page.workspace()->hasStep("round-1", "trained"));
    QVERIFY(fs::exists(path("stopped").toStdString() + "/round-1/checkpoints"));
    QCOMPARE(int(runAction(page.panel()->runAllAction(), ended)), int(JobOutcome::Finished));
    QVERIFY(readFile(path("stopped").toStdString() + "/round-1/model_final.pt") ==
            readFile(path("headless").toStdString() + "/round-1/model_final.pt"));
    const QString diff = differences(path("headless").toStdString(), path("stopped").toStdString());
    QVERIFY2(diff.isEmpty(), qPrintable("a stopped and resumed run differs: " + diff));
  }

  void reviewPauseThenContinue() {
    // Stage 1 of the headless run, the rounds to redo with the review pause on.
    const fs::path review = path("review").toStdString();
    fs::copy(path("headless").toStdString(), review, fs::copy_options::recursive);
    {
      Workspace workspace = Workspace::open(review);
      workspace.resetFrom("round-1");
      Config config = workspace.config();
      config.selftrain.review_before_training = true;
      QVERIFY(workspace.configChanges(config).empty());  // a pause changes no result
      workspace.replaceConfig(config);
    }
    {
      // The window's own run pauses after the round's pseudo-labels and asks for the review.
      gui::TrainingPage first;
      QVERIFY(first.openWorkspace(path("review")));
      QVERIFY(first.awaitingReview().isEmpty());
      QSignalSpy ended(&first, &gui::TrainingPage::jobEnded);
      QSignalSpy asked(&first, &gui::TrainingPage::reviewRequested);
      QCOMPARE(int(runAction(first.panel()->runAllAction(), ended)), int(JobOutcome::Finished));
      QCOMPARE(asked.count(), 1);
      QCOMPARE(asked.at(0).at(0).toString(), QString("round-1"));
      QVERIFY(first.workspace()->hasStep("round-1", "selected") && !first.workspace()->hasStep("round-1", "trained"));
      QVERIFY(first.panel()->continueAction()->isVisible() && !first.panel()->runAllAction()->isEnabled());
    }
    QVERIFY(loadSelectionFile(review / "round-1/selection.json").tau_from_config);
    // Headless `run` on the paused project says so and exits 0, training nothing.
    const CliRun headless = cli({"--headless", "run", "--workspace", path("review"), "--progress", "none"});
    QCOMPARE(headless.exit_code, 0);
    QVERIFY2(headless.err.contains("round-1 awaits review"), qPrintable(headless.err));
    QVERIFY(!Workspace::open(review).hasStep("round-1", "trained"));

    // Reopened, the window knows the round waits, before any run.
    gui::TrainingPage page;
    QSignalSpy asked(&page, &gui::TrainingPage::reviewRequested);
    QVERIFY(page.openWorkspace(path("review")));
    QCOMPARE(asked.count(), 1);
    QSignalSpy ended(&page, &gui::TrainingPage::jobEnded);
    QCOMPARE(page.awaitingReview(), QString("round-1"));
    QVERIFY(page.panel()->continueAction()->isVisible() && page.panel()->continueAction()->isEnabled());
    QVERIFY(!page.panel()->runAllAction()->isEnabled());
    // A hook that refuses (nothing committed) keeps the pause.
    page.commit_hook = [](const std::string&) { return false; };
    page.panel()->continueAction()->trigger();
    QVERIFY(!page.isRunning());
    page.commit_hook = [&page](const std::string& stage) {
      return gui::TrainingPage::markSelectionCommitted(*page.workspace(), stage);
    };
    QCOMPARE(int(runAction(page.panel()->continueAction(), ended)), int(JobOutcome::Finished));
    QVERIFY(page.awaitingReview().isEmpty());
    QVERIFY(page.workspace()->isComplete("final"));
    QVERIFY(!loadSelectionFile(review / "round-1/selection.json").tau_from_config);
    // The committed selection is the configured one: the same pseudo-labels, the same round.
    for (const char* file : {"pseudo_labels.json", "model_final.pt", "eval.json"}) {
      QVERIFY2(readFile(review / "round-1" / file) == readFile(path("headless").toStdString() + "/round-1/" + file), file);
    }
  }

  void newProjectDialogChecksAndCreatesLikeInit() {
    widgets::NewProjectDialog dialog;
    ProjectInputs in;
    in.workspace = path("created").toStdString();
    in.synthetic_images = world_.toStdString() + "/synthetic/images";
    in.synthetic_annotations = world_.toStdString() + "/synthetic/nope.json";
    in.unlabeled_frames = world_.toStdString() + "/unlabeled/JPEGImages";
    in.unlabeled_videos = world_.toStdString() + "/unlabeled/videos.json";
    in.device = "cpu";
    dialog.setInputs(in);
    QSignalSpy checked(&dialog, &widgets::NewProjectDialog::checked);
    dialog.findChild<QPushButton*>("create")->click();
    QVERIFY(waitFor([&] { return checked.count() == 1; }, 20000));
    QCOMPARE(checked.at(0).at(0).toBool(), false);
    const QString shown = dialog.findChild<QLabel*>("problems")->text();
    QVERIFY2(shown.contains("synthetic/nope.json") && shown.contains("no such file"), qPrintable(shown));
    QVERIFY(!fs::exists(in.workspace));
    QVERIFY(dialog.findChild<QLabel*>("headlessCommand")->text().contains("--headless init"));

    in.synthetic_annotations = world_.toStdString() + "/synthetic/pseudo_masks.json";
    dialog.setInputs(in);
    dialog.findChild<QPushButton*>("create")->click();
    QVERIFY(waitFor([&] { return checked.count() == 2; }, 20000));
    QVERIFY2(checked.at(1).at(0).toBool(), qPrintable(dialog.findChild<QLabel*>("problems")->text()));
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    gui::TrainingPage page;
    QSignalSpy opened(&page, &gui::TrainingPage::workspaceOpened);
    QVERIFY(page.createProject(dialog.inputs()));
    QCOMPARE(opened.count(), 1);
    QVERIFY(page.panel()->runStage1Action()->isEnabled());
    QVERIFY(!page.panel()->apPlot()->isVisibleTo(page.panel()));  // no validation set
    // `init` with the arguments the dialog shows makes the same project.yaml.
    ProjectInputs twin = dialog.inputs();
    twin.workspace = path("created-headless").toStdString();
    QStringList args;
    for (const std::string& arg : headlessInitArguments(twin)) args << QString::fromStdString(arg);
    const CliRun r = cli(args);
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QCOMPARE(readFile(twin.workspace / "project.yaml"), readFile(in.workspace / "project.yaml"));
  }

  void aFolderOfVideoFilesIsImportedAsAJob() {
    const fs::path clips = path("clips").toStdString();
    fs::create_directories(clips);
    QVERIFY(autoqvis::testing::writeSyntheticVideo(clips / "walk.avi", {}));
    ProjectInputs in;
    in.workspace = path("from-videos").toStdString();
    in.synthetic_images = world_.toStdString() + "/synthetic/images";
    in.synthetic_annotations = world_.toStdString() + "/synthetic/pseudo_masks.json";
    in.unlabeled_video_folder = clips;
    in.device = "cpu";
    gui::TrainingPage page;
    QSignalSpy opened(&page, &gui::TrainingPage::workspaceOpened);
    QSignalSpy ended(&page, &gui::TrainingPage::jobEnded);
    QVERIFY(page.createProject(in));
    QVERIFY(waitFor([&] { return ended.count() == 1; }, 60000));
    QCOMPARE(int(outcomeOf(ended, 0)), int(JobOutcome::Finished));
    QCOMPARE(opened.count(), 1);
    const Config& config = page.workspace()->config();
    QCOMPARE(loadYtvisDataset(resolveDataPath(config, config.data.unlabeled_videos)).videos.at(0).file_names.size(),
             size_t(8));
    // `import-videos` with the arguments the dialog shows writes the same list.
    ProjectInputs twin = in;
    twin.workspace = path("from-videos-headless").toStdString();
    QStringList args;
    for (const std::string& arg : headlessImportArguments(twin)) args << QString::fromStdString(arg);
    const CliRun r = cli(args);
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QCOMPARE(readFile(importedVideosRoot(twin) / "videos.json"), readFile(importedVideosRoot(in) / "videos.json"));
  }

  void stageOneStartsFromTheInitialWeights() {
    // data.initial_weights (the dialog's "Initial weights"), relative to data.root like every data path.
    const QString weights = QDir(world_).relativeFilePath(path("headless") + "/initial/model_final.pth");
    const CliRun r = cli(QStringList{"--headless", "run", "--workspace", path("warm"), "--until", "initial"} + sets() +
                         QStringList{"--set", "initial_training.max_iter=1", "--set", "data.initial_weights=" + weights});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("initial weights: " + world_ + "/" + weights), qPrintable(r.err));
  }

  void aFolderWithoutProjectIsNotAWorkspace() {
    const CliRun r = cli({world_});  // the desktop app's command line (offscreen, as the test runs)
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.contains("without project.yaml"), qPrintable(r.err));
  }

  void theToyWorldIsCreatedAsAJob() {
    ProjectInputs in;
    in.workspace = path("toy").toStdString();
    in.toy_world = true;
    in.device = "cpu";
    gui::TrainingPage page;
    QSignalSpy opened(&page, &gui::TrainingPage::workspaceOpened);
    QSignalSpy ended(&page, &gui::TrainingPage::jobEnded);
    QVERIFY(page.createProject(in));
    QVERIFY(page.isRunning());
    QVERIFY(waitFor([&] { return ended.count() == 1; }, 120000));
    QCOMPARE(int(outcomeOf(ended, 0)), int(JobOutcome::Finished));
    QCOMPARE(opened.count(), 1);
    QVERIFY(fs::exists(in.workspace / "data/unlabeled/videos.json"));
    QVERIFY(fs::exists(in.workspace / "data/world.yaml"));
    QVERIFY(page.panel()->runAllAction()->isEnabled());
  }

 private:
  QTemporaryDir root_;
  QString world_;
};

QTEST_MAIN(TestTrainingGui)
#include "test_training_gui.moc"
