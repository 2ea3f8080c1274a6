// The item models of the viewer: the track list (labels table and timeline rows) and the video list,
// checked with QAbstractItemModelTester through resets and behind a sorting proxy.
#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "core/util/log.h"
#include "tests/widgets/viewer_fixture.h"
#include "widgets/common/track_colors.h"
#include "widgets/document/track_list_model.h"
#include "widgets/document/track_summary.h"
#include "widgets/document/video_list_model.h"
#include "widgets/document/viewer_document.h"

using namespace autoqvis;
using widgets::TrackListModel;

class TestTrackModels : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    setStderrLogging(false);
    QVERIFY(dir_.isValid());
    fixture_ = testing::writeViewerFixture(dir_.path().toStdString());
    document_ = testing::openViewerFixture(fixture_);
  }

  void summaryCountsSpansAreaAndMeans() {
    const std::vector<const YtvisTrack*> tracks = document_->videoTracks(0);
    QCOMPARE(tracks.size(), size_t{2});
    const widgets::TrackSummary second = widgets::summarizeTrack(*tracks[1], 2);
    QCOMPARE(second.frames_present, testing::ViewerFixture::kFrames - 3);
    QCOMPARE(second.spans.size(), size_t{2});
    QCOMPARE(second.spans[0], (widgets::FrameSpan{0, 3}));
    QCOMPARE(second.spans[1], (widgets::FrameSpan{7, 11}));
    QCOMPARE(second.mean_area, 120.0);  // 12 x 10 rectangles
    QVERIFY(second.score.has_value());
    QVERIFY(std::fabs(*second.score - 0.7) < 1e-9);
    QVERIFY(second.mean_values.count("quality"));
    QCOMPARE(widgets::frameValueNames(tracks), (std::vector<std::string>{"pred_iou", "quality"}));
    QVERIFY(!widgets::frameValue(*tracks[1], "quality", 5).has_value());
    QVERIFY(std::fabs(*widgets::frameValue(*tracks[1], "quality", 2) - 0.58) < 1e-9);
  }

  void trackListModelPassesTheTesterThroughResets() {
    TrackListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(TrackListModel::SortRole);
    QAbstractItemModelTester proxy_tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(TrackListModel::ScoreColumn, Qt::AscendingOrder);

    const std::vector<const YtvisTrack*> tracks = document_->videoTracks(0);
    model.setTracks(tracks, {1, 2}, testing::ViewerFixture::kFrames);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), TrackListModel::FirstValueColumn + 2);
    QCOMPARE(model.headerData(TrackListModel::FirstValueColumn, Qt::Horizontal).toString(),
             QString("Pred. IoU"));
    QCOMPARE(model.headerData(TrackListModel::FirstValueColumn + 1, Qt::Horizontal).toString(),
             QString("Quality"));
    QCOMPARE(model.index(1, TrackListModel::TrackColumn).data().toString(), QString("#2"));
    QCOMPARE(model.index(1, TrackListModel::FramesColumn).data().toInt(), 9);
    QCOMPARE(model.index(0, TrackListModel::ScoreColumn).data().toString(), QString("0.900"));
    QVERIFY(model.hasScores());
    QCOMPARE(model.rowForKey(2), 1);
    QCOMPARE(model.rowForKey(7), -1);
    // Colours are the stable per-key colours, whatever the row.
    const widgets::TrackRgb rgb = widgets::trackColor(2);
    QCOMPARE(model.color(1), QColor(rgb.r, rgb.g, rgb.b));
    QCOMPARE(model.index(1, 0).data(TrackListModel::ColorRole).value<QColor>(), model.color(1));
    const auto spans = model.index(1, 0).data(TrackListModel::SpansRole).value<QList<QPoint>>();
    QCOMPARE(spans, (QList<QPoint>{QPoint(0, 3), QPoint(7, 11)}));
    const auto quality = model.index(1, 0)
                             .data(TrackListModel::FrameValuesRole)
                             .toHash()
                             .value("quality")
                             .value<QList<float>>();
    QCOMPARE(quality.size(), testing::ViewerFixture::kFrames);
    QVERIFY(std::isnan(quality[5]));
    QVERIFY(std::fabs(quality[2] - 0.58f) < 1e-6f);
    // The proxy sorts by the numeric sort role: the lower score (track 2) first.
    QCOMPARE(proxy.index(0, TrackListModel::TrackColumn).data().toString(), QString("#2"));

    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int{TrackListModel::FirstValueColumn});
    model.setTracks({tracks[1]}, {2}, testing::ViewerFixture::kFrames);
    QCOMPARE(model.rowCount(), 1);
  }

  void videoListModelPassesTheTester() {
    widgets::VideoListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setDocument(document_);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, widgets::VideoListModel::NameColumn).data().toString(), QString("clip_a"));
    QCOMPARE(model.index(0, widgets::VideoListModel::FramesColumn).data().toInt(),
             testing::ViewerFixture::kFrames);
    QCOMPARE(model.index(0, widgets::VideoListModel::TracksColumn).data().toInt(), 2);
    QCOMPARE(model.index(0, widgets::VideoListModel::MasksColumn).data().toInt(),
             2 * testing::ViewerFixture::kFrames - 3);
    QCOMPARE(model.index(1, widgets::VideoListModel::TracksColumn).data().toInt(), 0);
    QCOMPARE(model.index(1, 0).data(widgets::VideoListModel::VideoIdRole).toLongLong(), 2);
    model.setDocument(nullptr);
    QCOMPARE(model.rowCount(), 0);
  }

  void trackColorsAreStableAndDistinct() {
    for (int64_t key = 1; key < 20; ++key) {
      const widgets::TrackRgb a = widgets::trackColor(key);
      const widgets::TrackRgb b = widgets::trackColor(key);
      QCOMPARE(a.r, b.r);
      const widgets::TrackRgb next = widgets::trackColor(key + 1);
      const int distance = std::abs(a.r - next.r) + std::abs(a.g - next.g) + std::abs(a.b - next.b);
      QVERIFY2(distance > 80, qPrintable(QString("keys %1 and %2 look alike").arg(key).arg(key + 1)));
    }
  }

 private:
  QTemporaryDir dir_;
  testing::ViewerFixture fixture_;
  std::shared_ptr<const widgets::ViewerDocument> document_;
};

QTEST_MAIN(TestTrackModels)
#include "test_track_models.moc"
