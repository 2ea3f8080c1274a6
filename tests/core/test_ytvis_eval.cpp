// YouTube-VIS evaluation: every fixture case gives the official numbers in all three protocols (to 1e-9,
// and in fact bit for bit), empty results give zeros / -1, unknown videos are named in the Error, the
// thread count changes nothing, and the building blocks (thresholds, NumPy sums, run-based overlaps)
// reproduce their reference definitions.
#include <QtTest>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/eval/numpy_reduce.h"
#include "core/eval/track_overlap.h"
#include "core/eval/ytvis_eval.h"
#include "core/dataset/ytvis_json.h"
#include "core/util/log.h"
#include "tests/support/error_message.h"

using autoqvis::testing::errorOf;
using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

const fs::path kFixtures = fs::path(AUTOQVIS_FIXTURES_DIR) / "ytvis-eval";

struct ProtocolFile {
  EvalProtocol protocol;
  const char* expected;
};
const ProtocolFile kProtocols[] = {{EvalProtocol::VideoCutler, "expected.agnostic-videocutler.json"},
                                   {EvalProtocol::AutoQ, "expected.agnostic-autoq.json"},
                                   {EvalProtocol::ClassAware, "expected.classaware.json"}};

std::vector<fs::path> caseFolders() {
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    if (fs::exists(entry.path() / "gt.json")) folders.push_back(entry.path());
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

YtvisMetrics readExpected(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return metricsFromJson(text.str(), path.string());
}

// A mask of a 4x3 (h x w) frame from its column-major pixel list.
CompressedRle mask4x3(std::initializer_list<int> pixels) {
  std::vector<uint8_t> bits(12, 0);
  for (int p : pixels) bits[p] = 1;
  return compress(rleEncodeColumnMajor(bits.data(), 4, 3));
}

// One 4x3 video of two frames with one small ground-truth track (4 pixels on frame 0, 2 on frame 1).
YtvisDataset tinyGroundTruth() {
  YtvisDataset gt;
  gt.videos.push_back({7, 3, 4, {"v/0.jpg", "v/1.jpg"}});
  gt.categories.push_back({});
  YtvisTrack track;
  track.id = 1;
  track.video_id = 7;
  track.segmentations = {mask4x3({0, 1, 2, 3}), mask4x3({4, 5})};
  track.computeAreasAndBoxes();
  gt.annotations.push_back(track);
  gt.reindex();
  return gt;
}

YtvisTrack result(int64_t video_id, double score, std::vector<std::optional<CompressedRle>> masks) {
  YtvisTrack track;
  track.video_id = video_id;
  track.score = score;
  track.segmentations = std::move(masks);
  return track;
}

}  // namespace

class TestYtvisEval : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    setLogLevel(LogLevel::Error);  // the fixtures' deliberate size mismatches would log warnings
    QVERIFY2(fs::is_directory(kFixtures), kFixtures.string().c_str());
  }

  void matchesOfficialNumbersOnEveryFixture_data() {
    QTest::addColumn<QString>("folder");
    QTest::addColumn<int>("protocol");
    for (const fs::path& folder : caseFolders()) {
      for (int p = 0; p < 3; ++p) {
        const std::string name = folder.filename().string() + "/" + protocolName(kProtocols[p].protocol);
        QTest::newRow(name.c_str()) << QString::fromStdString(folder.string()) << p;
      }
    }
  }

  void matchesOfficialNumbersOnEveryFixture() {
    QFETCH(QString, folder);
    QFETCH(int, protocol);
    const fs::path dir = folder.toStdString();
    const YtvisDataset gt = loadYtvisDataset(dir / "gt.json");
    const auto results = loadYtvisResults(dir / "results.json", &gt, ResultsCheck::Official);
    const YtvisMetrics expected = readExpected(dir / kProtocols[protocol].expected);
    const YtvisMetrics got = evaluateYtvis(gt, results, kProtocols[protocol].protocol, 2);
    for (size_t i = 0; i < 12; ++i) {
      const QString what = QString("%1: got %2, official %3")
                               .arg(ytvisMetricNames()[i])
                               .arg(got.stats[i], 0, 'g', 17)
                               .arg(expected.stats[i], 0, 'g', 17);
      QVERIFY2(std::abs(got.stats[i] - expected.stats[i]) <= 1e-9, qPrintable(what));
      // Every operation is reproduced in NumPy's order, so the numbers are identical, not just close.
      QVERIFY2(got.stats[i] == expected.stats[i], qPrintable("not bit-identical: " + what));
    }
    // The named fields mirror stats.
    QCOMPARE(got.AP, got.stats[0]);
    QCOMPARE(got.AR10, got.stats[7]);
    QCOMPARE(got.ARl, got.stats[11]);
  }

  void emptyResultsEvaluateAsZeroDetections() {
    // All ground truth is small: AP/AR are 0 where GT is counted and -1 for medium and large.
    const YtvisDataset gt = tinyGroundTruth();
    for (EvalProtocol p : {EvalProtocol::VideoCutler, EvalProtocol::AutoQ, EvalProtocol::ClassAware}) {
      const YtvisMetrics m = evaluateYtvis(gt, {}, p, 1);
      for (double v : {m.AP, m.AP50, m.AP75, m.APs, m.AR1, m.AR10, m.AR100, m.ARs}) QCOMPARE(v, 0.0);
      for (double v : {m.APm, m.APl, m.ARm, m.ARl}) QCOMPARE(v, -1.0);
    }
    // The fixture with an empty results file: the same through the loader.
    const fs::path dir = kFixtures / "edge-empty-results";
    const YtvisDataset big = loadYtvisDataset(dir / "gt.json");
    const auto none = loadYtvisResults(dir / "results.json", &big, ResultsCheck::Official);
    QVERIFY(none.empty());
    const YtvisMetrics m = evaluateYtvis(big, none);
    for (double v : m.stats) QVERIFY(v == 0.0 || v == -1.0);
    QCOMPARE(m.AP, 0.0);
  }

  void perfectResultScoresOne() {
    const YtvisDataset gt = tinyGroundTruth();
    const std::vector<YtvisTrack> results = {result(7, 0.9, gt.annotations[0].segmentations)};
    const YtvisMetrics m = evaluateYtvis(gt, results);
    QCOMPARE(m.AP, 1.0);
    QCOMPARE(m.AR1, 1.0);
    QCOMPARE(m.APm, -1.0);
  }

  void unknownVideoIsAnErrorNamingIt() {
    const YtvisDataset gt = tinyGroundTruth();
    const std::vector<YtvisTrack> results = {result(7, 0.5, {mask4x3({0}), std::nullopt}),
                                             result(4242, 0.5, {mask4x3({0}), std::nullopt})};
    for (EvalProtocol p : {EvalProtocol::VideoCutler, EvalProtocol::AutoQ, EvalProtocol::ClassAware}) {
      const QString message = errorOf([&] { evaluateYtvis(gt, results, p, 1); });
      QVERIFY2(message.contains("4242"), qPrintable(message));
      QVERIFY2(message.contains("results[1]"), qPrintable(message));
    }
  }

  void threadCountChangesNothing() {
    const fs::path dir = kFixtures / "edge-all";
    const YtvisDataset gt = loadYtvisDataset(dir / "gt.json");
    const auto results = loadYtvisResults(dir / "results.json", &gt, ResultsCheck::Official);
    for (EvalProtocol p : {EvalProtocol::VideoCutler, EvalProtocol::AutoQ, EvalProtocol::ClassAware}) {
      YtvisEvaluator one(gt, results, {p, 1}), two(gt, results, {p, 2}), many(gt, results, {p, 7});
      one.run();
      two.run();
      many.run();
      QVERIFY(one.metrics().stats == two.metrics().stats);
      QVERIFY(one.metrics().stats == many.metrics().stats);
      QVERIFY(one.accumulation().precision == two.accumulation().precision);
      QVERIFY(one.accumulation().recall == many.accumulation().recall);
    }
  }

  void reportsProgressAndStops() {
    const YtvisDataset gt = tinyGroundTruth();
    const std::vector<YtvisTrack> results = {result(7, 0.9, gt.annotations[0].segmentations)};
    YtvisEvaluator evaluator(gt, results);
    int64_t last_done = 0, total = 0;
    evaluator.setProgressCallback([&](const Progress& p) {
      last_done = p.done;
      total = p.total;
    });
    evaluator.run();
    QCOMPARE(total, int64_t{1});
    QCOMPARE(last_done, int64_t{1});

    StopToken stop;
    stop.requestStop();
    YtvisEvaluator stopped(gt, results);
    stopped.setStopToken(stop);
    bool threw = false;
    try {
      stopped.run();
    } catch (const StoppedError&) {
      threw = true;
    }
    QVERIFY(threw);
  }

  void parseProtocolNames() {
    QCOMPARE(parseEvalProtocol("videocutler"), EvalProtocol::VideoCutler);
    QCOMPARE(parseEvalProtocol("autoq"), EvalProtocol::AutoQ);
    QCOMPARE(parseEvalProtocol("classaware"), EvalProtocol::ClassAware);
    QVERIFY(errorOf([] { parseEvalProtocol("coco"); }).contains("videocutler"));
  }

  void thresholdsAreNumpyLinspace() {
    // np.linspace(.5, .95, 10): k * step + start in two roundings (volatile keeps them apart), last = stop.
    volatile double step = (0.95 - 0.5) / 9;
    for (int k = 0; k < 9; ++k) {
      volatile double product = k * step;
      QCOMPARE(ytvis_params::kIouThresholds[k], product + 0.5);
    }
    QCOMPARE(ytvis_params::kIouThresholds[9], 0.95);
    QVERIFY(ytvis_params::kIouThresholds[8] != 0.9);  // 0.8999999999999999, as NumPy's
    QCOMPARE(ytvis_params::kIouThresholds[5], 0.75);
    const auto& r = ytvis_params::recallThresholds();
    QCOMPARE(r[0], 0.0);
    QCOMPARE(r[35], 0.35000000000000003);
    QCOMPARE(r[100], 1.0);
    QCOMPARE(ytvis_params::kEps, 2.220446049250313e-16);
  }

  void numpySumsArePairwise() {
    // np.sum(np.full(10, 0.1)) == 1.0, while a plain loop gives 0.9999999999999999.
    const std::vector<double> tenths(10, 0.1);
    QCOMPARE(numpyPairwiseSum(tenths.data(), tenths.size()), 1.0);
    double plain = 0;
    for (double v : tenths) plain += v;
    QVERIFY(plain != 1.0);
    QCOMPARE(numpyMean({1.0, 2.0, 4.0}), 7.0 / 3.0);
    // avg_area drops null and 0 areas.
    QCOMPARE(averageTrackArea({std::nullopt, 0.0, 10.0, 20.0}), 15.0);
    QCOMPARE(averageTrackArea({std::nullopt, 0.0}), 0.0);
  }

  void scoreOrderIsStableWithNanLast() {
    const std::vector<double> scores = {0.5, std::nan(""), 0.9, 0.5, 0.9};
    const std::vector<size_t> expected = {2, 4, 0, 3, 1};
    QVERIFY(orderByScore(scores) == expected);
  }

  void spatioTemporalIouFollowsOfficialFrameRules() {
    // Frame 0: d = {0,1}, g = {1,2,3}: i = 1, u = 4. Frame 1: d null, g = {4}: u += 1.
    // Frame 2: d = {5}, g null: u += 1. Frame 3: both null. Frame 4: d empty (present), g = {0}: u += 1.
    TrackRuns d(5), g(5);
    d[0] = toFrameRuns(decompress(mask4x3({0, 1})));
    g[0] = toFrameRuns(decompress(mask4x3({1, 2, 3})));
    g[1] = toFrameRuns(decompress(mask4x3({4})));
    d[2] = toFrameRuns(decompress(mask4x3({5})));
    d[4] = toFrameRuns(decompress(mask4x3({})));
    g[4] = toFrameRuns(decompress(mask4x3({0})));
    QCOMPARE(spatioTemporalIou(d, g), 1.0 / 7.0);
    // Only the first min(len) frames count (zip): three frames give i = 1, u = 6.
    TrackRuns short_d(d.begin(), d.begin() + 3);
    QCOMPARE(spatioTemporalIou(short_d, g), 1.0 / 6.0);
    // A size mismatch on a frame where both are present adds nothing to either sum.
    TrackRuns other = d;
    other[0] = toFrameRuns(rleFromCounts({1, 2, 3}, 2, 3));
    QCOMPARE(spatioTemporalIou(other, g), 0.0 / 3.0);
    // Nothing anywhere: u = 0 gives 0.
    QCOMPARE(spatioTemporalIou(TrackRuns(3), TrackRuns(3)), 0.0);
  }

  void runIntersectionsEqualRleOverlap() {
    // Random blobs of several sizes: the interval merge agrees with the run walk of rle.h.
    std::mt19937 rng(5);
    for (int trial = 0; trial < 300; ++trial) {
      const int h = 1 + rng() % 40, w = 1 + rng() % 40;
      auto blob = [&] {
        std::vector<uint8_t> m(static_cast<size_t>(h) * w, 0);
        const int kind = rng() % 4;
        for (auto& px : m) px = kind == 0 ? 0 : kind == 1 ? 1 : (rng() % 100 < (kind == 2 ? 10 : 70));
        return rleEncode(m.data(), h, w);
      };
      const Rle a = blob(), b = blob();
      const Overlap reference = rleOverlap(a, b);
      const FrameRuns runs_a = toFrameRuns(a), runs_b = toFrameRuns(b);
      const Overlap fast = frameOverlap(&runs_a, &runs_b);
      QCOMPARE(fast.intersection, reference.intersection);
      QCOMPARE(fast.union_, reference.union_);
      QCOMPARE(runs_a.area, rleArea(a));
      // Decoding the compressed string directly gives the same intervals.
      const FrameRuns decoded = decodeFrameRuns(compress(a));
      QVERIFY(decoded.bounds == runs_a.bounds);
      QCOMPARE(decoded.area, runs_a.area);
    }
    QVERIFY(errorOf([] { decodeFrameRuns({4, 3, "6230"}); }).contains("cover"));  // 13 pixels, not 4 x 3
    QVERIFY(!errorOf([] { decodeFrameRuns({4, 3, "6~"}); }).isEmpty());           // invalid character
  }

  void metricsJsonRoundTripsExactly() {
    std::array<double, 12> stats{};
    for (int i = 0; i < 12; ++i) stats[i] = i == 4 ? -1.0 : 1.0 / (3.0 + i);
    const YtvisMetrics m = metricsFromStats(stats);
    const YtvisMetrics back = metricsFromJson(metricsToJson(m), "memory");
    QVERIFY(back.stats == m.stats);
    QVERIFY(metricsToJson(m).find("\"AP\":") != std::string::npos);
    const std::string table = formatMetricsTable(m, "title");
    QVERIFY(table.find("33.33") != std::string::npos);  // AP = 1/3 as x100 with two decimals
    QVERIFY(table.find("n/a") != std::string::npos);
  }
};

QTEST_APPLESS_MAIN(TestYtvisEval)
#include "test_ytvis_eval.moc"
