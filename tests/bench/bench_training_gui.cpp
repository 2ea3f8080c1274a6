// The desktop app running the method: opens the main window on a workspace, runs every remaining stage
// from the Run menu's "Run all rounds" (the real job runner, the configuration's own thread count) and
// prints the largest gap between 10 ms timer ticks on the GUI thread while it trains, the iterations/s,
// and with --stop-at-iteration N the time from Stop to the job's end. With --screenshots DIR it saves
// the window with the training dock during the last round's training (the previous stages' curves
// beside it), the window at the end (AP per stage), and the New project dialog filled for the
// workspace's data.
//
//   bench_training_gui WORKSPACE [--screenshots DIR] [--stop-at-iteration N] [--shot-at-iteration N]
#include <torch/torch.h>

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTimer>
#include <cstdio>
#include <filesystem>

#include "app/gui/main_window.h"
#include "app/gui/training_page.h"
#include "core/selftrain/project_setup.h"
#include "widgets/jobs/job_runner.h"
#include "widgets/project/new_project_dialog.h"
#include "widgets/training/training_panel.h"

using namespace autoqvis;

namespace {

struct Options {
  QString workspace, screenshots;
  int stop_at = -1;
  int shot_at = 30;
};

// The gap meter's clock: a screenshot (grab + PNG encoding) is the bench's own work on the GUI thread,
// so the clock restarts after it instead of counting it as a stall.
QElapsedTimer tick;

void save(QWidget* widget, const QString& dir, const QString& name) {
  if (dir.isEmpty()) return;
  const QString file = dir + "/" + name;
  widget->grab().save(file);
  std::printf("saved %s\n", qPrintable(file));
  tick.invalidate();
}

void shootDialog(const Options& options, const Workspace& workspace) {
  const Config& config = workspace.config();
  ProjectInputs in;
  in.workspace = std::filesystem::path(options.workspace.toStdString()).parent_path() / "my-project";
  in.synthetic_images = resolveDataPath(config, config.data.synthetic_images);
  in.synthetic_annotations = resolveDataPath(config, config.data.synthetic_annotations);
  in.unlabeled_frames = resolveDataPath(config, config.data.unlabeled_frames);
  in.unlabeled_videos = resolveDataPath(config, config.data.unlabeled_videos);
  in.val_frames = resolveDataPath(config, config.data.val_frames);
  in.val_videos = resolveDataPath(config, config.data.val_videos);
  in.device = "cpu";
  // A mistake a person makes: the unlabeled videos' JSON (no annotations) chosen as the validation set.
  in.val_videos = resolveDataPath(config, config.data.unlabeled_videos);
  widgets::NewProjectDialog dialog;
  dialog.setInputs(in);
  dialog.show();
  dialog.adjustSize();
  QEventLoop wait;
  QObject::connect(&dialog, &widgets::NewProjectDialog::checked, &wait, &QEventLoop::quit);
  dialog.checkAndAccept();
  wait.exec();
  dialog.adjustSize();
  QApplication::processEvents();
  save(&dialog, options.screenshots, "new-project-dialog.png");
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName("AutoQ-VIS-bench");
  Options options;
  const QStringList args = QApplication::arguments();
  for (int i = 1; i < args.size(); ++i) {
    if (args[i] == "--screenshots" && i + 1 < args.size()) options.screenshots = args[++i];
    else if (args[i] == "--stop-at-iteration" && i + 1 < args.size()) options.stop_at = args[++i].toInt();
    else if (args[i] == "--shot-at-iteration" && i + 1 < args.size()) options.shot_at = args[++i].toInt();
    else options.workspace = args[i];
  }
  if (options.workspace.isEmpty()) {
    std::fprintf(stderr, "usage: bench_training_gui WORKSPACE [--screenshots DIR] [--stop-at-iteration N]\n");
    return 2;
  }
  gui::MainWindow window;
  window.resize(1600, 1000);
  window.show();
  window.openWorkspace(options.workspace);
  gui::TrainingPage* page = window.training();
  if (!page->workspace()) return 1;
  if (!options.screenshots.isEmpty()) shootDialog(options, *page->workspace());
  const std::string last_round = page->workspace()->stages().size() >= 2
                                     ? page->workspace()->stages()[page->workspace()->stages().size() - 2]
                                     : "initial";

  // The gap meter: the largest interval between 10 ms ticks while a job runs.
  double largest_gap_ms = 0;
  QTimer meter;
  meter.setInterval(10);
  QObject::connect(&meter, &QTimer::timeout, [&] {
    if (tick.isValid() && page->isRunning()) largest_gap_ms = std::max(largest_gap_ms, tick.nsecsElapsed() / 1e6);
    tick.start();
  });
  meter.start();

  QElapsedTimer stop_clock;
  bool shot = false;
  int64_t iterations = 0;
  double train_seconds = 0;
  QObject::connect(page->runner(), &widgets::JobRunner::metrics, [&](const IterationMetrics& m) {
    iterations += 1;
    train_seconds += m.iteration_time;
    if (m.stage == last_round && m.iteration >= options.shot_at && !shot) {
      shot = true;
      QTimer::singleShot(300, [&] {
        save(&window, options.screenshots, "window-training-round.png");
        save(window.findChild<QDockWidget*>("trainingDock"), options.screenshots, "training-dock-round.png");
      });
    }
    if (options.stop_at >= 0 && m.iteration >= options.stop_at && !stop_clock.isValid()) {
      stop_clock.start();
      page->panel()->stopAction()->trigger();
    }
  });
  QElapsedTimer run_clock;
  QObject::connect(page, &gui::TrainingPage::jobEnded, [&](const JobResult& result) {
    std::printf("job %s after %.1f s; largest event-loop gap while running: %.1f ms\n", outcomeName(result.outcome),
                run_clock.elapsed() / 1000.0, largest_gap_ms);
    if (stop_clock.isValid()) std::printf("stop: the job ended %lld ms after Stop\n", stop_clock.elapsed());
    if (!result.message.empty()) std::printf("%s\n", result.message.c_str());
    QTimer::singleShot(500, [&] {
      save(window.findChild<QDockWidget*>("trainingDock"), options.screenshots, "training-dock-done.png");
      app.quit();
    });
  });
  run_clock.start();
  page->panel()->runAllAction()->trigger();
  if (!page->isRunning()) {
    std::printf("nothing to run\n");
    return 0;
  }
  return app.exec();
}
