// The viewer's properties text, tested as pure functions: the selected track's rows (span, score,
// this frame's mask and per-frame values with their means), the frame's mask count and decode state,
// and the label beside each mask.
#include <QtTest>

#include "app/gui/viewer_properties.h"
#include "core/dataset/frame_fields.h"

using namespace autoqvis;

namespace {

YtvisTrack trackWithQuality() {
  YtvisTrack track;
  track.id = 7;
  track.score = 0.9;
  track.segmentations = {std::nullopt, compress(Rle{4, 4, {2, 4, 10}}), std::nullopt};
  track.computeAreasAndBoxes();
  track.frame_values[frame_fields::kPredIou] = {std::nullopt, 0.8, std::nullopt};
  track.frame_values[frame_fields::kQuality] = {std::nullopt, 0.72, std::nullopt};
  return track;
}

QString valueOf(const gui::PropertyRows& rows, const QString& name) {
  for (const auto& row : rows) {
    if (row.first == name) return row.second;
  }
  return {};
}

}  // namespace

class TestViewerProperties : public QObject {
  Q_OBJECT

 private slots:
  void trackRowsNameTheFrameAndTheValues() {
    const YtvisTrack track = trackWithQuality();
    widgets::TrackSummary summary;
    summary.key = 7;
    summary.score = 0.9;
    summary.frames_present = 1;
    summary.mean_area = 4;
    summary.spans = {{1, 1}};
    summary.mean_values[frame_fields::kQuality] = 0.72;
    const std::vector<std::string> names = {frame_fields::kPredIou, frame_fields::kQuality};
    const auto at_mask = gui::trackProperties(&summary, &track, 1, names);
    QCOMPARE(valueOf(at_mask, "Track"), QString("#7"));
    QCOMPARE(valueOf(at_mask, "Span"), QString("1–1 (1 runs)"));
    QCOMPARE(valueOf(at_mask, "Score"), QString("0.900"));
    QCOMPARE(valueOf(at_mask, "At this frame"), QString("mask, 4 px"));
    QCOMPARE(valueOf(at_mask, "Quality (mean)"), QString("0.720"));
    QCOMPARE(valueOf(at_mask, "Quality (this frame)"), QString("0.720"));
    QCOMPARE(valueOf(at_mask, "Pred. IoU (this frame)"), QString("0.800"));
    const auto elsewhere = gui::trackProperties(&summary, &track, 2, names);
    QCOMPARE(valueOf(elsewhere, "At this frame"), QString("no mask"));
    QVERIFY(valueOf(elsewhere, "Quality (this frame)").isNull());
    QCOMPARE(valueOf(gui::trackProperties(nullptr, nullptr, 0, names), "Track"), QString("none: click a mask or a row"));
  }

  void frameRowsCountMasksAndDecodeState() {
    const YtvisTrack track = trackWithQuality();
    const std::vector<const YtvisTrack*> tracks = {&track, &track};
    auto rows = gui::frameProperties(1, 10.0, tracks, nullptr);
    QCOMPARE(valueOf(rows, "Masks"), QString("2"));
    QCOMPARE(valueOf(rows, "Time"), QString("0.10 s"));
    QCOMPARE(valueOf(rows, "Picture"), QString("decoding…"));
    widgets::FramePacket packet;
    packet.error = "frame 1 is damaged";
    QCOMPARE(valueOf(gui::frameProperties(0, 10.0, tracks, &packet), "Picture"), QString("frame 1 is damaged"));
    QCOMPARE(valueOf(gui::frameProperties(0, 10.0, tracks, &packet), "Masks"), QString("0"));
  }

  void maskLabelShowsScoreIouAndQuality() {
    const YtvisTrack track = trackWithQuality();
    widgets::TrackSummary summary;
    summary.key = 7;
    summary.score = 0.9;
    QCOMPARE(gui::trackLabel(summary, track, 1), QString("#7  s 0.90  IoU 0.80  Q 0.72"));
    QCOMPARE(gui::trackLabel(summary, track, 0), QString("#7  s 0.90"));
  }
};

QTEST_GUILESS_MAIN(TestViewerProperties)
#include "test_viewer_properties.moc"
