// The main window as a user meets it: opening a bad file shows a dialog naming the file (and logs
// it) while the window keeps running; opening a dataset shows its first video; the keyboard steps and
// seeks; selecting a track in one view selects it everywhere.
#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

#include "app/gui/main_window.h"
#include "core/util/log.h"
#include "tests/widgets/viewer_fixture.h"
#include "widgets/viewer/frame_loader.h"
#include "widgets/common/log_view.h"
#include "widgets/viewer/playback_controller.h"
#include "widgets/viewer/properties_panel.h"
#include "widgets/viewer/timeline_view.h"
#include "widgets/viewer/video_view.h"

using namespace autoqvis;

namespace {

QMessageBox* visibleErrorDialog(const QWidget& window) {
  for (QMessageBox* box : window.findChildren<QMessageBox*>("errorDialog")) {
    if (box->isVisible()) return box;
  }
  return nullptr;
}

void closeErrorDialogs(const QWidget& window) {
  for (QMessageBox* box : window.findChildren<QMessageBox*>("errorDialog")) box->close();
}

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // keep the user's settings out of it
    setStderrLogging(false);
    QVERIFY(dir_.isValid());
    fixture_ = testing::writeViewerFixture(dir_.path().toStdString());
  }

  void openingABadFileShowsADialogAndKeepsRunning() {
    const std::filesystem::path bad = std::filesystem::path(dir_.path().toStdString()) / "bad_videos.json";
    std::ofstream(bad) << "{ this is not json";
    gui::MainWindow window;
    window.show();
    QSignalSpy opened(&window, &gui::MainWindow::documentOpened);
    widgets::OpenRequest request;
    request.dataset = bad;
    window.openDocument(request);
    QVERIFY(opened.wait(5000));
    QCOMPARE(opened.front().front().toBool(), false);
    QMessageBox* box = visibleErrorDialog(window);
    QVERIFY(box);
    QVERIFY2(box->informativeText().contains("bad_videos.json"), qPrintable(box->informativeText()));
    QVERIFY2(box->informativeText().contains("malformed JSON"), qPrintable(box->informativeText()));
    QVERIFY(!window.document());
    auto* log = window.findChild<widgets::LogView*>("logView");
    QVERIFY(log);
    QTRY_VERIFY_WITH_TIMEOUT(log->toPlainText().contains("bad_videos.json"), 2000);
    QVERIFY(log->toPlainText().contains("[error]"));
    closeErrorDialogs(window);

    // The window still works: a good file opens afterwards, and a later bad one keeps it open.
    request.dataset = fixture_.dataset;
    window.openDocument(request);
    QVERIFY(opened.wait(5000));
    QCOMPARE(opened.back().front().toBool(), true);
    QVERIFY(window.document());
    request.dataset = bad;
    window.openDocument(request);
    QVERIFY(opened.wait(5000));
    QVERIFY(visibleErrorDialog(window));
    QVERIFY(window.document());
    QCOMPARE(window.document()->request.dataset, fixture_.dataset);
    closeErrorDialogs(window);
  }

  void missingFramesFolderIsAnError() {
    gui::MainWindow window;
    window.show();
    QSignalSpy opened(&window, &gui::MainWindow::documentOpened);
    widgets::OpenRequest request;
    request.dataset = fixture_.dataset;
    request.frames_root = fixture_.frames / "nowhere";
    window.openDocument(request);
    QVERIFY(opened.wait(5000));
    QMessageBox* box = visibleErrorDialog(window);
    QVERIFY(box);
    QVERIFY2(box->informativeText().contains("nowhere"), qPrintable(box->informativeText()));
    closeErrorDialogs(window);
  }

  void keyboardStepsAndSeeks() {
    gui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QSignalSpy opened(&window, &gui::MainWindow::documentOpened);
    widgets::OpenRequest request;
    request.dataset = fixture_.dataset;
    request.results = fixture_.results;
    window.openDocument(request, "clip_a", 2);
    QVERIFY(opened.wait(5000));
    QCOMPARE(window.currentVideo(), 0);
    widgets::PlaybackController* playback = window.playback();
    QCOMPARE(playback->frame(), 2);
    QCOMPARE(playback->frameCount(), testing::ViewerFixture::kFrames);
    // The picture arrives from the worker; the view shows the playhead's frame with both masks.
    QTRY_VERIFY_WITH_TIMEOUT(window.videoView()->packet() && window.videoView()->packet()->index == 2, 5000);
    QCOMPARE(window.videoView()->packet()->masks.size(), size_t{2});

    QTest::keyClick(&window, Qt::Key_Right);
    QCOMPARE(playback->frame(), 3);
    QTest::keyClick(&window, Qt::Key_Left);
    QTest::keyClick(&window, Qt::Key_Left);
    QCOMPARE(playback->frame(), 1);
    QTest::keyClick(&window, Qt::Key_Right, Qt::ShiftModifier);
    QCOMPARE(playback->frame(), 11);
    QTest::keyClick(&window, Qt::Key_Left, Qt::ShiftModifier);
    QCOMPARE(playback->frame(), 1);
    QTest::keyClick(&window, Qt::Key_End);
    QCOMPARE(playback->frame(), testing::ViewerFixture::kFrames - 1);
    QCOMPARE(window.timeline()->playhead(), testing::ViewerFixture::kFrames - 1);
    QTest::keyClick(&window, Qt::Key_Home);
    QCOMPARE(playback->frame(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(window.videoView()->packet() && window.videoView()->packet()->index == 0, 5000);
    QCOMPARE(window.properties()->value("Frame", "Index"), QString("0"));

    // Space plays to the end (6 fps for a frame folder: 2 s) and Space pauses.
    QTest::keyClick(&window, Qt::Key_Space);
    QVERIFY(playback->isPlaying());
    QTRY_VERIFY_WITH_TIMEOUT(playback->frame() >= 1, 2000);
    QTest::keyClick(&window, Qt::Key_Space);
    QVERIFY(!playback->isPlaying());

    // F fits after a zoom.
    window.videoView()->zoomBy(3.0, QPointF(10, 10));
    QVERIFY(!window.videoView()->isFitted());
    QTest::keyClick(&window, Qt::Key_F);
    QVERIFY(window.videoView()->isFitted());
  }

  void viewMenuRestoresClosedDocks() {
    gui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* timeline = window.findChild<QDockWidget*>("timelineDock");
    auto* labels = window.findChild<QDockWidget*>("labelsDock");
    QVERIFY(timeline && labels);
    timeline->close();
    QVERIFY(!timeline->isVisible());
    timeline->toggleViewAction()->trigger();  // View > Timeline
    QVERIFY(timeline->isVisible());
    labels->close();
    labels->setFloating(true);
    QAction* reset = nullptr;
    for (QAction* action : window.findChildren<QAction*>()) {
      if (action->text() == "&Reset layout") reset = action;
    }
    QVERIFY(reset);
    reset->trigger();
    QVERIFY(labels->isVisible());
    QVERIFY(!labels->isFloating());
    QCOMPARE(window.dockWidgetArea(labels), Qt::RightDockWidgetArea);
  }

  void selectingATrackSelectsItEverywhere() {
    gui::MainWindow window;
    window.show();
    QSignalSpy opened(&window, &gui::MainWindow::documentOpened);
    widgets::OpenRequest request;
    request.dataset = fixture_.dataset;
    request.results = fixture_.results;
    window.openDocument(request);
    QVERIFY(opened.wait(5000));

    window.timeline()->selectionModel()->select(
        window.timeline()->model()->index(1, 0),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(window.selectedTrack(), 1);
    QCOMPARE(window.videoView()->selectedTrack(), 1);
    auto* table = window.findChild<QTableView*>("labelsTable");
    QVERIFY(table);
    const QModelIndexList rows = table->selectionModel()->selectedRows();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.front().data().toString(), QString("#2"));
    QCOMPARE(window.properties()->value("Selected track", "Track"), QString("#2"));

    // Clicking a mask in the video selects its track (track 1 at frame 0).
    QTRY_VERIFY_WITH_TIMEOUT(window.videoView()->packet() != nullptr, 5000);
    const cv::Rect box = testing::fixtureBox(0, 0);
    const QPointF centre =
        window.videoView()->imageToWidget(QPointF(box.x + box.width / 2.0, box.y + box.height / 2.0));
    QTest::mouseClick(window.videoView(), Qt::LeftButton, {}, centre.toPoint());
    QCOMPARE(window.selectedTrack(), 0);
    QVERIFY(window.timeline()->selectionModel()->isRowSelected(0, {}));

    // The second video has no tracks: the selection is gone with the first's.
    QVERIFY(window.selectVideo(1));
    QCOMPARE(window.selectedTrack(), -1);
    QCOMPARE(window.timeline()->model()->rowCount(), 0);
  }

 private:
  QTemporaryDir dir_;
  testing::ViewerFixture fixture_;
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
