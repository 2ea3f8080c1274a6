// The track timeline: its time axis (frame <-> x, zoom about a point, scrolling) and the view's
// mouse handling (click a row to select its track, click the ruler to seek, wheel to zoom).
#include <QApplication>
#include <QSignalSpy>
#include <QtTest>

#include "tests/widgets/viewer_fixture.h"
#include "widgets/viewer/timeline_scale.h"
#include "widgets/viewer/timeline_view.h"
#include "widgets/document/track_list_model.h"

using namespace autoqvis;
using widgets::TimelineScale;

namespace {

// Two tracks over 100 frames: track 1 on frames 10..59, track 2 on 0..9 and 80..99.
std::vector<YtvisTrack> makeTracks() {
  std::vector<YtvisTrack> tracks(2);
  const CompressedRle mask = testing::fixtureMask(0, 0);
  for (int t = 0; t < 2; ++t) {
    tracks[t].id = t + 1;
    for (int f = 0; f < 100; ++f) {
      const bool present = t == 0 ? (f >= 10 && f < 60) : (f < 10 || f >= 80);
      tracks[t].segmentations.push_back(present ? std::optional<CompressedRle>(mask) : std::nullopt);
    }
    tracks[t].computeAreasAndBoxes();
  }
  return tracks;
}

}  // namespace

class TestTimeline : public QObject {
  Q_OBJECT

 private slots:
  void fittedScaleMapsTheWholeVideoOntoTheArea() {
    TimelineScale scale;
    scale.setFrameCount(100);
    scale.setArea(50, 400);
    QVERIFY(scale.isFitted());
    QCOMPARE(scale.pixelsPerFrame(), 4.0);
    QCOMPARE(scale.xForFrame(0), 50.0);
    QCOMPARE(scale.xForFrame(100), 450.0);
    QCOMPARE(scale.frameAt(50), 0);
    QCOMPARE(scale.frameAt(53.9), 0);
    QCOMPARE(scale.frameAt(54), 1);
    QCOMPARE(scale.frameAt(449), 99);
    // Outside the area the frame is clamped to the video.
    QCOMPARE(scale.frameAt(-100), 0);
    QCOMPARE(scale.frameAt(10000), 99);
    // frameAt inverts xForFrame for every frame.
    for (int f = 0; f < 100; ++f) QCOMPARE(scale.frameAt(scale.xForFrame(f) + 0.5), f);
  }

  void zoomKeepsTheFrameUnderTheCursor() {
    TimelineScale scale;
    scale.setFrameCount(100);
    scale.setArea(0, 400);
    const double x = 300;
    const double before = scale.firstVisibleFrame() + (x - scale.left()) / scale.pixelsPerFrame();
    scale.zoomAbout(x, 4.0);
    QCOMPARE(scale.pixelsPerFrame(), 16.0);
    const double after = scale.firstVisibleFrame() + (x - scale.left()) / scale.pixelsPerFrame();
    QVERIFY(qAbs(after - before) < 1e-9);
    QVERIFY(!scale.isFitted());
    // Zooming out past "whole video" stops there; zooming in stops at the maximum.
    scale.zoomAbout(x, 0.001);
    QVERIFY(scale.isFitted());
    QCOMPARE(scale.firstVisibleFrame(), 0.0);
    scale.zoomAbout(x, 1000);
    QCOMPARE(scale.pixelsPerFrame(), TimelineScale::kMaxPixelsPerFrame);
  }

  void scrollingIsClampedAndFollowsFrames() {
    TimelineScale scale;
    scale.setFrameCount(100);
    scale.setArea(0, 400);
    scale.setPixelsPerFrame(20);  // 20 frames visible
    scale.setFirstVisibleFrame(95);
    QCOMPARE(scale.firstVisibleFrame(), 80.0);  // the last frame ends at the right edge
    scale.setFirstVisibleFrame(-5);
    QCOMPARE(scale.firstVisibleFrame(), 0.0);
    QVERIFY(scale.isVisible(0));
    QVERIFY(!scale.isVisible(50));
    scale.ensureVisible(50);
    QVERIFY(scale.isVisible(50));
    scale.ensureVisible(3);
    QVERIFY(scale.isVisible(3));
    // A resize keeps the zoom of a zoomed axis and refits a fitted one.
    scale.setArea(0, 800);
    QCOMPARE(scale.pixelsPerFrame(), 20.0);
    scale.fit();
    scale.setArea(0, 200);
    QCOMPARE(scale.pixelsPerFrame(), 2.0);
  }

  void clickingARowSelectsItsTrackAndSeeks() {
    const std::vector<YtvisTrack> tracks = makeTracks();
    widgets::TrackListModel model;
    model.setTracks({&tracks[0], &tracks[1]}, {1, 2}, 100);
    widgets::TimelineView view;
    view.setModel(&model);
    view.resize(600, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFrameCount(100);
    QSignalSpy seeks(&view, &widgets::TimelineView::seekRequested);

    const TimelineScale& scale = view.scale();
    const int row_y = view.rulerHeight() + view.rowHeight() + view.rowHeight() / 2;  // second row
    const int x = static_cast<int>(scale.xForFrame(85) + scale.pixelsPerFrame() / 2);
    QCOMPARE(view.rowAt(row_y), 1);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(x, row_y));
    QVERIFY(view.selectionModel()->isRowSelected(1, {}));
    QVERIFY(!view.selectionModel()->isRowSelected(0, {}));
    QCOMPARE(seeks.size(), 1);
    QCOMPARE(seeks.front().front().toInt(), 85);

    // The ruler seeks and leaves the selection alone.
    const int ruler_x = static_cast<int>(scale.xForFrame(20) + 1);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(ruler_x, view.rulerHeight() / 2));
    QCOMPARE(seeks.size(), 2);
    QCOMPARE(seeks.back().front().toInt(), 20);
    QVERIFY(view.selectionModel()->isRowSelected(1, {}));

    // A click in the gutter selects without seeking; below the rows clears the selection.
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {},
                      QPoint(10, view.rulerHeight() + view.rowHeight() / 2));
    QVERIFY(view.selectionModel()->isRowSelected(0, {}));
    QCOMPARE(seeks.size(), 2);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, QPoint(10, view.viewport()->height() - 5));
    QVERIFY(!view.selectionModel()->hasSelection());
  }

  void wheelZoomsInTimeAboutTheCursor() {
    const std::vector<YtvisTrack> tracks = makeTracks();
    widgets::TrackListModel model;
    model.setTracks({&tracks[0], &tracks[1]}, {1, 2}, 100);
    widgets::TimelineView view;
    view.setModel(&model);
    view.resize(600, 200);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFrameCount(100);
    const double fitted = view.scale().pixelsPerFrame();
    const QPointF pos(view.scale().xForFrame(70) + 1, view.rulerHeight() + 5);
    const int frame_under_cursor = view.scale().frameAt(pos.x());
    QWheelEvent wheel(pos, view.viewport()->mapToGlobal(pos), QPoint(), QPoint(0, 240), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view.viewport(), &wheel);
    QVERIFY(view.scale().pixelsPerFrame() > fitted * 1.5);
    QCOMPARE(view.scale().frameAt(pos.x()), frame_under_cursor);

    // The playhead leaving the visible range scrolls the axis to it.
    QVERIFY(!view.scale().isVisible(5));
    view.setPlayhead(5);
    QVERIFY(view.scale().isVisible(5));
    view.setPlayhead(99);
    QVERIFY(view.scale().isVisible(99));
    QCOMPARE(view.playhead(), 99);
  }
};

QTEST_MAIN(TestTimeline)
#include "test_timeline.moc"
