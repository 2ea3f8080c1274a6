// The review at scale: a round of about a million per-frame labels is opened in the window and tau is
// moved programmatically every 10 ms for two seconds, as a fast drag would. The window's event loop must
// keep answering (the largest gap between the ticks of a 10 ms timer stays under 50 ms): the selection
// runs on the review's worker, and the GUI thread only paints the current video and 50 histogram bars.
// The last answer shown is the last tau asked for (stale answers are dropped, the latest request wins),
// with the counts of the batch selection at that tau.
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTimer>
#include <QtTest>
#include <cstdio>

#include "app/gui/main_window.h"
#include "app/gui/review_page.h"
#include "core/util/log.h"
#include "tests/support/gap_meter.h"
#include "tests/support/synthetic_round.h"
#include "widgets/review/quality_panel.h"
#include "widgets/review/review_session.h"

using namespace autoqvis;

class TestReviewResponsiveness : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    setStderrLogging(false);
  }

  void tauMovesSmoothlyOverAMillionLabels() {
    QElapsedTimer clock;
    clock.start();
    const std::shared_ptr<RoundInputs> inputs = test::syntheticRoundInputs(4900);
    const double generate_s = clock.restart() / 1000.0;
    gui::MainWindow window;
    window.show();
    QSignalSpy ready(window.review(), &gui::ReviewPage::reviewReady);
    SelectionOptions options;
    options.round = 1;
    window.review()->openRound(inputs, options, SelectionFile{1, 0.5, true, {}});
    QVERIFY(ready.wait(180000));
    const double open_s = clock.restart() / 1000.0;
    widgets::ReviewSession* session = window.review()->session();
    // Every per-frame label of the merged round (previous-state objects and this round's predictions).
    const size_t labels = session->snapshot()->statuses.size();
    QVERIFY2(labels > 900000, qPrintable(QString::number(labels)));

    // A 10 ms heartbeat measures the event loop; another timer moves tau as a drag would.
    int step = 0;
    QTimer drag;
    drag.setTimerType(Qt::PreciseTimer);
    QObject::connect(&drag, &QTimer::timeout, [&] {
      window.review()->qualityPanel()->spinBox()->setValue(0.2 + 0.6 * ((step * 7) % 100) / 100.0);
      ++step;
    });
    int answered = 0;
    QObject::connect(session, &widgets::ReviewSession::evaluated, [&] { ++answered; });
    testing::GapMeter heartbeat;
    drag.start(10);
    QTest::qWait(2000);
    drag.stop();
    const double final_tau = window.review()->qualityPanel()->tau();
    QVERIFY(QTest::qWaitFor([&] { return session->snapshot()->tau == final_tau; }, 20000));
    heartbeat.stop();
    const qint64 worst = static_cast<qint64>(heartbeat.largestMs());
    const int ticks = heartbeat.ticks();
    std::printf("review at %zu labels (%zu of them this round's): generated in %.1f s, opened in %.1f s; %d tau "
                "moves in 2 s, %d answers shown (the rest coalesced), %d heartbeats, largest event-loop gap %lld ms\n",
                labels, session->catalog()->round_labels.size(), generate_s, open_s, step, answered, ticks,
                static_cast<long long>(worst));
    QVERIFY2(worst < 50, qPrintable(QString("largest event-loop gap %1 ms").arg(worst)));
    QVERIFY(ticks > 100);

    // The answer shown is the batch selection's at the last tau.
    SelectionOptions at = options;
    at.tau = final_tau;
    const SelectionIndex index = SelectionIndex::build(inputs->view(), at);
    const SelectionResult expected = index.evaluate(final_tau);
    QCOMPARE(session->snapshot()->counts.labels, expected.counts.labels);
    QCOMPARE(session->snapshot()->counts.objects, expected.counts.objects);
    QCOMPARE(session->snapshot()->counts.frames, expected.counts.frames);
    QCOMPARE(session->snapshot()->counts.videos, expected.counts.videos);
  }
};

QTEST_MAIN(TestReviewResponsiveness)
#include "test_review_responsiveness.moc"
