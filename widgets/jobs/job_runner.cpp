#include "widgets/jobs/job_runner.h"

#include <QEventLoop>
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
  // The events fire on the worker thread. Each one is re-posted to this object, which lives in the GUI
  // thread, and emitted there with a copy of its value: every receiver (lambdas and QSignalSpy included)
  // then runs on the GUI thread, in the order the job reported, before `ended`. The job's own handlers
  // (set before start) still run first, on the worker.
  const JobEvents own = job_->events();
  auto post = [this](auto emitter) { QMetaObject::invokeMethod(this, emitter, Qt::QueuedConnection); };
  JobEvents events;
  events.started = [own, post, this](const std::string& name) {
    if (own.started) own.started(name);
    post([this, name] { emit started(QString::fromStdString(name)); });
  };
  events.progress = [own, post, this](const Progress& p) {
    if (own.progress) own.progress(p);
    post([this, p] { emit progress(p); });
  };
  events.metrics = [own, post, this](const IterationMetrics& m) {
    if (own.metrics) own.metrics(m);
    post([this, m] { emit metrics(m); });
  };
  events.artifact = [own, post, this](const std::filesystem::path& path) {
    if (own.artifact) own.artifact(path);
    post([this, text = QString::fromStdString(path.string())] { emit artifact(text); });
  };
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
  if (!running_) return;
  requestStop();
  // The job posts its end to this (GUI) thread; wait for it without spinning.
  QEventLoop loop;
  connect(this, &JobRunner::ended, &loop, &QEventLoop::quit);
  loop.exec(QEventLoop::ExcludeUserInputEvents);
}

void JobRunner::finish(const JobResult& result) {
  running_ = false;
  job_.reset();
  emit ended(result);
}

}  // namespace autoqvis::widgets
