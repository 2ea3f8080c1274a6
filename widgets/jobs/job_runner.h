// Runs engine controllers (training, prediction, evaluation, ...) on one worker thread, at most one at
// a time, and turns their events into signals emitted on the GUI thread with value snapshots, so the GUI
// never waits on a job and never touches a model (COLMAP's ControllerThread). Destroying the runner
// stops a running job at its next check and joins the thread.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <memory>

#include "core/util/controller.h"

Q_DECLARE_METATYPE(autoqvis::Progress)
Q_DECLARE_METATYPE(autoqvis::IterationMetrics)
Q_DECLARE_METATYPE(autoqvis::JobResult)

namespace autoqvis::widgets {

class JobRunner : public QObject {
  Q_OBJECT

 public:
  explicit JobRunner(QObject* parent = nullptr);
  ~JobRunner() override;

  /// Starts `job` on the worker thread with a fresh stop token. Returns false, and starts nothing,
  /// while another job is running.
  bool start(std::shared_ptr<Controller> job);
  bool isRunning() const { return running_; }
  /// Asks the running job to stop at its next check (within one step); it then ends "stopped".
  void requestStop();
  /// Requests a stop and waits until the job has ended (e.g. when the window closes).
  void stopAndWait();

 signals:
  void started(const QString& job);
  void progress(const autoqvis::Progress& progress);
  void metrics(const autoqvis::IterationMetrics& metrics);
  void artifact(const QString& path);
  /// Exactly once per started job: finished, failed (with the message) or stopped.
  void ended(const autoqvis::JobResult& result);

 private:
  void finish(const JobResult& result);

  QThread thread_;
  QObject* worker_context_ = nullptr;  ///< lives in thread_; jobs are posted to it
  std::shared_ptr<Controller> job_;
  StopToken stop_;
  bool running_ = false;
};

}  // namespace autoqvis::widgets
