// Quality analysis: rank correlations against values computed by hand, the best-match rule, per-frame
// true IoU, and the practical-limit (oracle) pseudo-label selection written as a YouTube-VIS file.
#include <QtTest>
#include <cmath>
#include <filesystem>

#include "core/eval/quality_analysis.h"
#include "core/eval/rank_correlation.h"
#include "core/dataset/ytvis_json.h"
#include "tests/support/error_message.h"

using autoqvis::testing::errorOf;
using namespace autoqvis;

namespace {

constexpr double kTol = 1e-12;

// A mask of a 4x4 frame from its column-major pixel list (pixel x*4 + y).
CompressedRle mask4x4(std::initializer_list<int> pixels) {
  std::vector<uint8_t> bits(16, 0);
  for (int p : pixels) bits[p] = 1;
  return compress(rleEncodeColumnMajor(bits.data(), 4, 4));
}

YtvisTrack track(int64_t id, int64_t video_id, std::vector<std::optional<CompressedRle>> masks) {
  YtvisTrack t;
  t.id = id;
  t.video_id = video_id;
  t.segmentations = std::move(masks);
  t.computeAreasAndBoxes();
  return t;
}

YtvisTrack prediction(int64_t video_id, double score, std::vector<std::optional<CompressedRle>> masks,
                      std::vector<std::optional<double>> pred_iou) {
  YtvisTrack t = track(0, video_id, std::move(masks));
  t.score = score;
  t.frame_values["pred_iou"] = std::move(pred_iou);
  return t;
}

// Video 1 (4x4, two frames) with GT track 11 = column 0 on both frames.
//   P0: s = 0.9, exactly the GT on both frames         -> true IoU 1, 1;  pred_iou 0.9, 0.8
//   P1: s = 0.5, rows 0-1 of column 0 on frame 0 only  -> true IoU 2/4 = 0.5;  pred_iou 0.6
//   P2: s = 0.3, column 3 on frame 0 (no overlap)      -> no match, true IoU 0;  pred_iou 0.5
YtvisDataset groundTruth() {
  YtvisDataset gt;
  gt.videos.push_back({1, 4, 4, {"a/0.jpg", "a/1.jpg"}});
  gt.categories.push_back({});
  gt.annotations.push_back(track(11, 1, {mask4x4({0, 1, 2, 3}), mask4x4({0, 1, 2, 3})}));
  gt.reindex();
  return gt;
}

std::vector<YtvisTrack> predictions() {
  return {prediction(1, 0.9, {mask4x4({0, 1, 2, 3}), mask4x4({0, 1, 2, 3})}, {0.9, 0.8}),
          prediction(1, 0.5, {mask4x4({0, 1}), std::nullopt}, {0.6, std::nullopt}),
          prediction(1, 0.3, {mask4x4({12, 13, 14, 15}), std::nullopt}, {0.5, std::nullopt})};
}

}  // namespace

class TestQualityAnalysis : public QObject {
  Q_OBJECT

 private slots:
  void averageRanksShareTies() {
    const std::vector<double> ranks = averageRanks({30, 10, 20, 20});
    QCOMPARE(ranks, (std::vector<double>{4, 1, 2.5, 2.5}));
    QCOMPARE(averageRanks({5, 5, 5}), (std::vector<double>{2, 2, 2}));
  }

  void monotoneIsOneAndReversedIsMinusOne() {
    const std::vector<double> x = {0.1, 0.4, 0.5, 0.9}, up = {1, 8, 27, 1000}, down = {9, 3, 2, -5};
    QVERIFY(std::abs(spearmanCorrelation(x, up) - 1.0) < kTol);
    QVERIFY(std::abs(spearmanCorrelation(x, down) + 1.0) < kTol);
    QVERIFY(std::abs(pearsonCorrelation(x, x) - 1.0) < kTol);
    QVERIFY(std::abs(pearsonCorrelation({1, 2, 3}, {6, 4, 2}) + 1.0) < kTol);
  }

  void pearsonByHand() {
    // x = 1..4, y = 2,4,6,9: deviations (-1.5,-.5,.5,1.5) and (-3.25,-1.25,.75,3.75);
    // sxy = 4.875+.625+.375+5.625 = 11.5, sxx = 5, syy = 26.75 -> r = 11.5 / sqrt(133.75).
    // The ranks agree exactly, so Spearman is 1 while Pearson is not.
    const std::vector<double> x = {1, 2, 3, 4}, y = {2, 4, 6, 9};
    QVERIFY(std::abs(pearsonCorrelation(x, y) - 11.5 / std::sqrt(133.75)) < kTol);
    QVERIFY(std::abs(spearmanCorrelation(x, y) - 1.0) < kTol);
  }

  void spearmanWithTiesByHand() {
    // x = 1,2,2,3 -> ranks 1,2.5,2.5,4; y = 1,3,2,4 -> ranks 1,3,2,4; both means 2.5.
    // Deviations (-1.5,0,0,1.5) and (-1.5,.5,-.5,1.5): sxy = 4.5, sxx = 4.5, syy = 5,
    // rho = 4.5 / sqrt(4.5 * 5) = sqrt(0.9) = 0.9486832980505138.
    QVERIFY(std::abs(spearmanCorrelation({1, 2, 2, 3}, {1, 3, 2, 4}) - std::sqrt(0.9)) < kTol);
  }

  void undefinedCorrelationsAreNan() {
    QVERIFY(std::isnan(pearsonCorrelation({1}, {2})));
    QVERIFY(std::isnan(pearsonCorrelation({1, 1, 1}, {1, 2, 3})));
    QVERIFY(std::isnan(spearmanCorrelation({}, {})));
    QVERIFY(errorOf([] { pearsonCorrelation({1, 2}, {1}); }).contains("different sizes"));
  }

  void truePerFrameIouAndMatches() {
    const QualityAnalysis a = analyzeQuality(groundTruth(), predictions(), {"pred_iou", 0.5, 2});
    QCOMPARE(a.predictions.size(), size_t{3});
    QCOMPARE(a.predictions[0].matched_gt_id, int64_t{11});
    QCOMPARE(a.predictions[0].video_iou, 1.0);
    QCOMPARE(*a.predictions[0].frame_iou[0], 1.0);
    QCOMPARE(*a.predictions[0].frame_iou[1], 1.0);
    // P1 against the GT over the video: i = 2, u = 4 (frame 0) + 4 (GT alone on frame 1) -> 0.25.
    QCOMPARE(a.predictions[1].matched_gt_id, int64_t{11});
    QCOMPARE(a.predictions[1].video_iou, 0.25);
    QCOMPARE(*a.predictions[1].frame_iou[0], 0.5);
    QVERIFY(!a.predictions[1].frame_iou[1]);  // no predicted mask, no value
    QCOMPARE(a.predictions[2].matched_gt_id, int64_t{0});
    QCOMPARE(*a.predictions[2].frame_iou[0], 0.0);
    QCOMPARE(a.matched_predictions, size_t{2});
  }

  void correlationsOfTheTinyCase() {
    // Pairs (true IoU, s, Q = pred_iou * s): (1, .9, .81), (1, .9, .72), (.5, .5, .30), (0, .3, .15).
    // Confidence: the ranks of s equal those of the true IoU (3.5, 3.5, 2, 1) -> Spearman 1.
    //   Pearson: true deviations (.375,.375,-.125,-.625), s deviations (.25,.25,-.15,-.35):
    //   sxy = .425, stt = .6875, sss = .27 -> r = .425 / sqrt(.6875 * .27).
    // Quality: ranks of Q are (4, 3, 2, 1) against (3.5, 3.5, 2, 1): the tie case above, sqrt(0.9).
    const QualityAnalysis a = analyzeQuality(groundTruth(), predictions());
    QCOMPARE(a.confidence.pairs, size_t{4});
    QCOMPARE(a.quality.pairs, size_t{4});
    QVERIFY(std::abs(a.confidence.spearman - 1.0) < kTol);
    QVERIFY(std::abs(a.confidence.pearson - 0.425 / std::sqrt(0.6875 * 0.27)) < kTol);
    QVERIFY(std::abs(a.quality.spearman - std::sqrt(0.9)) < kTol);
    // Pearson of Q by hand: Q mean .495, deviations (.315,.225,-.195,-.345);
    // sxy = .118125+.084375+.024375+.215625 = .4425, sqq = .099225+.050625+.038025+.119025 = .3069.
    QVERIFY(std::abs(a.quality.pearson - 0.4425 / std::sqrt(0.6875 * 0.3069)) < kTol);
  }

  void framesWithoutPredictedIouLeaveOnlyTheQualityPairs() {
    std::vector<YtvisTrack> preds = predictions();
    preds[1].frame_values.erase("pred_iou");
    const QualityAnalysis a = analyzeQuality(groundTruth(), preds);
    QCOMPARE(a.confidence.pairs, size_t{4});
    QCOMPARE(a.quality.pairs, size_t{3});
  }

  void tiesInTheBestMatchGoToTheFirstTrack() {
    YtvisDataset gt = groundTruth();
    gt.annotations.push_back(track(12, 1, gt.annotations[0].segmentations));
    std::swap(gt.annotations[0], gt.annotations[1]);  // file order: 12, then 11
    const QualityAnalysis a = analyzeQuality(gt, predictions());
    QCOMPARE(a.predictions[0].matched_gt_id, int64_t{12});
  }

  void unknownVideoIsAnErrorNamingIt() {
    std::vector<YtvisTrack> preds = predictions();
    preds[2].video_id = 77;
    const QString message = errorOf([&] { analyzeQuality(groundTruth(), preds); });
    QVERIFY2(message.contains("77"), qPrintable(message));
  }

  void practicalLimitKeepsFramesAtOrAboveHalf() {
    const YtvisDataset gt = groundTruth();
    const std::vector<YtvisTrack> preds = predictions();
    const QualityAnalysis a = analyzeQuality(gt, preds);
    QCOMPARE(a.oracle_predictions, size_t{2});
    QCOMPARE(a.oracle_frames, size_t{3});
    const YtvisDataset labels = selectPracticalLimit(gt, preds, a, 0.5);
    QCOMPARE(labels.annotations.size(), size_t{2});
    const YtvisTrack& p0 = labels.annotations[0];
    const YtvisTrack& p1 = labels.annotations[1];
    QCOMPARE(p0.id, int64_t{1});
    QCOMPARE(p1.id, int64_t{2});
    QCOMPARE(p0.frame_values.at("true_iou")[1].value(), 1.0);
    QCOMPARE(p1.frame_values.at("true_iou")[0].value(), 0.5);  // exactly 0.5 is kept
    QVERIFY(!p1.segmentations[1]);
    QCOMPARE(p1.frame_values.at("pred_iou")[0].value(), 0.6);
    QCOMPARE(*p1.score, 0.5);
    QCOMPARE(p1.areas[0].value(), 2.0);

    // Written and read back as a valid YouTube-VIS dataset.
    const auto path = std::filesystem::temp_directory_path() / "autoqvis_test_oracle.json";
    saveYtvisDataset(labels, path);
    const YtvisDataset back = loadYtvisDataset(path);
    std::filesystem::remove(path);
    QCOMPARE(back.annotations.size(), size_t{2});
    QCOMPARE(back.annotations[1].frame_values.at("true_iou")[0].value(), 0.5);
    QVERIFY(!back.annotations[1].frame_values.at("true_iou")[1]);

    // A stricter threshold drops P1.
    QCOMPARE(selectPracticalLimit(gt, preds, a, 0.75).annotations.size(), size_t{1});
  }

  void jsonSummaryWritesNullForUndefined() {
    const YtvisDataset gt = groundTruth();
    const std::vector<YtvisTrack> one = {predictions()[0]};
    const QualityAnalysis a = analyzeQuality(gt, one);  // constant scores: correlations undefined
    const std::string json = qualityAnalysisToJson(a, {});
    QVERIFY2(json.find("\"spearman\":null") != std::string::npos, json.c_str());
    QVERIFY(!formatQualityAnalysis(a, {}).empty());
  }
};

QTEST_APPLESS_MAIN(TestQualityAnalysis)
#include "test_quality_analysis.moc"
