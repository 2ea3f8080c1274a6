// The training dock's pieces on their own: the curves (sequential with stage boundaries, overlaid by
// iteration, smoothing, hover values, live points replacing a resumed stage's repeats), the AP-per-stage
// bars and the progress line with iterations/s and ETA.
#include <qcustomplot.h>

#include <QAction>
#include <QCheckBox>
#include <QSlider>
#include <QStandardPaths>
#include <QtTest>
#include <cmath>

#include "widgets/training/stage_ap_plot.h"
#include "widgets/training/training_curves.h"
#include "widgets/training/training_panel.h"
#include "widgets/training/training_progress.h"

using namespace autoqvis;
using namespace autoqvis::widgets;

namespace {

IterationMetrics point(const std::string& stage, int64_t iteration, int64_t max_iter, double loss) {
  IterationMetrics m;
  m.stage = stage;
  m.iteration = iteration;
  m.max_iter = max_iter;
  m.total_loss = loss;
  m.losses = {{"loss_ce", loss / 4}, {"loss_mask", loss / 4}, {"loss_dice", loss / 4}, {"loss_maskiou", loss / 4}};
  m.lr = 1e-4;
  return m;
}

StageCurve stage(const std::string& name, int64_t max_iter, int points) {
  StageCurve curve{QString::fromStdString(name), max_iter, {}};
  for (int i = 1; i <= points; ++i) curve.points.push_back(point(name, i * 10, max_iter, 5.0 - i * 0.1));
  return curve;
}

QCPGraph* graphNamed(QCustomPlot* plot, const QString& name) {
  for (int i = 0; i < plot->graphCount(); ++i) {
    if (plot->graph(i)->name() == name) return plot->graph(i);
  }
  return nullptr;
}

}  // namespace

class TestTrainingCurves : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

  void sequentialStagesFollowEachOther() {
    TrainingCurves curves;
    curves.setSmoothing(0);
    curves.setStages({stage("initial", 100, 10), stage("round-1", 300, 5)});
    QCOMPARE(curves.graphCount(), 2 * TrainingCurves::seriesNames().size());  // per series and stage
    QCOMPARE(curves.plot()->legend->itemCount(), TrainingCurves::seriesNames().size());  // once per series
    QCPGraph* total = graphNamed(curves.plot(), "total");
    QVERIFY(total);
    QCOMPARE(total->data()->size(), 10);
    // round-1's first point (iteration 10) sits after stage 1's 100 iterations, on its own graph.
    QCPGraph* round_total = curves.plot()->graph(TrainingCurves::seriesNames().size());
    QCOMPARE(round_total->data()->size(), 5);
    QCOMPARE(round_total->data()->constBegin()->key, 110.0);
    QCOMPARE(curves.plot()->xAxis->range().upper, 400.0);
    // The boundary line and the two stage names.
    QCOMPARE(curves.plot()->itemCount(), 3);
    const QString hover = curves.valuesAt(131);
    QVERIFY2(hover.contains("round-1") && hover.contains("iteration 30") && hover.contains("dice"), qPrintable(hover));
    QVERIFY(!hover.contains("initial"));
  }

  void overlaidStagesShareTheIterationAxis() {
    TrainingCurves curves;
    curves.setStages({stage("initial", 100, 10), stage("round-1", 300, 5)});
    curves.setLayout(TrainingCurves::Layout::Overlaid);
    QCOMPARE(curves.graphCount(), 2 * TrainingCurves::seriesNames().size());
    QCPGraph* round = graphNamed(curves.plot(), "round-1");
    QVERIFY(round);
    QCOMPARE(round->data()->constBegin()->key, 10.0);
    QCOMPARE(curves.plot()->legend->itemCount(), 2);  // one entry per stage
    const QString hover = curves.valuesAt(30);
    QVERIFY(hover.contains("initial") && hover.contains("round-1"));
  }

  void smoothingAndLivePoints() {
    TrainingCurves curves;
    curves.setSmoothing(0);
    curves.setStages({stage("initial", 100, 10)});
    curves.setSmoothing(0.9);
    QTest::qWait(150);  // the coalesced replot
    const double smoothed_last = (graphNamed(curves.plot(), "total")->data()->constEnd() - 1)->value;
    QVERIFY(smoothed_last > 4.0 + 1e-9);  // the raw last value is 4.0; the average lags above it
    // A resumed stage logs iterations 90.. again: they replace the earlier points.
    curves.append(point("initial", 90, 100, 1.0));
    curves.append(point("round-1", 10, 300, 2.0));
    QCOMPARE(curves.stages().size(), size_t(2));
    QCOMPARE(curves.stages()[0].points.size(), size_t(9));
    QCOMPARE(curves.stages()[0].points.back().total_loss, 1.0);
  }

  void apPlotHasTwoBarsPerEvaluatedStage() {
    StageApPlot plot;
    plot.setScores({{"initial", 0.054, 0.0095}, {"round-1", 0.081, 0.0136}, {"round-2", std::nullopt, std::nullopt}});
    QCOMPARE(plot.plot()->plottableCount(), 2);
    auto* ap50 = qobject_cast<QCPBars*>(plot.plot()->plottable(0));
    QCOMPARE(ap50->data()->size(), 2);
    QCOMPARE((ap50->data()->constBegin() + 1)->value, 8.1);
  }

  void progressShowsRateAndEta() {
    TrainingProgress progress;
    Progress p;
    p.job = "self-training";
    p.stage = "round-1 train iterations";
    p.done = 120;
    p.total = 300;
    p.rate = 2.4;
    p.eta_s = 75;
    progress.show(p);
    QCOMPARE(progress.text(), QString("round-1 train iterations · 2.40 it/s · ETA 1:15"));
    QCOMPARE(progress.value(), 400);
    QCOMPARE(TrainingProgress::formatDuration(3725), QString("1:02:05"));
    QCOMPARE(TrainingProgress::formatDuration(-1), QString("?"));
  }

  void panelActionsStartDisabled() {
    TrainingPanel panel;
    QVERIFY(!panel.runAllAction()->isEnabled());
    QVERIFY(!panel.continueAction()->isVisible());
    panel.overlayToggle()->setChecked(true);
    QCOMPARE(panel.curves()->layout(), TrainingCurves::Layout::Overlaid);
    panel.smoothingSlider()->setValue(30);
    QCOMPARE(panel.curves()->smoothing(), 0.3);
  }
};

QTEST_MAIN(TestTrainingCurves)
#include "test_training_curves.moc"
