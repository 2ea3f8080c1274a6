#include "widgets/training/training_progress.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <cmath>

namespace autoqvis::widgets {

TrainingProgress::TrainingProgress(QWidget* parent)
    : QWidget(parent), bar_(new QProgressBar), label_(new QLabel) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  bar_->setObjectName("trainingProgressBar");
  bar_->setMinimumWidth(180);
  bar_->setMaximumWidth(260);
  bar_->setTextVisible(true);
  label_->setObjectName("trainingProgressText");
  layout->addWidget(bar_);
  layout->addWidget(label_, 1);
  reset("Idle");
}

QString TrainingProgress::formatDuration(double seconds) {
  if (seconds < 0 || !std::isfinite(seconds)) return "?";
  const long s = std::lround(seconds);
  if (s >= 3600) return QString("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QChar('0')).arg(s % 60, 2, 10, QChar('0'));
  return QString("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
}

void TrainingProgress::show(const Progress& p) {
  if (p.total > 0) {
    bar_->setRange(0, 1000);
    bar_->setValue(static_cast<int>(1000.0 * p.done / p.total));
    bar_->setFormat(QString("%1 / %2").arg(p.done).arg(p.total));
  } else {
    bar_->setRange(0, 0);  // busy: the total is unknown
  }
  QString text = QString::fromStdString(p.stage);
  const bool iterations = text.endsWith("iterations");
  if (p.rate > 0) {
    text += iterations ? QString(" · %1 it/s").arg(p.rate, 0, 'f', p.rate < 10 ? 2 : 1)
                       : QString(" · %1/s").arg(p.rate, 0, 'f', p.rate < 10 ? 2 : 1);
  }
  if (p.total > 0) text += " · ETA " + formatDuration(p.eta_s);
  if (!p.message.empty()) text += " · " + QString::fromStdString(p.message);
  label_->setText(text);
}

void TrainingProgress::reset(const QString& message) {
  bar_->setRange(0, 1000);
  bar_->setValue(0);
  bar_->setFormat("");
  label_->setText(message);
}

QString TrainingProgress::text() const { return label_->text(); }
int TrainingProgress::value() const { return bar_->value(); }

}  // namespace autoqvis::widgets
