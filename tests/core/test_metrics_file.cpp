// metrics.jsonl as the GUI reads it while the trainer writes it: a partial last line is skipped, a
// resumed stage's repeated iterations replace the earlier ones, a malformed line names file and line;
// the curves' smoothing is TensorBoard's debiased EMA.
#include <QtTest>
#include <cmath>
#include <filesystem>

#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include "core/util/metrics_file.h"
#include "core/util/series_smoothing.h"

using namespace autoqvis;

namespace {

std::string line(int iteration, double loss) {
  return "{\"stage\":\"round-1\",\"iteration\":" + std::to_string(iteration) +
         ",\"max_iter\":6,\"total_loss\":" + std::to_string(loss) +
         ",\"lr\":0.0001,\"time\":0.3,\"data_time\":0.01,\"skipped_steps\":0,\"loss_ce\":0.5,\"loss_dice\":1.5}\n";
}

}  // namespace

class TestMetricsFile : public QObject {
  Q_OBJECT

 private slots:
  void readsLinesAndSkipsThePartialLast() {
    const std::string text = line(1, 3.0) + line(2, 2.5) + "\n" + line(3, 2.0).substr(0, 20);
    const auto lines = parseMetricsLines(text, "m.jsonl");
    QCOMPARE(lines.size(), size_t(2));
    QCOMPARE(lines[1].iteration, int64_t{2});
    QCOMPARE(lines[1].total_loss, 2.5);
    QCOMPARE(lines[1].losses.at("loss_dice"), 1.5);
    QCOMPARE(lines[1].stage, std::string("round-1"));
  }

  void aResumedStageReplacesItsRepeatedIterations() {
    // Killed after iteration 3, resumed from the checkpoint at 2: iterations 3.. are logged again.
    const std::string text = line(1, 3) + line(2, 2.5) + line(3, 2.2) + line(3, 2.1) + line(4, 1.9);
    const auto lines = parseMetricsLines(text, "m.jsonl");
    QCOMPARE(lines.size(), size_t(4));
    QCOMPARE(lines[2].total_loss, 2.1);
    QCOMPARE(lines[3].iteration, int64_t{4});
  }

  void aMalformedLineNamesFileAndLine() {
    try {
      parseMetricsLines(line(1, 3) + "{\"iteration\": 2}\n", "round-1/metrics.jsonl");
      QFAIL("no error");
    } catch (const Error& e) {
      const QString message = e.what();
      QVERIFY2(message.contains("round-1/metrics.jsonl:2"), qPrintable(message));
    }
    try {
      parseMetricsLines("not json\n", "x.jsonl");
      QFAIL("no error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("x.jsonl:1"), e.what());
    }
  }

  void anAbsentFileHasNoLines() {
    QTemporaryDir dir;
    QVERIFY(loadMetricsFile(dir.path().toStdString() + "/none.jsonl").empty());
    const std::string path = dir.path().toStdString() + "/metrics.jsonl";
    writeFileAtomically(path, line(1, 3) + line(2, 2));
    QCOMPARE(loadMetricsFile(path).size(), size_t(2));
  }

  void smoothingIsADebiasedMovingAverage() {
    const std::vector<double> values = {4, 2, 6, 2};
    QCOMPARE(smoothSeries(values, 0), values);
    const auto constant = smoothSeries({3, 3, 3, 3}, 0.9);
    for (double v : constant) QVERIFY(std::abs(v - 3) < 1e-12);  // debiased: not pulled towards 0
    const auto smoothed = smoothSeries(values, 0.5);
    QCOMPARE(smoothed[0], 4.0);
    // (0.5*0.5*4 + 0.5*2) / (1 - 0.25) = 2 / 0.75
    QVERIFY(std::abs(smoothed[1] - 2.0 / 0.75) < 1e-12);
    const auto gaps = smoothSeries({1, NAN, 3}, 0.5);
    QVERIFY(std::isnan(gaps[1]));
    QVERIFY(std::isfinite(gaps[2]));
  }
};

QTEST_APPLESS_MAIN(TestMetricsFile)
#include "test_metrics_file.moc"
