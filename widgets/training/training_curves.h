// The training curves of a workspace's stages (QCustomPlot): the total loss and each loss term (ce,
// mask, dice, maskiou) and the learning rate (right axis). Either all stages on one time axis, one after
// the other with their boundaries marked, or overlaid by iteration, one colour per stage. A smoothing
// weight (debiased EMA, as TensorBoard's slider) applies to the losses; hovering shows the values at the
// iteration under the cursor. Live metrics are appended and replotted at most every 100 ms.
#pragma once

#include <QStringList>
#include <QTimer>
#include <QWidget>
#include <vector>

#include "core/util/iteration_metrics.h"

class QCustomPlot;
class QShowEvent;
class QCPGraph;
class QMouseEvent;

namespace autoqvis::widgets {

/// One stage's logged iterations, in order.
struct StageCurve {
  QString stage;
  int64_t max_iter = 0;
  std::vector<IterationMetrics> points;
};

class TrainingCurves : public QWidget {
  Q_OBJECT

 public:
  enum class Layout { Sequential, Overlaid };
  /// The series drawn: "total_loss", the loss terms and "lr".
  static QStringList seriesNames();

  explicit TrainingCurves(QWidget* parent = nullptr);

  /// Replaces every stage (e.g. the history of a reopened workspace).
  void setStages(std::vector<StageCurve> stages);
  /// Appends a live point to its stage (a new stage goes after the others); replots soon.
  void append(const IterationMetrics& metrics);
  void clear();
  void setLayout(Layout layout);
  Layout layout() const { return layout_; }
  /// 0 (raw) .. 0.99.
  void setSmoothing(double weight);
  double smoothing() const { return smoothing_; }
  /// A logarithmic loss axis (the default); the LR axis stays linear.
  void setLogScale(bool on);
  bool logScale() const { return log_scale_; }

  const std::vector<StageCurve>& stages() const { return stages_; }
  QCustomPlot* plot() const { return plot_; }
  /// The text the hover shows at this x (plot coordinates); for tests.
  QString valuesAt(double x) const;
  /// Graphs drawn now (for tests): one per series and stage (a series a stage does not log is left out).
  int graphCount() const;

 protected:
  /// A plot changed while hidden (a dock tab in the back) is drawn when it is shown.
  void showEvent(QShowEvent* event) override;

 private:
  void scheduleReplot();
  void rebuild();
  void addSeries(const QString& series, int stage_index, const QColor& colour, Qt::PenStyle style, bool legend);
  double stageOffset(size_t stage_index) const;
  void showHover(QMouseEvent* event);

  QCustomPlot* plot_ = nullptr;
  QTimer replot_timer_;
  std::vector<StageCurve> stages_;
  Layout layout_ = Layout::Sequential;
  double smoothing_ = 0.6;
  bool log_scale_ = true;
};

}  // namespace autoqvis::widgets
