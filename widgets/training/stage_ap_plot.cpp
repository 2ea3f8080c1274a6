#include "widgets/training/stage_ap_plot.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

#include "widgets/training/plot_legend.h"

namespace autoqvis::widgets {

namespace {

QCPBars* makeBars(QCustomPlot* plot, const QString& name, const QColor& colour) {
  auto* bars = new QCPBars(plot->xAxis, plot->yAxis);
  bars->setName(name);
  bars->setPen(Qt::NoPen);
  bars->setBrush(colour);
  bars->setWidth(0.35);
  return bars;
}

}  // namespace

StageApPlot::StageApPlot(QWidget* parent) : QWidget(parent), plot_(new QCustomPlot(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
  plot_->setObjectName("stageApPlot");
  plot_->setMinimumHeight(120);
  plot_->yAxis->setLabel("validation (%)");
  placeLegendAbove(plot_);
  setScores({});
}

void StageApPlot::setScore(const StageScore& score) {
  std::vector<StageScore> scores = scores_;
  auto it = std::find_if(scores.begin(), scores.end(), [&](const StageScore& s) { return s.stage == score.stage; });
  if (it == scores.end()) scores.push_back(score);
  else *it = score;
  setScores(std::move(scores));
}

void StageApPlot::setScores(std::vector<StageScore> scores) {
  scores_ = std::move(scores);
  plot_->clearPlottables();
  plot_->clearItems();
  QCPBars* ap50 = makeBars(plot_, "AP50", QColor(31, 119, 180));
  QCPBars* ap = makeBars(plot_, "AP", QColor(255, 127, 14));
  auto* group = new QCPBarsGroup(plot_);
  ap50->setBarsGroup(group);
  ap->setBarsGroup(group);
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  double top = 10;
  for (size_t i = 0; i < scores_.size(); ++i) {
    const double x = static_cast<double>(i + 1);
    ticker->addTick(x, scores_[i].stage);
    // A stage evaluated with no valid AP (-1: nothing to match) is drawn as 0 and labelled "–".
    for (auto [bars, value] : {std::pair{ap50, scores_[i].AP50}, std::pair{ap, scores_[i].AP}}) {
      if (!value) continue;
      const double percent = std::max(0.0, *value * 100);
      bars->addData(x, percent);
      top = std::max(top, percent);
      auto* label = new QCPItemText(plot_);
      label->position->setCoords(x + (bars == ap50 ? -0.18 : 0.18), percent);
      label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
      label->setText(*value < 0 ? "–" : QString::number(percent, 'f', 1));
      label->setFont(QFont(font().family(), 7));
    }
  }
  plot_->xAxis->setTicker(ticker);
  plot_->xAxis->setRange(0.4, std::max<double>(scores_.size(), 1) + 0.6);
  plot_->yAxis->setRange(0, top * 1.2);
  // A hidden plot (a dock tab in the back) has no paint buffer yet: it replots when it is shown.
  if (plot_->isVisible() && !plot_->size().isEmpty()) plot_->replot(QCustomPlot::rpQueuedReplot);
}

void StageApPlot::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (!plot_->size().isEmpty()) plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace autoqvis::widgets
