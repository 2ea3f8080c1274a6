// core/config: YAML presets load, unknown keys and bad values are rejected with the key named,
// --set overrides, and the written YAML reads back to the same configuration.
#include <QtTest>

#include "core/config/config.h"
#include "core/config/presets.h"
#include "core/util/error.h"
#include "tests/support/error_message.h"

using autoqvis::testing::errorOf;
using namespace autoqvis;

class TestConfig : public QObject {
  Q_OBJECT

 private slots:
  void defaultsAreThePaperSettings() {
    const Config c;
    QCOMPARE(c.model.num_queries, 100);
    QCOMPARE(c.model.decoder_layers, 10);
    QCOMPARE(c.initial_training.base_lr, 2e-5);
    QCOMPARE(c.initial_training.max_iter, 8000);
    QVERIFY(c.initial_training.train_quality_head);
    QVERIFY(!c.initial_training.droploss);
    QCOMPARE(c.round_training.max_iter, 10000);
    QVERIFY(c.round_training.droploss);
    QVERIFY(!c.round_training.train_quality_head);
    QCOMPARE(c.selftrain.quality_threshold, 0.75);
    QCOMPARE(c.selftrain.score_threshold, 0.25);
    checkConfig(c);
  }

  void everyPresetLoadsAndChecks() {
    QVERIFY(presetNames().size() >= 2);
    for (const auto& name : presetNames()) parseConfig(presetYaml(name), name);
    const Config demo = parseConfig(presetYaml("demo"), "demo");
    QCOMPARE(demo.model.hidden_dim, 64);
    QCOMPARE(demo.initial_training.min_size_train, std::vector<int>{120});
    const Config paper = parseConfig(presetYaml("paper-r50-ytvis19"), "paper");
    QCOMPARE(paper.initial_training.min_size_train, (std::vector<int>{360, 480}));
    QVERIFY_THROWS_EXCEPTION(Error, presetYaml("no-such-preset"));
  }

  void unknownKeysAndSectionsAreRejectedByName() {
    QString message = errorOf([] { parseConfig("model:\n  num_querys: 5\n", "my.yaml"); });
    QVERIFY2(message.contains("my.yaml") && message.contains("model.num_querys") && message.contains("num_queries"),
             qPrintable(message));
    message = errorOf([] { parseConfig("modle:\n  num_queries: 5\n", "my.yaml"); });
    QVERIFY2(message.contains("'modle'") && message.contains("unknown section"), qPrintable(message));
  }

  void wrongTypesAndRangesNameKeyAndValue() {
    QString message = errorOf([] { parseConfig("initial_training:\n  base_lr: fast\n", "c.yaml"); });
    QVERIFY2(message.contains("initial_training.base_lr") && message.contains("'fast'"), qPrintable(message));
    message = errorOf([] { parseConfig("selftrain:\n  quality_threshold: 1.5\n", "c.yaml"); });
    QVERIFY2(message.contains("selftrain.quality_threshold") && message.contains("1.5") && message.contains("[0, 1]"),
             qPrintable(message));
    message = errorOf([] { parseConfig("runtime:\n  device: tpu\n", "c.yaml"); });
    QVERIFY2(message.contains("runtime.device") && message.contains("auto, cpu, cuda"), qPrintable(message));
    message = errorOf([] { parseConfig("toy_world:\n  min_objects_per_image: 3\n  max_objects_per_image: 2\n", "c.yaml"); });
    QVERIFY2(message.contains("toy_world.max_objects_per_image"), qPrintable(message));
    message = errorOf([] { parseConfig("model: [1, 2\n", "broken.yaml"); });
    QVERIFY2(message.contains("broken.yaml") && message.contains("malformed YAML"), qPrintable(message));
  }

  void overridesApplyAndAreChecked() {
    Config c;
    applyOverride(c, "data.root=/tmp/world");
    applyOverride(c, "selftrain.quality_threshold=0.6");
    applyOverride(c, "initial_training.min_size_train=[240, 300]");
    applyOverride(c, "round_training.amp=false");
    QCOMPARE(QString::fromStdString(c.data.root), QString("/tmp/world"));
    QCOMPARE(c.selftrain.quality_threshold, 0.6);
    QCOMPARE(c.initial_training.min_size_train, (std::vector<int>{240, 300}));
    QVERIFY(!c.round_training.amp);
    QString message = errorOf([&] { applyOverride(c, "selftrain.rounds=-1"); });
    QVERIFY2(message.contains("selftrain.rounds") && message.contains("-1"), qPrintable(message));
    message = errorOf([&] { applyOverride(c, "selftrain.round=2"); });
    QVERIFY2(message.contains("selftrain.round"), qPrintable(message));
    message = errorOf([&] { applyOverride(c, "initial_training.base_lr=.nan"); });
    QVERIFY2(message.contains("initial_training.base_lr"), qPrintable(message));
    // A rejected override leaves the configuration as it was.
    QCOMPARE(c.initial_training.base_lr, 2e-5);
    QCOMPARE(c.selftrain.quality_threshold, 0.6);
    QVERIFY_THROWS_EXCEPTION(Error, applyOverride(c, "no-dot=1"));
    QVERIFY_THROWS_EXCEPTION(Error, applyOverride(c, "selftrain.rounds"));
  }

  void writtenYamlReadsBackIdentically() {
    Config c = parseConfig(presetYaml("demo"), "demo");
    applyOverride(c, "initial_training.base_lr=3.3e-5");
    applyOverride(c, "selftrain.quality_threshold=0.7");
    applyOverride(c, "data.root=some dir/with spaces");
    const std::string yaml = configToYaml(c);
    QVERIFY(yaml.find("# tau on Q") != std::string::npos);  // help text as comments
    const Config back = parseConfig(yaml, "written");
    QCOMPARE(configToYaml(back), yaml);
    QCOMPARE(back.initial_training.base_lr, 3.3e-5);
    QCOMPARE(back.selftrain.quality_threshold, 0.7);
    QCOMPARE(QString::fromStdString(back.data.root), QString("some dir/with spaces"));
    QCOMPARE(back.model.hidden_dim, 64);
  }

  void keysAreListedAndPathsResolve() {
    const auto keys = configKeys();
    QVERIFY(std::find(keys.begin(), keys.end(), "selftrain.quality_threshold") != keys.end());
    QVERIFY(std::find(keys.begin(), keys.end(), "data.root") != keys.end());
    Config c;
    c.data.root = "/data/world";
    QCOMPARE(QString::fromStdString(resolveDataPath(c, "val/videos.json").string()), QString("/data/world/val/videos.json"));
    QCOMPARE(QString::fromStdString(resolveDataPath(c, "/abs/x.json").string()), QString("/abs/x.json"));
  }
};

QTEST_APPLESS_MAIN(TestConfig)
#include "test_config.moc"
