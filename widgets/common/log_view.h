// The log dock's view: shows everything the engine logs. Engine threads call the log sink from any
// thread; lines wait in a locked queue and a timer on the GUI thread appends them in batches, so
// a chatty worker never blocks on (or floods) the GUI.
#pragma once

#include <QPlainTextEdit>
#include <QStringList>
#include <QTimer>
#include <memory>
#include <mutex>

namespace autoqvis::widgets {

class LogView : public QPlainTextEdit {
  Q_OBJECT

 public:
  /// Registers itself as a log sink (core/util/log.h) for its lifetime.
  explicit LogView(QWidget* parent = nullptr);
  ~LogView() override;

  /// Thread-safe: queues one line; it appears at the next flush.
  void enqueue(const QString& line);
  /// Appends every queued line now (the timer calls this every 100 ms).
  void flushPending();

 private:
  struct Queue {
    std::mutex mutex;
    QStringList lines;
  };
  std::shared_ptr<Queue> queue_;
  QTimer timer_;
  int sink_handle_ = 0;
};

}  // namespace autoqvis::widgets
