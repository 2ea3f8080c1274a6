#include "widgets/training/training_curves.h"

#include <qcustomplot.h>

#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>
#include <limits>

#include "core/util/series_smoothing.h"
#include "widgets/training/plot_legend.h"

namespace autoqvis::widgets {

namespace {

const char* const kSeries[] = {"total_loss", "loss_ce", "loss_mask", "loss_dice", "loss_maskiou", "lr"};

QString shortName(const QString& series) {
  if (series == "total_loss") return "total";
  if (series == "lr") return "LR";
  return series.startsWith("loss_") ? series.mid(5) : series;
}

// The series' value at one logged iteration; NaN where the stage did not log it.
double valueOf(const IterationMetrics& m, const QString& series) {
  if (series == "total_loss") return m.total_loss;
  if (series == "lr") return m.lr;
  const auto it = m.losses.find(series.toStdString());
  return it == m.losses.end() ? std::numeric_limits<double>::quiet_NaN() : it->second;
}

QColor seriesColour(int index) {
  static const QColor colours[] = {QColor(20, 20, 20), QColor(31, 119, 180), QColor(255, 127, 14),
                                   QColor(44, 160, 44), QColor(214, 39, 40), QColor(128, 128, 128)};
  return colours[index % 6];
}

QColor stageColour(int index) {
  static const QColor colours[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                                   QColor(214, 39, 40),  QColor(148, 103, 189), QColor(140, 86, 75),
                                   QColor(227, 119, 194), QColor(188, 189, 34)};
  return colours[index % 8];
}

Qt::PenStyle seriesStyle(int index) {
  static const Qt::PenStyle styles[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine,
                                        Qt::DashDotDotLine, Qt::SolidLine};
  return styles[index % 6];
}

}  // namespace

QStringList TrainingCurves::seriesNames() {
  QStringList names;
  for (const char* s : kSeries) names << s;
  return names;
}

TrainingCurves::TrainingCurves(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  plot_->setObjectName("trainingCurvesPlot");
  plot_->setMinimumHeight(160);
  plot_->xAxis->setLabel("iteration");
  plot_->yAxis->setLabel("loss");
  plot_->yAxis2->setVisible(true);
  plot_->yAxis2->setLabel("learning rate");
  plot_->yAxis2->setNumberFormat("gbc");
  plot_->yAxis2->setNumberPrecision(2);
  placeLegendAbove(plot_);
  setLogScale(true);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->axisRect()->setRangeZoom(Qt::Horizontal);
  plot_->axisRect()->setRangeDrag(Qt::Horizontal);
  plot_->setNoAntialiasingOnDrag(true);
  connect(plot_, &QCustomPlot::mouseMove, this, &TrainingCurves::showHover);
  // Live metrics arrive every log_period iterations, possibly in bursts: replot at most 10 times a second.
  replot_timer_.setSingleShot(true);
  replot_timer_.setInterval(100);
  connect(&replot_timer_, &QTimer::timeout, this, &TrainingCurves::rebuild);
  rebuild();
}

void TrainingCurves::setStages(std::vector<StageCurve> stages) {
  stages_ = std::move(stages);
  rebuild();
}

void TrainingCurves::append(const IterationMetrics& metrics) {
  const QString stage = QString::fromStdString(metrics.stage);
  auto it = std::find_if(stages_.begin(), stages_.end(), [&](const StageCurve& s) { return s.stage == stage; });
  if (it == stages_.end()) {
    stages_.push_back({stage, metrics.max_iter, {}});
    it = std::prev(stages_.end());
  }
  it->max_iter = metrics.max_iter;
  // A resumed stage logs from its checkpoint again: the later points replace the earlier ones.
  while (!it->points.empty() && it->points.back().iteration >= metrics.iteration) it->points.pop_back();
  it->points.push_back(metrics);
  scheduleReplot();
}

void TrainingCurves::clear() { setStages({}); }

void TrainingCurves::setLayout(Layout layout) {
  layout_ = layout;
  plot_->xAxis->setLabel(layout == Layout::Sequential ? "iteration (stages one after another)" : "iteration");
  rebuild();
}

void TrainingCurves::setSmoothing(double weight) {
  smoothing_ = weight;
  scheduleReplot();
}

// The terms span three decades (maskiou ~0.1, total ~50): a log axis shows them all.
void TrainingCurves::setLogScale(bool on) {
  log_scale_ = on;
  plot_->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (on) {
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    plot_->yAxis->setNumberFormat("gb");
  } else {
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    plot_->yAxis->setNumberFormat("g");
  }
  scheduleReplot();
}

void TrainingCurves::scheduleReplot() {
  if (!replot_timer_.isActive()) replot_timer_.start();
}

int TrainingCurves::graphCount() const { return plot_->graphCount(); }

double TrainingCurves::stageOffset(size_t stage_index) const {
  if (layout_ == Layout::Overlaid) return 0;
  double offset = 0;
  for (size_t i = 0; i < stage_index && i < stages_.size(); ++i) {
    const int64_t last = stages_[i].points.empty() ? 0 : stages_[i].points.back().iteration;
    offset += static_cast<double>(std::max(stages_[i].max_iter, last));
  }
  return offset;
}

// One graph of `series` over one stage (each stage its own graph: no line joins two stages' schedules).
void TrainingCurves::addSeries(const QString& series, int stage_index, const QColor& colour, Qt::PenStyle style,
                               bool legend) {
  const bool lr = series == "lr";
  QCPGraph* graph = plot_->addGraph(plot_->xAxis, lr ? plot_->yAxis2 : plot_->yAxis);
  graph->setPen(QPen(colour, lr ? 1.2 : 1.6, style));
  const QString name = shortName(series);
  const StageCurve& stage = stages_[stage_index];
  graph->setName(layout_ == Layout::Sequential ? name : stage.stage + (series == "total_loss" ? "" : " " + name));
  std::vector<double> values;
  for (const IterationMetrics& m : stage.points) values.push_back(valueOf(m, series));
  if (!lr) values = smoothSeries(values, smoothing_);
  const double offset = stageOffset(stage_index);
  QVector<double> xs, ys;
  for (size_t k = 0; k < values.size(); ++k) {
    if (!std::isfinite(values[k])) continue;  // a term this stage does not log (the frozen quality head)
    xs << offset + stage.points[k].iteration;
    ys << values[k];
  }
  graph->setData(xs, ys, true);
  if (!legend) plot_->legend->removeItem(plot_->legend->itemCount() - 1);
}

void TrainingCurves::rebuild() {
  plot_->clearGraphs();
  plot_->clearItems();
  const QStringList series = seriesNames();
  if (layout_ == Layout::Sequential) {
    // One legend entry per series: its first stage's graph.
    std::vector<bool> listed(series.size(), false);
    for (size_t i = 0; i < stages_.size(); ++i) {
      for (int s = 0; s < series.size(); ++s) {
        const bool logged = std::any_of(stages_[i].points.begin(), stages_[i].points.end(),
                                        [&](const IterationMetrics& m) { return std::isfinite(valueOf(m, series[s])); });
        if (!logged) continue;
        addSeries(series[s], static_cast<int>(i), seriesColour(s), series[s] == "lr" ? Qt::DashLine : Qt::SolidLine,
                  !listed[s]);
        listed[s] = true;
      }
    }
  } else {
    for (size_t i = 0; i < stages_.size(); ++i) {
      for (int s = 0; s < series.size(); ++s) {
        const QColor colour = series[s] == "lr" ? stageColour(i).lighter(140) : stageColour(i);
        addSeries(series[s], static_cast<int>(i), colour, seriesStyle(s), s == 0);
      }
    }
  }
  // Stage boundaries and names (sequential), so each round's curve is read against its own schedule.
  for (size_t i = 0; layout_ == Layout::Sequential && i < stages_.size(); ++i) {
    const double x = stageOffset(i);
    if (i > 0) {
      auto* line = new QCPItemStraightLine(plot_);
      line->point1->setCoords(x, 0);
      line->point2->setCoords(x, 1);
      line->setPen(QPen(QColor(150, 150, 150), 1.5, Qt::SolidLine));  // not dashed: the LR is
    }
    auto* label = new QCPItemText(plot_);
    label->position->setTypeX(QCPItemPosition::ptPlotCoords);
    label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
    label->position->setCoords(x, 0);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->setPadding(QMargins(4, 2, 4, 2));
    label->setText(stages_[i].stage);
    label->setColor(QColor(90, 90, 90));
  }
  plot_->rescaleAxes();
  double total = 0;
  for (size_t i = 0; i < stages_.size(); ++i) total = std::max(total, stageOffset(i) + stages_[i].max_iter);
  plot_->xAxis->setRange(0, std::max(total, 1.0));
  if (!log_scale_ && plot_->yAxis->range().lower > 0) plot_->yAxis->setRangeLower(0);
  // Headroom above the highest curve, so it does not run along the frame.
  const QCPRange y = plot_->yAxis->range();
  plot_->yAxis->setRangeUpper(log_scale_ ? y.upper * 1.6 : y.upper * 1.08);
  plot_->yAxis2->setRangeLower(0);
  plot_->yAxis2->setRangeUpper(plot_->yAxis2->range().upper * 1.1);
  // A hidden plot (a dock tab in the back) has no paint buffer yet: it replots when it is shown.
  if (plot_->isVisible() && !plot_->size().isEmpty()) plot_->replot(QCustomPlot::rpQueuedReplot);
}

void TrainingCurves::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (!plot_->size().isEmpty()) plot_->replot(QCustomPlot::rpQueuedReplot);
}

QString TrainingCurves::valuesAt(double x) const {
  QStringList lines;
  for (size_t i = 0; i < stages_.size(); ++i) {
    const StageCurve& stage = stages_[i];
    if (stage.points.empty()) continue;
    const double offset = stageOffset(i);
    if (layout_ == Layout::Sequential && (x < offset || x > offset + std::max<double>(stage.max_iter, stage.points.back().iteration))) {
      continue;
    }
    // The logged iteration nearest to x.
    const IterationMetrics* nearest = &stage.points.front();
    for (const IterationMetrics& m : stage.points) {
      if (std::abs(offset + m.iteration - x) < std::abs(offset + nearest->iteration - x)) nearest = &m;
    }
    QString line = QString("<b>%1</b> iteration %2:").arg(stage.stage).arg(nearest->iteration);
    for (const QString& series : seriesNames()) {
      const double v = valueOf(*nearest, series);
      if (std::isfinite(v)) line += QString(" %1 %2").arg(shortName(series), QString::number(v, 'g', 4));
    }
    lines << line;
  }
  return lines.join("<br>");
}

void TrainingCurves::showHover(QMouseEvent* event) {
  const QString text = valuesAt(plot_->xAxis->pixelToCoord(event->pos().x()));
  if (text.isEmpty()) {
    QToolTip::hideText();
    return;
  }
  QToolTip::showText(event->globalPosition().toPoint(), text, plot_);
}

}  // namespace autoqvis::widgets
