// The review of a real two-round workspace, as a person uses it in the window. The workspace is made by
// `run` on a tiny toy world, except that the two rounds' predictions on the unlabeled videos are the
// videos' ground truth with made-up confidences and predicted IoUs (a model trained for seconds predicts
// empty masks, which would leave nothing to review); everything else (selection, training, evaluation,
// the final stage) is the real run. Then: the workspace opens with its rounds, the validation set and the stills; moving tau gives the
// counters that `pseudo-labels` prints at that tau; a decision made with the keyboard is undone and
// redone; the commit writes the same pseudo-label file as `pseudo-labels --overrides` on the committed
// selection file, the engine honours the decision (the rejected object is not in the round state), and
// a headless `run` then trains the round on it.
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtTest>
#include <filesystem>
#include <regex>
#include <set>

#include "app/gui/main_window.h"
#include "app/gui/review_page.h"
#include "app/gui/training_page.h"
#include "app/gui/viewer_page.h"
#include "core/selftrain/round_selection.h"
#include "core/util/atomic_file.h"
#include "core/util/log.h"
#include "core/util/stage_files.h"
#include "tests/support/cli_process.h"
#include "widgets/document/track_list_model.h"
#include "widgets/review/quality_panel.h"
#include "widgets/review/review_session.h"
#include "widgets/review/round_comparison.h"
#include "widgets/review/workspace_panel.h"
#include "widgets/training/training_panel.h"
#include "widgets/viewer/label_marks.h"
#include "widgets/viewer/video_view.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

testing::CliRun cli(const QStringList& args) { return testing::runAndSignal(AUTOQVIS_BINARY, args, 0, {}); }

// "accepted 3 objects / 5 frames / 2 videos / 9 labels" of `pseudo-labels`.
std::vector<size_t> printedCounts(const QString& out) {
  std::smatch m;
  const std::string text = out.toStdString();
  if (!std::regex_search(text, m, std::regex(R"(accepted (\d+) objects / (\d+) frames / (\d+) videos / (\d+) labels)")))
    return {};
  return {std::stoul(m[1]), std::stoul(m[2]), std::stoul(m[3]), std::stoul(m[4])};
}

// The unlabeled videos' ground truth as a stage's predictions: per track a confidence and per frame a
// predicted IoU that vary with the track, the frame and `round`, so that Q spreads over [0, 1].
void writeGroundTruthPredictions(const QString& world, const fs::path& workspace, const std::string& stage, int round) {
  const YtvisDataset truth = loadYtvisDataset(world.toStdString() + "/unlabeled/videos_gt.json");
  std::vector<YtvisTrack> predictions;
  for (const YtvisTrack& track : truth.annotations) {
    YtvisTrack p = track;
    p.id = 0;
    // Some tracks lag the object by a frame or two, so that their true IoU varies.
    const int lag = static_cast<int>((track.id + round) % 3);
    for (int f = track.numFrames() - 1; f >= lag && lag > 0; --f) p.segmentations[f] = track.segmentations[f - lag];
    p.computeAreasAndBoxes();
    p.score = 0.35 + 0.6 * static_cast<double>((track.id * 5 + round * 3) % 11) / 10.0;
    auto& pred_iou = p.frame_values["pred_iou"];
    for (int f = 0; f < track.numFrames(); ++f) pred_iou.push_back(0.3 + 0.7 * ((track.id * 3 + f * 7 + round) % 10) / 9.0);
    predictions.push_back(std::move(p));
  }
  std::sort(predictions.begin(), predictions.end(), [](const YtvisTrack& a, const YtvisTrack& b) {
    return a.video_id != b.video_id ? a.video_id < b.video_id : *a.score > *b.score;
  });
  Workspace ws = Workspace::open(workspace);
  saveYtvisResults(predictions, StageFiles{ws.stageDir(stage)}.predictions());
  ws.markStep(stage, "predicted", {{"model", "ground truth (test)"}});
}

// Waits until the review shows a snapshot at `tau` with the current overrides.
bool waitForSnapshot(widgets::ReviewSession* session, double tau) {
  return QTest::qWaitFor([&] {
    const auto snapshot = session->snapshot();
    return snapshot && snapshot->tau == tau && snapshot->request > 0;
  }, 20000);
}

}  // namespace

class TestReviewWorkspace : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    setStderrLogging(false);
    QVERIFY(root_.isValid());
    world_ = root_.path() + "/world";
    workspace_ = root_.path() + "/project";
    testing::CliRun make = cli({"--headless", "make-toy-data", "--out", world_, "--progress", "none", "--set",
                                "toy_world.num_images=6", "--set", "toy_world.num_unlabeled_videos=4", "--set",
                                "toy_world.num_val_videos=2", "--set", "toy_world.video_frames=6"});
    QVERIFY2(make.exit_code == 0, qPrintable(make.err));
    for (const char* until : {"initial", "round-1"}) {
      testing::CliRun run = cli(project() << "--until" << until);
      QVERIFY2(run.exit_code == 0, qPrintable(run.err));
      writeGroundTruthPredictions(world_, workspace_.toStdString(), until == std::string("initial") ? "round-1" : "round-2",
                                  until == std::string("initial") ? 0 : 1);
    }
    testing::CliRun run = cli(project());
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
  }

  void aTwoRoundWorkspaceOpens() {
    gui::MainWindow window;
    window.show();
    QSignalSpy ready(window.review(), &gui::ReviewPage::reviewReady);
    window.openWorkspace(workspace_);
    QVERIFY(ready.wait(30000) || ready.count() > 0);
    // The latest stage opens first; every round that predicted can be chosen.
    QCOMPARE(ready.front().front().toString(), QString("final"));
    auto* combo = window.findChild<QComboBox*>("reviewStage");
    QCOMPARE(combo->count(), 3);
    QCOMPARE(combo->itemText(0), QString("round-1"));
    QCOMPARE(combo->itemText(1), QString("round-2"));
    widgets::WorkspacePanel* panel = window.review()->workspacePanel();
    QCOMPARE(panel->stageTable()->rowCount(), 4);  // initial, round-1, round-2, final
    QStringList items;
    for (int i = 0; i < panel->itemTree()->topLevelItemCount(); ++i) items << panel->itemTree()->topLevelItem(i)->text(0);
    QVERIFY2(items.contains("Validation set: ground truth"), qPrintable(items.join("; ")));
    QVERIFY(items.contains("Validation set: round-2 predictions"));
    QVERIFY(items.contains("Synthetic stills with their pseudo-masks"));
    // Another round from the selector; its labels are the viewer's tracks, in review mode.
    QSignalSpy again(window.review(), &gui::ReviewPage::reviewReady);
    window.review()->openStage("round-2");
    QVERIFY(again.wait(30000));
    QCOMPARE(window.review()->stage(), QString("round-2"));
    const auto catalog = window.review()->session()->catalog();
    QVERIFY(catalog && !catalog->round_labels.empty());
    QVERIFY(window.viewer()->trackModel()->reviewMode());
    QCOMPARE(window.document(), catalog->document.get());
    QVERIFY(window.viewer()->trackModel()->rowCount() > 0);
    // The ground truth of the unlabeled videos is known here: the scatter has the true IoU.
    QVERIFY(!catalog->true_iou.empty());
    QVERIFY(std::isfinite(catalog->rho_quality_true));
    // The rounds compared: every stage that predicted, its Q distribution and what it accepted.
    const std::vector<widgets::RoundQuality> rounds = widgets::compareRounds(workspace_.toStdString(), 50);
    QCOMPARE(rounds.size(), size_t{3});
    const Workspace workspace = Workspace::open(workspace_.toStdString());
    for (const widgets::RoundQuality& round : rounds) {
      double total = 0;
      for (double f : round.fraction) total += f;
      QVERIFY2(round.labels == 0 || std::abs(total - 1.0) < 1e-9, round.stage.c_str());
      QCOMPARE(round.objects, workspace.stepDetails(round.stage, "selected")->value("objects", size_t{0}));
    }
    QCOMPARE(rounds[1].labels, catalog->round_labels.size());  // round-2, as the review counts its labels
    // Export of the stage under review: the pseudo-labels it committed, as `export` writes them.
    const QString exported = root_.path() + "/exported_round2.json";
    window.review()->exportStage(false, exported);
    QVERIFY(QTest::qWaitFor([&] { return QFileInfo::exists(exported); }, 20000));
    QVERIFY(readFile(exported.toStdString()) ==
            readFile(fs::path(workspace_.toStdString()) / "round-2" / "pseudo_labels.json"));
  }

  void movingTauGivesTheCountersOfPseudoLabels() {
    gui::MainWindow window;
    QVERIFY(reviewStage(window, "round-2"));
    const StageFiles files{fs::path(workspace_.toStdString()) / "round-2"};
    const QString previous = workspace_ + "/round-1/round_state.json";
    QDoubleSpinBox* spin = window.review()->qualityPanel()->spinBox();
    // Taus across the round's Q, where the selection changes.
    std::vector<float> qualities;
    const auto catalog = window.review()->session()->catalog();
    for (uint32_t e : catalog->round_labels) qualities.push_back(catalog->quality[e]);
    std::sort(qualities.begin(), qualities.end());
    QVERIFY(qualities.size() > 10);
    std::set<size_t> distinct_labels;
    for (double quantile : {0.0, 0.05, 0.1, 0.2, 0.4, 0.7}) {
      const double tau = std::round(qualities[static_cast<size_t>(quantile * (qualities.size() - 1))] * 1000.0) / 1000.0;
      spin->setValue(tau);  // as a person types it
      QVERIFY(waitForSnapshot(window.review()->session(), tau));
      const SelectionResult::Counts counts = window.review()->session()->snapshot()->counts;
      const QString out = root_.path() + "/tau.json";
      testing::CliRun labels = cli({"--headless", "pseudo-labels", "--dataset", world_ + "/unlabeled/videos.json",
                                    "--results", QString::fromStdString(files.predictions().string()),
                                    "--previous-state", previous, "--tau", QString::number(tau, 'g', 17), "--out", out,
                                    "--state-out", root_.path() + "/tau_state.json", "--set",
                                    "selftrain.score_threshold=0", "--progress", "none"});
      QVERIFY2(labels.exit_code == 0, qPrintable(labels.err));
      const std::vector<size_t> printed = printedCounts(labels.out);
      QVERIFY2(printed.size() == 4, qPrintable(labels.out));
      QCOMPARE(counts.objects, printed[0]);
      QCOMPARE(counts.frames, printed[1]);
      QCOMPARE(counts.videos, printed[2]);
      QCOMPARE(counts.labels, printed[3]);
      QVERIFY(window.review()->qualityPanel()->counters()->text().contains(QString("%1 labels").arg(counts.labels)));
      distinct_labels.insert(counts.labels);
      qInfo("tau %.3f: %zu labels / %zu objects / %zu frames / %zu videos", tau, counts.labels, counts.objects,
            counts.frames, counts.videos);
    }
    QVERIFY2(distinct_labels.size() >= 3, "tau should change the selection");
  }

  void aDecisionIsUndoneCommittedAndHonoured() {
    gui::MainWindow window;
    QVERIFY(reviewStage(window, "round-2"));
    gui::ReviewPage* review = window.review();
    widgets::ReviewSession* session = review->session();
    review->qualityPanel()->spinBox()->setValue(0.3);
    QVERIFY(waitForSnapshot(session, 0.3));
    // The first track of a video that has an accepted label.
    const auto catalog = session->catalog();
    int video = -1, row = -1;
    for (size_t v = 0; v < catalog->video_slots.size() && video < 0; ++v) {
      for (size_t r = 0; r < catalog->video_slots[v].size() && video < 0; ++r) {
        const widgets::ReviewSlot& slot = catalog->slot_info[catalog->video_slots[v][r]];
        for (int f = 0; f < slot.frames; ++f) {
          if (isAccepted(session->snapshot()->statuses[slot.first_entry + f]) && !slot.previous) {
            video = static_cast<int>(v), row = static_cast<int>(r);
            break;
          }
        }
      }
    }
    QVERIFY2(video >= 0, "no accepted prediction at tau 0.3");
    QVERIFY(window.selectVideo(video));
    window.selectTrack(row);
    const widgets::ReviewSlot slot = catalog->slot_info[catalog->slotAt(video, row)];

    // Backspace rejects the selected track.
    window.activateWindow();
    QTest::keyClick(&window, Qt::Key_Backspace);
    QCOMPARE(session->overrides().size(), size_t{1});
    QVERIFY(QTest::qWaitFor([&] { return session->snapshot()->overrides_version == 1; }, 20000));
    const auto acceptedFrames = [&] {
      int accepted = 0;
      for (int f = 0; f < slot.frames; ++f) accepted += isAccepted(session->snapshot()->statuses[slot.first_entry + f]);
      return accepted;
    };
    QCOMPARE(acceptedFrames(), 0);
    for (int f = 0; f < slot.frames; ++f) {
      const LabelStatus status = session->snapshot()->statuses[slot.first_entry + f];
      QVERIFY(status == LabelStatus::Empty || status == LabelStatus::RejectedByPerson);
    }
    QCOMPARE(window.videoView()->labelMarks()->at(row, catalog->frameOf(slot.first_entry)) == widgets::LabelMarks::Accepted,
             false);
    // Undo restores the automatic selection, redo the decision.
    review->undoStack()->undo();
    QVERIFY(session->overrides().empty());
    QVERIFY(QTest::qWaitFor([&] { return session->snapshot()->overrides_version == 2; }, 20000));
    QVERIFY(acceptedFrames() > 0);
    review->undoStack()->redo();
    QCOMPARE(session->overrides().size(), size_t{1});
    const Override decision = session->overrides().front();
    QCOMPARE(decision.object_id, slot.id);
    QCOMPARE(decision.decision.decision, Decision::Reject);
    QCOMPARE(decision.decision.replaced, std::string("accepted"));
    QCOMPARE(decision.decision.round, 1);
    QVERIFY(!decision.decision.user.empty() && !decision.decision.time.empty());

    // round-2 has trained on its earlier selection: committing discards that, and says so first.
    QSignalSpy failed(session, &widgets::ReviewSession::commitFailed);
    review->commit(false);
    QVERIFY(failed.wait(20000));
    QCOMPARE(failed.front().at(1).toBool(), true);
    QSignalSpy committed(review, &gui::ReviewPage::committed);
    review->commit(true);
    QVERIFY(committed.wait(30000));
    QVERIFY(review->undoStack()->isClean());

    const fs::path dir = workspace_.toStdString();
    const StageFiles files{dir / "round-2"};
    const SelectionFile written = loadSelectionFile(files.selection());
    QCOMPARE(written.tau, 0.3);
    QVERIFY(!written.tau_from_config);
    QCOMPARE(written.overrides.size(), size_t{1});
    QCOMPARE(written.overrides.front().object_id, slot.id);
    QCOMPARE(written.overrides.front().decision.user, decision.decision.user);
    // The same file as `pseudo-labels --overrides` on the committed selection.
    const QString out = root_.path() + "/cli_labels.json", state_out = root_.path() + "/cli_state.json";
    testing::CliRun labels = cli({"--headless", "pseudo-labels", "--dataset", world_ + "/unlabeled/videos.json",
                                  "--results", QString::fromStdString(files.predictions().string()), "--previous-state",
                                  workspace_ + "/round-1/round_state.json", "--overrides",
                                  QString::fromStdString(files.selection().string()), "--out", out, "--state-out",
                                  state_out, "--set", "selftrain.score_threshold=0", "--progress", "none"});
    QVERIFY2(labels.exit_code == 0, qPrintable(labels.err));
    QVERIFY(readFile(files.pseudoLabels()) == readFile(out.toStdString()));
    QVERIFY(readFile(files.roundState()) == readFile(state_out.toStdString()));
    // The engine honours the decision: the rejected prediction is in no object of the new state.
    const Workspace workspace = Workspace::open(dir);
    const RoundInputs inputs = loadRoundInputs(workspace, "round-2");
    const RoundState state = loadRoundState(files.roundState(), inputs.dataset);
    const YtvisTrack& rejected = inputs.results[static_cast<size_t>(
        SelectionIndex::build(inputs.view(), roundSelectionOptions(workspace, "round-2", 0.3)).objectSlots()[catalog->slotAt(video, row)].origin)];
    for (const StateVideo& v : state.videos) {
      if (v.id != rejected.video_id) continue;
      for (const StateObject& object : v.objects) {
        bool same = true;
        for (size_t f = 0; f < object.frames.size(); ++f) {
          const auto& mask = rejected.segmentations[f];
          same = same && (object.frames[f].segmentation.has_value() == mask.has_value()) &&
                 (!mask || object.frames[f].segmentation->counts == mask->counts);
        }
        QVERIFY2(!same, "the rejected prediction is still an object of the round state");
      }
    }
    // The stage forgot its training and every later stage; a headless run trains on the commit.
    QVERIFY(workspace.hasStep("round-2", "selected"));
    QVERIFY(!workspace.hasStep("round-2", "trained"));
    QVERIFY(!workspace.hasStep("final", "predicted"));
    testing::CliRun rerun = cli(project());
    QVERIFY2(rerun.exit_code == 0, qPrintable(rerun.err));
    const Workspace after = Workspace::open(dir);
    QVERIFY(after.isComplete("round-2"));
    QVERIFY(after.isComplete("final"));
    QCOMPARE(after.stepDetails("round-2", "selected")->value("overrides", 0), 1);
    QVERIFY(readFile(files.pseudoLabels()) == readFile(out.toStdString()));  // the run kept the committed set
  }

  // The review pause in the window: the run stops after round 1's pseudo-labels and the review opens;
  // the person moves tau and rejects a track; Continue commits that through the review and the round
  // then trains on it.
  void continueTrainsOnTheReviewersSelection() {
    const QString paused = root_.path() + "/paused";
    testing::CliRun stage1 = cli(project(paused) << "--set" << "selftrain.review_before_training=true" << "--until" << "initial");
    QVERIFY2(stage1.exit_code == 0, qPrintable(stage1.err));
    writeGroundTruthPredictions(world_, paused.toStdString(), "round-1", 0);
    gui::MainWindow window;
    window.show();
    gui::ReviewPage* review = window.review();
    QSignalSpy ready(review, &gui::ReviewPage::reviewReady);
    QSignalSpy ended(window.training(), &gui::TrainingPage::jobEnded);
    QSignalSpy asked(window.training(), &gui::TrainingPage::reviewRequested);
    window.openWorkspace(paused);
    QVERIFY(ready.wait(30000));
    window.training()->panel()->runNextRoundAction()->trigger();
    QVERIFY(ended.wait(60000));
    QCOMPARE(asked.count(), 1);  // paused after round-1's pseudo-labels
    QVERIFY(QTest::qWaitFor([&] { return ready.count() >= 2; }, 30000));  // the review reopened on them
    QCOMPARE(review->stage(), QString("round-1"));
    review->qualityPanel()->spinBox()->setValue(0.4);
    QVERIFY(waitForSnapshot(review->session(), 0.4));
    QVERIFY(window.selectVideo(0));
    window.selectTrack(0);
    QVERIFY(review->decideObject(Decision::Reject));
    QVERIFY(review->hasUncommittedChanges());
    const int runs_before = ended.count();
    window.training()->panel()->continueAction()->trigger();
    QVERIFY(QTest::qWaitFor([&] { return ended.count() > runs_before; }, 60000));
    QCOMPARE(ended.back().at(0).value<JobResult>().outcome, JobOutcome::Finished);
    const Workspace workspace = Workspace::open(paused.toStdString());
    QVERIFY(workspace.hasStep("round-1", "trained"));
    const SelectionFile selection = loadSelectionFile(StageFiles{workspace.dir() / "round-1"}.selection());
    QCOMPARE(selection.tau, 0.4);
    QVERIFY(!selection.tau_from_config);
    QCOMPARE(selection.overrides.size(), size_t{1});
    QCOMPARE(workspace.stepDetails("round-1", "selected")->value("overrides", 0), 1);
    QVERIFY(!review->hasUncommittedChanges());
  }

 private:
  // Shows the window on the test's workspace with `stage` open for review; false if it did not open.
  bool reviewStage(gui::MainWindow& window, const QString& stage) const {
    window.show();
    QSignalSpy ready(window.review(), &gui::ReviewPage::reviewReady);
    window.openWorkspace(workspace_);
    if (!ready.wait(30000)) return false;
    window.review()->openStage(stage);
    return ready.wait(30000);
  }
  QStringList project(const QString& workspace) const {
    QStringList args = {"--headless", "run", "--workspace", workspace, "--progress", "none"};
    for (const char* set : {"runtime.device=cpu", "augmentation.loader_workers=1", "initial_training.max_iter=8",
                            "initial_training.checkpoint_period=0", "round_training.max_iter=4",
                            "round_training.checkpoint_period=0", "selftrain.rounds=2", "selftrain.score_threshold=0",
                            "selftrain.quality_threshold=0"}) {
      args << "--set" << set;
    }
    return args << "--set" << "data.root=" + world_;
  }
  QStringList project() const { return project(workspace_); }

  QTemporaryDir root_;
  QString world_, workspace_;
};

QTEST_MAIN(TestReviewWorkspace)
#include "test_review_workspace.moc"
