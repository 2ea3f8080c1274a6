// The running job's progress under the training curves: a bar and "round-1 train iterations 120 / 300 ·
// 2.4 it/s · ETA 1:15", from the Progress snapshots the job runner queues.
#pragma once

#include <QWidget>

#include "core/util/progress.h"

class QLabel;
class QProgressBar;

namespace autoqvis::widgets {

class TrainingProgress : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingProgress(QWidget* parent = nullptr);
  void show(const Progress& progress);
  /// Idle: an empty bar and `message`.
  void reset(const QString& message);
  QString text() const;
  int value() const;

  /// "1:15", "1:02:03"; "?" for an unknown (negative) time.
  static QString formatDuration(double seconds);

 private:
  QProgressBar* bar_ = nullptr;
  QLabel* label_ = nullptr;
};

}  // namespace autoqvis::widgets
