// The controller contract on every long job of the engine: stopped from another thread in the middle of
// its work, execute() reports exactly one outcome, "stopped" (never "failed"), the events arrive in the
// order started, progress..., ended, and the files on disk are consistent (a trainer's checkpoint, no
// half-written toy world JSON, predictions only of whole videos). A failure is "failed" with its message.
// LibTorch first: Qt's `slots` keyword macro would break its headers.
#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core/config/config.h"
#include "core/config/presets.h"
#include "core/eval/ytvis_eval.h"
#include "core/infer/prediction_job.h"
#include "core/toyworld/toy_world_writer.h"
#include "core/train/stage_trainer_setup.h"
#include "core/util/stage_files.h"
#include "tests/support/toy_config.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

// Stops a controller from a second thread once its progress reaches `trigger_done`: the job's thread
// waits in its progress callback until the other thread has asked for the stop, so the stop lands
// mid-run on every machine, however fast.
class StopFromAnotherThread {
 public:
  StopFromAnotherThread(Controller& job, int64_t trigger_done, std::string stage = {})
      : job_(job), trigger_done_(trigger_done), stage_(std::move(stage)) {
    job.setStopToken(token_);
    JobEvents events;
    events.started = [this](const std::string&) { log_.push_back("started"); };
    events.progress = [this](const Progress& p) { onProgress(p); };
    events.ended = [this](const JobResult& r) { log_.push_back(outcomeName(r.outcome)); };
    job.setEvents(events);
    stopper_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return triggered_; });
      token_.requestStop();
      stop_sent_ = true;
      changed_.notify_all();
    });
  }
  ~StopFromAnotherThread() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      triggered_ = true;  // release the stopper if the job never triggered it
    }
    changed_.notify_all();
    stopper_.join();
  }
  JobResult run() { return job_.execute(); }
  const std::vector<std::string>& log() const { return log_; }

 private:
  void onProgress(const Progress& p) {
    if (log_.empty() || log_.back() != "progress") log_.push_back("progress");
    if (p.done < trigger_done_ || (!stage_.empty() && p.stage != stage_)) return;
    std::unique_lock<std::mutex> lock(mutex_);
    triggered_ = true;
    changed_.notify_all();
    changed_.wait(lock, [this] { return stop_sent_; });
  }

  Controller& job_;
  int64_t trigger_done_;
  std::string stage_;
  StopToken token_;
  std::thread stopper_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool triggered_ = false, stop_sent_ = false;
  std::vector<std::string> log_;
};

const std::vector<std::string> kStoppedLog = {"started", "progress", "stopped"};

}  // namespace

class TestControllerStop : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    torch::set_num_threads(2);
    config_ = test::tinyStage1Config(root() / "data");
    ToyWorldWriter writer(config_.toy_world, config_.data.root);
    QCOMPARE(int(writer.execute().outcome), int(JobOutcome::Finished));
  }

  void toyWorldWriterStopsWithoutJson() {
    ToyWorldWriter writer(config_.toy_world, root() / "stopped-world");
    StopFromAnotherThread stop(writer, 1, "unlabeled videos");
    QCOMPARE(int(stop.run().outcome), int(JobOutcome::Stopped));
    QCOMPARE(stop.log(), kStoppedLog);
    // The JSON files are the commit: none exists, so nothing points at missing frames.
    QVERIFY(fs::exists(root() / "stopped-world" / "synthetic" / "images"));
    QVERIFY(!fs::exists(root() / "stopped-world" / "unlabeled" / "videos.json"));
    QVERIFY(!fs::exists(root() / "stopped-world" / "synthetic" / "pseudo_masks.json"));
  }

  void trainerStopsWithACheckpoint() {
    Config config = config_;
    config.initial_training.max_iter = 50;
    Trainer trainer(trainerSetupForStage(config, TrainingStage::Initial, root() / "train"));
    // The first report (iteration 1) is always published, so the stop lands right after it.
    StopFromAnotherThread stop(trainer, 1);
    QCOMPARE(int(stop.run().outcome), int(JobOutcome::Stopped));
    QCOMPARE(stop.log(), kStoppedLog);
    QCOMPARE(trainer.iteration(), int64_t{1});
    const StageFiles files{root() / "train"};
    QVERIFY(fs::exists(files.checkpoints() / "last_checkpoint"));
    QVERIFY(!fs::exists(files.weightsPth()));  // only a finished stage has final weights
  }

  void predictionJobKeepsWholeVideosOnly() {
    VideoMaskFormer model(config_.model);
    VideoPredictor predictor(model, config_.model);
    const YtvisDataset val = loadYtvisDataset(resolveDataPath(config_, config_.data.val_videos));
    PredictionJob job(predictor, videosOfDataset(val, resolveDataPath(config_, config_.data.val_frames)));
    StopFromAnotherThread stop(job, 1, "videos");
    QCOMPARE(int(stop.run().outcome), int(JobOutcome::Stopped));
    QCOMPARE(stop.log(), kStoppedLog);
    QCOMPARE(job.videosCompleted(), int64_t{1});
    QCOMPARE(job.results().size(), size_t(10));  // the first video's ten instances, nothing of the second
    for (const YtvisTrack& track : job.results()) QCOMPARE(track.video_id, val.videos[0].id);
  }

  void evaluatorStops() {
    const YtvisDataset val = loadYtvisDataset(resolveDataPath(config_, config_.data.val_videos));
    std::vector<YtvisTrack> results = val.annotations;
    for (YtvisTrack& track : results) track.score = 1.0;
    YtvisEvalOptions options;
    options.threads = 1;
    YtvisEvaluator evaluator(val, results, options);
    StopFromAnotherThread stop(evaluator, 1);
    QCOMPARE(int(stop.run().outcome), int(JobOutcome::Stopped));
    QCOMPARE(stop.log(), kStoppedLog);
  }

  void failureIsFailedWithTheMessage() {
    Config config = config_;
    config.initial_training.max_iter = 5;
    config.data.synthetic_annotations = "synthetic/missing.json";
    // The recipe reads the source eagerly: a missing file fails before any job starts, naming it.
    try {
      trainerSetupForStage(config, TrainingStage::Initial, root() / "never");
      QFAIL("a missing synthetic annotation file must fail");
    } catch (const Error& e) {
      QVERIFY(QString(e.what()).contains("missing.json"));
    }
    // A job whose run() throws ends "failed" with the message, once.
    ToyWorldWriter writer(config_.toy_world, "/proc/no-such-dir/world");
    std::vector<JobResult> ended;
    JobEvents events;
    events.ended = [&](const JobResult& r) { ended.push_back(r); };
    writer.setEvents(events);
    const JobResult result = writer.execute();
    QCOMPARE(int(result.outcome), int(JobOutcome::Failed));
    QCOMPARE(ended.size(), size_t(1));
    QVERIFY(!result.message.empty());
  }

  void stopSurvivesContextWrappers() {
    // A StoppedError thrown inside code that adds file context stays a stop.
    try {
      try {
        throw StoppedError();
      } catch (const Error& e) {
        throw e.withContext(inFile("x"));
      }
    } catch (const StoppedError&) {
      return;
    } catch (...) {
    }
    QFAIL("the stop was turned into something else");
  }

 private:
  fs::path root() const { return fs::path(dir_.path().toStdString()); }
  QTemporaryDir dir_;
  Config config_;
};

QTEST_APPLESS_MAIN(TestControllerStop)
#include "test_controller_stop.moc"
