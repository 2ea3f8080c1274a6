#include "widgets/jobs/job_runner.h"

#include <QCoreApplication>
#include <QMetaObject>

namespace autoqvis::widgets {

JobRunner::JobRunner(QObject* parent) : QObject(parent) {
  qRegisterMetaType<autoqvis::Progress>();
  qRegisterMetaType<autoqvis::IterationMetrics>();
  qRegisterMetaType<autoqvis::JobResult>();
  thread_.setObjectName("autoqvis-jobs");
  worker_context_ = new QObject;
  worker_context_->moveToThread(&thread_);
  connect(&thread_, &QThread::finished, worker_context_, &QObject::deleteLater);
  thread_.start();
}

JobRunner::~JobRunner() {
  stop_.requestStop();
  thread_.quit();  // the job in flight finishes first (it stops at its next check), then the loop ends
  thread_.wait();
}

bool JobRunner::start(std::shared_ptr<Controller> job) {
  if (running_ || !job) return false;
  running_ = true;
  job_ = std::move(job);
  stop_ = StopToken();
  // The events fire on the worker thread; emitting a signal there queues it to receivers in the GUI
  // thread, carrying a copy of each value.
  JobEvents events;
  events.started = [this](const std::string& name) { emit started(QString::fromStdString(name)); };
  events.progress = [this](const Progress& p) { emit progress(p); };
  events.metrics = [this](const IterationMetrics& m) { emit metrics(m); };
  events.artifact = [this](const std::filesystem::path& path) { emit artifact(QString::fromStdString(path.string())); };
  job_->setEvents(std::move(events));
  job_->setStopToken(stop_);
  std::shared_ptr<Controller> running = job_;
  QMetaObject::invokeMethod(worker_context_, [this, running] {
    const JobResult result = running->execute();
    QMetaObject::invokeMethod(this, [this, result] { finish(result); }, Qt::QueuedConnection);
  }, Qt::QueuedConnection);
  return true;
}

void JobRunner::requestStop() {
  if (running_) stop_.requestStop();
}

void JobRunner::stopAndWait() {
  requestStop();
  while (running_) {
    // The job posts its end to this (GUI) thread; process just that until it arrives.
    QCoreApplication::processEvents(QEventLoop::ExcludeUserInputEvents | QEventLoop::WaitForMoreEvents, 50);
  }
}

void JobRunner::finish(const JobResult& result) {
  running_ = false;
  job_.reset();
  emit ended(result);
}

}  // namespace autoqvis::widgets
