// The review's tau slider at a million per-frame labels, from the drag to the repainted views: for a
// series of tau values set as the slider sets them, the time until the worker's answer reaches the GUI
// thread (selection, per-label statuses and the histogram counts) and until the video view and the
// histogram have repainted. Also the worker's parts alone. Targets (issue #13): < 16 ms for the
// selection, < 33 ms to the repaint. Offscreen: QT_QPA_PLATFORM=offscreen build/tests/bench/bench_review_tau
#include <QApplication>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <qcustomplot.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "app/gui/main_window.h"
#include "app/gui/review_page.h"
#include "core/selftrain/label_status.h"
#include "core/util/log.h"
#include "tests/support/synthetic_round.h"
#include "widgets/review/quality_panel.h"
#include "widgets/review/review_session.h"
#include "widgets/viewer/video_view.h"

using namespace autoqvis;
using Clock = std::chrono::steady_clock;

namespace {

double ms(Clock::time_point since) { return std::chrono::duration<double, std::milli>(Clock::now() - since).count(); }

void summary(const char* what, std::vector<double> values) {
  std::sort(values.begin(), values.end());
  std::printf("  %-44s median %6.2f ms, p90 %6.2f ms, max %6.2f ms\n", what, values[values.size() / 2],
              values[values.size() * 9 / 10], values.back());
}

void workerParts(const RoundInputs& inputs) {
  SelectionOptions options;
  options.round = 1;
  const SelectionIndex index = SelectionIndex::build(inputs.view(), options);
  SelectionResult result;
  std::vector<LabelStatus> statuses;
  std::vector<double> evaluate, status;
  for (int i = 0; i < 30; ++i) {
    const double tau = 0.2 + 0.02 * i;
    auto start = Clock::now();
    index.evaluate(tau, result);
    evaluate.push_back(ms(start));
    start = Clock::now();
    computeLabelStatuses(index, result, statuses);
    status.push_back(ms(start));
  }
  std::printf("worker, %zu entries:\n", index.numEntries());
  summary("SelectionIndex::evaluate", evaluate);
  summary("computeLabelStatuses", status);
}

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QStandardPaths::setTestModeEnabled(true);
  setStderrLogging(false);
  const std::shared_ptr<RoundInputs> inputs = test::syntheticRoundInputs(4900);
  workerParts(*inputs);

  gui::MainWindow window;
  window.resize(1440, 900);
  window.show();
  QSignalSpy ready(window.review(), &gui::ReviewPage::reviewReady);
  SelectionOptions options;
  options.round = 1;
  window.review()->openRound(inputs, options, SelectionFile{1, 0.5, true, {}});
  if (!ready.wait(300000)) {
    std::fprintf(stderr, "the round did not open\n");
    return 1;
  }
  widgets::ReviewSession* session = window.review()->session();
  QDoubleSpinBox* spin = window.review()->qualityPanel()->spinBox();
  std::vector<double> answer, repaint;
  for (int i = 0; i < 40; ++i) {
    const auto start = Clock::now();
    spin->setValue(0.21 + 0.015 * i);
    const double tau = window.review()->qualityPanel()->tau();  // as the spin box rounded it
    while (!(session->snapshot() && session->snapshot()->tau == tau)) QCoreApplication::processEvents(QEventLoop::AllEvents, 1);
    answer.push_back(ms(start));
    window.videoView()->repaint();
    window.review()->qualityPanel()->histogramPlot()->replot(QCustomPlot::rpImmediateRefresh);
    repaint.push_back(ms(start));
  }
  std::printf("GUI, %zu labels of the round (%zu counted at the last tau):\n", session->catalog()->round_labels.size(),
              session->snapshot()->counts.labels);
  summary("tau set -> answer on the GUI thread", answer);
  summary("tau set -> video view and histogram repainted", repaint);
  return 0;
}
