#include "widgets/review/quality_panel.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QSlider>
#include <QTabWidget>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace autoqvis::widgets {
namespace {

constexpr int kSliderSteps = 1000;
constexpr double kGrabPixels = 6;  // how near the tau line a press grabs it
const QColor kAccepted(60, 170, 90);
const QColor kLeftOut(170, 170, 175);
const QColor kTau(220, 60, 40);

QCustomPlot* makePlot(const QString& name) {
  auto* plot = new QCustomPlot;
  plot->setObjectName(name);
  plot->setMinimumHeight(160);
  plot->setNoAntialiasingOnDrag(true);
  plot->axisRect()->setupFullAxesBox(false);
  return plot;
}

QCPBars* makeBars(QCustomPlot* plot, const QColor& color, const QString& name) {
  auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
  bars->setName(name);
  bars->setWidthType(QCPBars::wtPlotCoords);
  bars->setPen(QPen(color.darker(130)));
  bars->setBrush(color);
  return bars;
}

QCPItemStraightLine* makeVerticalLine(QCustomPlot* plot, const QPen& pen) {
  auto* line = new QCPItemStraightLine(plot);
  line->setPen(pen);
  line->point1->setCoords(0, 0);
  line->point2->setCoords(0, 1);
  return line;
}

}  // namespace

QualityPanel::QualityPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("qualityPanel");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  tabs_ = new QTabWidget;
  tabs_->addTab(buildHistogramTab(), "Histogram");
  tabs_->addTab(buildScatterTab(), "Quality vs IoU");
  tabs_->addTab(buildRoundsTab(), "Rounds");
  layout->addWidget(tabs_);
  connect(tabs_, &QTabWidget::currentChanged, this, [this] { emit tabShown(); });
  setTau(tau_);
}

QWidget* QualityPanel::buildHistogramTab() {
  auto* tab = new QWidget;
  auto* layout = new QVBoxLayout(tab);
  layout->setContentsMargins(2, 2, 2, 2);
  scope_ = new QComboBox;
  scope_->setObjectName("histogramScope");
  scope_->addItems({"Whole set", "Current video"});
  connect(scope_, &QComboBox::currentIndexChanged, this, [this] { emit scopeChanged(); });
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel("Q of the round's labels:"));
  top->addWidget(scope_, 1);
  layout->addLayout(top);

  histogram_ = makePlot("qualityHistogram");
  rejected_bars_ = makeBars(histogram_, kLeftOut, "left out");
  accepted_bars_ = makeBars(histogram_, kAccepted, "accepted");
  rejected_bars_->moveAbove(accepted_bars_);
  histogram_->xAxis->setRange(0, 1);
  histogram_->xAxis->setLabel("Q = predicted IoU × s");
  histogram_->yAxis->setLabel("labels");
  histogram_->legend->setVisible(true);
  histogram_->legend->setFont(font());
  histogram_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  committed_line_ = makeVerticalLine(histogram_, QPen(QColor(90, 90, 90), 1, Qt::DashLine));
  tau_line_ = makeVerticalLine(histogram_, QPen(kTau, 2));
  tau_label_ = new QCPItemText(histogram_);
  tau_label_->setPositionAlignment(Qt::AlignTop | Qt::AlignLeft);
  tau_label_->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
  tau_label_->setColor(kTau);
  tau_label_->setPadding(QMargins(4, 2, 0, 0));
  histogram_->setToolTip("Drag the red line to move τ; click a bar to list its labels");
  histogram_->setMouseTracking(true);
  connect(histogram_, &QCustomPlot::mousePress, this, &QualityPanel::histogramPress);
  connect(histogram_, &QCustomPlot::mouseMove, this, &QualityPanel::histogramMove);
  connect(histogram_, &QCustomPlot::mouseRelease, this, &QualityPanel::histogramRelease);
  layout->addWidget(histogram_, 4);

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel("τ"));
  slider_ = new QSlider(Qt::Horizontal);
  slider_->setObjectName("tauSlider");
  slider_->setRange(0, kSliderSteps);
  slider_->setPageStep(kSliderSteps / 20);
  spin_ = new QDoubleSpinBox;
  spin_->setObjectName("tauSpinBox");
  spin_->setRange(0.0, 1.0);
  spin_->setDecimals(3);
  spin_->setSingleStep(0.01);
  spin_->setToolTip("[ and ] move τ by 0.01");
  spin_->installEventFilter(this);
  connect(slider_, &QSlider::valueChanged, this, [this](int value) {
    if (!updating_) userTau(static_cast<double>(value) / kSliderSteps);
  });
  connect(spin_, &QDoubleSpinBox::valueChanged, this, [this](double value) {
    if (!updating_) userTau(value);
  });
  controls->addWidget(slider_, 1);
  controls->addWidget(spin_);
  layout->addLayout(controls);

  counters_ = new QLabel;
  counters_->setObjectName("reviewCounters");
  counters_->setTextFormat(Qt::RichText);
  counters_->setWordWrap(true);
  layout->addWidget(counters_);
  bin_title_ = new QLabel("Click a bar to list its labels.");
  layout->addWidget(bin_title_);
  bin_list_ = new QListWidget;
  bin_list_->setObjectName("binLabels");
  bin_list_->setUniformItemSizes(true);
  connect(bin_list_, &QListWidget::currentRowChanged, this, [this](int row) {
    if (row >= 0 && !updating_) emit binLabelChosen(row);
  });
  layout->addWidget(bin_list_, 1);
  return tab;
}

QWidget* QualityPanel::buildScatterTab() {
  auto* tab = new QWidget;
  auto* layout = new QVBoxLayout(tab);
  layout->setContentsMargins(2, 2, 2, 2);
  scatter_axis_ = new QComboBox;
  scatter_axis_->setObjectName("scatterAxis");
  scatter_axis_->addItems({"Quality Q", "Confidence s"});
  connect(scatter_axis_, &QComboBox::currentIndexChanged, this, [this] { emit scatterAxisChanged(); });
  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel("x axis:"));
  top->addWidget(scatter_axis_, 1);
  layout->addLayout(top);
  scatter_ = makePlot("qualityScatter");
  for (const auto& [color, name] : {std::pair{kLeftOut, "left out"}, std::pair{kAccepted, "accepted"}}) {
    QCPGraph* graph = scatter_->addGraph();
    graph->setName(name);
    graph->setLineStyle(QCPGraph::lsNone);
    graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, 4));
  }
  scatter_->xAxis->setRange(0, 1);
  scatter_->yAxis->setRange(0, 1);
  scatter_tau_line_ = makeVerticalLine(scatter_, QPen(kTau, 1.5));
  scatter_->legend->setVisible(true);
  scatter_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
  layout->addWidget(scatter_, 1);
  scatter_caption_ = new QLabel;
  scatter_caption_->setObjectName("scatterCaption");
  scatter_caption_->setWordWrap(true);
  scatter_caption_->setTextFormat(Qt::RichText);
  layout->addWidget(scatter_caption_);
  return tab;
}

QWidget* QualityPanel::buildRoundsTab() {
  auto* tab = new QWidget;
  auto* layout = new QVBoxLayout(tab);
  layout->setContentsMargins(2, 2, 2, 2);
  rounds_plot_ = makePlot("roundHistograms");
  rounds_plot_->xAxis->setRange(0, 1);
  rounds_plot_->xAxis->setLabel("Q");
  rounds_plot_->yAxis->setLabel("share of the round's labels");
  rounds_plot_->legend->setVisible(true);
  rounds_plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
  layout->addWidget(rounds_plot_, 3);
  sizes_plot_ = makePlot("roundSizes");
  sizes_plot_->yAxis->setLabel("accepted");
  sizes_plot_->legend->setVisible(true);
  sizes_plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignLeft);
  layout->addWidget(sizes_plot_, 2);
  return tab;
}

// A spin box takes every printable key for its text, so [ and ] would never reach their shortcuts
// while it has the focus; they are not part of a number anyway.
bool QualityPanel::eventFilter(QObject* watched, QEvent* event) {
  if (watched == spin_ && event->type() == QEvent::ShortcutOverride) {
    const int key = static_cast<QKeyEvent*>(event)->key();
    if (key == Qt::Key_BracketLeft || key == Qt::Key_BracketRight) {
      event->ignore();
      return true;
    }
  }
  return QWidget::eventFilter(watched, event);
}

void QualityPanel::setTau(double tau) {
  tau_ = std::clamp(tau, 0.0, 1.0);
  updating_ = true;
  slider_->setValue(static_cast<int>(std::lround(tau_ * kSliderSteps)));
  spin_->setValue(tau_);
  updating_ = false;
  moveTauLines();
}

void QualityPanel::setCommittedTau(double tau) {
  committed_tau_ = tau;
  moveTauLines();
}

void QualityPanel::userTau(double tau) {
  tau = std::clamp(tau, 0.0, 1.0);
  if (tau == tau_) return;
  setTau(tau);
  emit tauChanged(tau_);
}

void QualityPanel::moveTauLines() {
  tau_line_->point1->setCoords(tau_, 0);
  tau_line_->point2->setCoords(tau_, 1);
  committed_line_->setVisible(committed_tau_ >= 0 && committed_tau_ != tau_);
  committed_line_->point1->setCoords(committed_tau_, 0);
  committed_line_->point2->setCoords(committed_tau_, 1);
  tau_label_->position->setCoords(tau_, 0.0);  // x in plot coordinates, y at the top of the axis rect
  tau_label_->setText(QString("τ %1").arg(tau_, 0, 'f', 2));
  scatter_tau_line_->point1->setCoords(tau_, 0);
  scatter_tau_line_->point2->setCoords(tau_, 1);
  scatter_tau_line_->setVisible(scatterShowsQuality());
  // Queued: many tau changes between two frames cost one repaint.
  histogram_->replot(QCustomPlot::rpQueuedReplot);
}

void QualityPanel::setHistogram(const std::vector<uint32_t>& total, const std::vector<uint32_t>& accepted) {
  const int bins = static_cast<int>(total.size());
  QVector<double> keys(bins), accepted_values(bins), rejected_values(bins);
  double top = 1;
  for (int b = 0; b < bins; ++b) {
    keys[b] = (b + 0.5) / bins;
    accepted_values[b] = accepted[b];
    rejected_values[b] = total[b] > accepted[b] ? total[b] - accepted[b] : 0;
    top = std::max(top, static_cast<double>(total[b]));
  }
  const double width = bins > 0 ? 1.0 / bins : 0.02;
  accepted_bars_->setWidth(width);
  rejected_bars_->setWidth(width);
  accepted_bars_->setData(keys, accepted_values, true);
  rejected_bars_->setData(keys, rejected_values, true);
  histogram_->yAxis->setRange(0, top * 1.12);
  histogram_->replot(QCustomPlot::rpQueuedReplot);
}

void QualityPanel::setCounters(const QString& html) { counters_->setText(html); }

void QualityPanel::setBinLabels(const QString& title, const QStringList& lines) {
  updating_ = true;
  bin_title_->setText(title);
  bin_list_->clear();
  bin_list_->addItems(lines);
  updating_ = false;
}

bool QualityPanel::showsCurrentVideo() const { return scope_->currentIndex() == 1; }
bool QualityPanel::scatterShowsQuality() const { return scatter_axis_->currentIndex() == 0; }
bool QualityPanel::isScatterVisible() const { return tabs_->currentIndex() == 1; }

void QualityPanel::setScatter(const ScatterPoints& points, const QString& x_title, const QString& y_title,
                              const QString& caption) {
  scatter_->graph(0)->setData(points.x_out, points.y_out);
  scatter_->graph(1)->setData(points.x, points.y);
  scatter_->xAxis->setLabel(x_title);
  scatter_->yAxis->setLabel(y_title);
  scatter_caption_->setText(caption);
  scatter_tau_line_->setVisible(scatterShowsQuality());
  scatter_->replot(QCustomPlot::rpQueuedReplot);
}

void QualityPanel::setRounds(const std::vector<RoundSeries>& rounds) {
  rounds_plot_->clearGraphs();
  sizes_plot_->clearPlottables();
  static const QColor palette[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                                   QColor(214, 39, 40), QColor(148, 103, 189), QColor(140, 86, 75)};
  QVector<double> ticks;
  QVector<QString> names;
  QVector<double> objects, frames;
  double top = 0.05, size_top = 1;
  for (size_t r = 0; r < rounds.size(); ++r) {
    const RoundSeries& series = rounds[r];
    QCPGraph* graph = rounds_plot_->addGraph();
    graph->setName(series.stage);
    graph->setLineStyle(QCPGraph::lsStepCenter);
    graph->setPen(QPen(palette[r % 6], 2));
    const int bins = static_cast<int>(series.fraction.size());
    for (int b = 0; b < bins; ++b) {
      graph->addData((b + 0.5) / bins, series.fraction[b]);
      top = std::max(top, series.fraction[b]);
    }
    ticks.push_back(static_cast<double>(r + 1));
    names.push_back(QString("%1\nτ %2").arg(series.stage).arg(series.tau, 0, 'f', 2));
    objects.push_back(static_cast<double>(series.objects));
    frames.push_back(static_cast<double>(series.frames));
    size_top = std::max(size_top, static_cast<double>(std::max(series.objects, series.frames)));
  }
  rounds_plot_->yAxis->setRange(0, top * 1.15);
  auto* frame_bars = makeBars(sizes_plot_, QColor(120, 170, 220), "frames");
  auto* object_bars = makeBars(sizes_plot_, kAccepted, "objects");
  frame_bars->setWidth(0.35);
  object_bars->setWidth(0.35);
  QVector<double> left, right;
  for (double t : ticks) left.push_back(t - 0.18), right.push_back(t + 0.18);
  object_bars->setData(left, objects);
  frame_bars->setData(right, frames);
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  ticker->addTicks(ticks, names);
  sizes_plot_->xAxis->setTicker(ticker);
  sizes_plot_->xAxis->setRange(0.4, ticks.size() + 0.6);
  sizes_plot_->yAxis->setRange(0, size_top * 1.2);
  rounds_plot_->replot(QCustomPlot::rpQueuedReplot);
  sizes_plot_->replot(QCustomPlot::rpQueuedReplot);
}

void QualityPanel::histogramPress(QMouseEvent* event) {
  const double x = event->position().x();
  if (std::abs(x - histogram_->xAxis->coordToPixel(tau_)) <= kGrabPixels) {
    dragging_ = true;
    return;
  }
  const double coord = histogram_->xAxis->pixelToCoord(x);
  if (coord < 0 || coord > 1 || !histogram_->axisRect()->rect().contains(event->position().toPoint())) return;
  const int bins = accepted_bars_->data()->size();
  if (bins > 0) emit binClicked(std::clamp(static_cast<int>(coord * bins), 0, bins - 1));
}

void QualityPanel::histogramMove(QMouseEvent* event) {
  const double x = event->position().x();
  if (dragging_) {
    userTau(std::round(histogram_->xAxis->pixelToCoord(x) * kSliderSteps) / kSliderSteps);
    return;
  }
  const bool near = std::abs(x - histogram_->xAxis->coordToPixel(tau_)) <= kGrabPixels;
  histogram_->setCursor(near ? Qt::SizeHorCursor : Qt::ArrowCursor);
}

void QualityPanel::histogramRelease(QMouseEvent*) { dragging_ = false; }

}  // namespace autoqvis::widgets
