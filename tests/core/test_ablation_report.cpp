// The ablation plan (which workspaces each paper table needs) and its report: mean and sample standard
// deviation over seeds, rows that have not run, and the paper's numbers beside ours.
#include <QtTest>

#include <set>

#include "core/experiments/ablation_plan.h"
#include "core/experiments/ablation_report.h"
#include "core/experiments/ablation_run.h"
#include "core/util/error.h"

using namespace autoqvis;
using nlohmann::json;

namespace {

std::vector<std::string> names(const std::vector<AblationCell>& cells) {
  std::vector<std::string> out;
  for (const AblationCell& c : cells) out.push_back(c.name);
  return out;
}

json run(int seed, double round1_ap50, double round2_ap50) {
  return {{"seed", seed},
          {"stages", {{"round-1", {{"AP50", round1_ap50}, {"AP", 0.1}, {"objects", 4 + seed}, {"frames", 20}}},
                      {"round-2", {{"AP50", round2_ap50}, {"AP", 0.2}}}}}};
}

}  // namespace

class TestAblationReport : public QObject {
  Q_OBJECT

 private slots:
  // A round trains with runtime.seed + its index: no two (seed, round) pairs of an ablation may share that
  // stream, or two "independent" seeds would partly be one run.
  void everySeedAndRoundTrainsWithItsOwnStream() {
    Config config;
    config.runtime.seed = 7;
    std::set<int64_t> streams;
    const AblationCell full = ablationCells({4}).front();
    for (int seed = 1; seed <= 5; ++seed) {
      const Config cell = ablationCellConfig(config, full, seed);
      QCOMPARE(cell.selftrain.rounds, 3);
      for (int round = 1; round <= cell.selftrain.rounds; ++round) streams.insert(cell.runtime.seed + round);
    }
    QCOMPARE(streams.size(), size_t(5 * 3));
    QCOMPARE(ablationCellConfig(config, full, 1).runtime.seed, int64_t{7});  // seed 1 is the config's own
    const Config no_quality = ablationCellConfig(config, ablationCells({3})[1], 2);
    QCOMPARE(no_quality.selftrain.quality_threshold, 0.85);
  }

  void planHasEachCellOnce() {
    QCOMPARE(names(ablationCells({3})),
             (std::vector<std::string>{"full", "no_quality", "no_droploss", "no_reset"}));
    QCOMPARE(ablationCells({3}).front().rounds, 2);
    QCOMPARE(ablationCells({4}).front().rounds, 3);  // Table 4's third round is the full run's
    QCOMPARE(names(ablationCells({2, 3, 4, 5})).size(), size_t(9));
    const AblationCell no_quality = ablationCells({3})[1];
    QCOMPARE(no_quality.overrides,
             (std::vector<std::string>{"selftrain.label_source=confidence", "selftrain.quality_threshold=0.85"}));
    const AblationCell truth = ablationCells({2}).back();
    QCOMPARE(truth.name, std::string("ground_truth"));
    QCOMPARE(truth.rounds, 1);
  }

  void tablesParseOrNameTheProblem() {
    QCOMPARE(parseAblationTables("2,5"), (std::set<int>{2, 5}));
    try {
      parseAblationTables("3,7");
      QFAIL("accepted table 7");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find("'7'") != std::string::npos, e.what());
    }
  }

  void meanAndSampleStdOverSeeds() {
    const json results = {{"seeds", 2},
                          {"tables", {4}},
                          {"stage1", {{"AP50", 0.30}, {"AP", 0.12}}},
                          {"cells", {{"full", {{"label", "full"}, {"rounds", 3}, {"runs", {run(1, 0.40, 0.44), run(2, 0.42, 0.48)}}}}}}};
    const auto round2 = cellMetric(results, "full", "round-2", "AP50");
    QVERIFY(round2);
    QCOMPARE(round2->n, size_t(2));
    QVERIFY(std::abs(round2->mean - 0.46) < 1e-12);
    QVERIFY(std::abs(round2->std - std::sqrt(0.0008)) < 1e-12);  // ((0.02^2 * 2) / (2 - 1))^0.5
    QVERIFY(!cellMetric(results, "full", "round-3", "AP50"));    // not run yet
    QVERIFY(!cellMetric(results, "no_reset", "round-2", "AP50"));
    const std::string md = ablationMarkdown(results);
    QVERIFY2(md.find("| 2 | full / round-2 | 46.0 ± 2.8 | 20.0 ± 0.0 | 52.6 | 28.1 |") != std::string::npos, md.c_str());
    QVERIFY2(md.find("| 3 | full / round-3 | not run | not run | 52.0 | 27.7 |") != std::string::npos, md.c_str());
    QVERIFY2(md.find("| 0 (stage 1) | stage1 / initial | 30.0 | 12.0 | - | - |") != std::string::npos, md.c_str());
    QVERIFY(md.find("Table 3") == std::string::npos);  // only the tables asked for
    // A stopped ablation: a cell with fewer seeds than asked for says so.
    json partial = results;
    partial["seeds"] = 3;
    const std::string partial_md = ablationMarkdown(partial);
    QVERIFY2(partial_md.find("| 46.0 ± 2.8 (2 of 3 seeds) |") != std::string::npos, partial_md.c_str());
    QVERIFY2(partial_md.find("| stage1 / initial | 30.0 | 12.0 |") != std::string::npos, partial_md.c_str());
  }
};

QTEST_APPLESS_MAIN(TestAblationReport)
#include "test_ablation_report.moc"
