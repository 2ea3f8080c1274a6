// The log dock's view: lines logged from worker threads arrive on the GUI thread in batches.
#include <QApplication>
#include <QtTest>
#include <thread>

#include "core/util/log.h"
#include "widgets/common/log_view.h"

using namespace autoqvis;

class TestLogView : public QObject {
  Q_OBJECT

 private slots:
  void linesFromWorkerThreadsAppear() {
    setStderrLogging(false);
    widgets::LogView view;
    std::thread worker([] {
      for (int i = 0; i < 200; ++i) logInfo("step " + std::to_string(i));
    });
    worker.join();
    // Nothing touched the widget from the worker; the timer brings the lines over.
    QTRY_VERIFY_WITH_TIMEOUT(view.toPlainText().contains("step 199"), 2000);
    QVERIFY(view.toPlainText().contains("[info] step 0"));
    QCOMPARE(view.document()->blockCount(), 200);
    setStderrLogging(true);
  }

  void sinkIsRemovedWithTheView() {
    setStderrLogging(false);
    { widgets::LogView view; }
    logInfo("after the view is gone");  // must not crash
    setStderrLogging(true);
  }
};

QTEST_MAIN(TestLogView)
#include "test_log_view.moc"
