#include "widgets/common/log_view.h"

#include <QDateTime>

#include "core/util/log.h"

namespace autoqvis::widgets {

LogView::LogView(QWidget* parent) : QPlainTextEdit(parent), queue_(std::make_shared<Queue>()) {
  setReadOnly(true);
  setMaximumBlockCount(10000);  // bounded memory over long training runs
  setObjectName("logView");
  // The sink holds the queue, not the widget, so a late log call after destruction is harmless.
  std::weak_ptr<Queue> weak = queue_;
  sink_handle_ = addLogSink([weak](LogLevel level, const std::string& message) {
    if (auto queue = weak.lock()) {
      const QString line = QString("%1 [%2] %3")
                               .arg(QDateTime::currentDateTime().toString("hh:mm:ss"))
                               .arg(logLevelName(level))
                               .arg(QString::fromStdString(message));
      std::lock_guard<std::mutex> lock(queue->mutex);
      queue->lines.append(line);
    }
  });
  connect(&timer_, &QTimer::timeout, this, &LogView::flushPending);
  timer_.start(100);
}

LogView::~LogView() { removeLogSink(sink_handle_); }

void LogView::enqueue(const QString& line) {
  std::lock_guard<std::mutex> lock(queue_->mutex);
  queue_->lines.append(line);
}

void LogView::flushPending() {
  QStringList lines;
  {
    std::lock_guard<std::mutex> lock(queue_->mutex);
    lines.swap(queue_->lines);
  }
  if (!lines.isEmpty()) appendPlainText(lines.join('\n'));
}

}  // namespace autoqvis::widgets
