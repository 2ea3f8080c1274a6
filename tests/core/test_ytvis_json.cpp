// YouTube-VIS and COCO JSON: the official-format fixtures load (uncompressed GT counts, null frames),
// files round-trip, and every kind of bad input gives an Error naming file, video, annotation, frame.
#include <QtTest>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/dataset/coco_json.h"
#include "core/dataset/ytvis_json.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"
#include "tests/support/error_message.h"

using autoqvis::testing::errorOf;
using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

const fs::path kEvalFixtures = fs::path(AUTOQVIS_FIXTURES_DIR) / "ytvis-eval";

// A tiny valid dataset: one 4x3 video of 2 frames, one track present in frame 0 only.
nlohmann::json tinyDataset() {
  return nlohmann::json::parse(R"({
    "videos": [{"id": 5, "width": 3, "height": 4, "length": 2, "file_names": ["v/0.jpg", "v/1.jpg"]}],
    "categories": [{"id": 1, "name": "object"}],
    "annotations": [{"id": 9, "video_id": 5, "category_id": 1, "iscrowd": 0,
                     "segmentations": [{"size": [4, 3], "counts": [1, 2, 9]}, null],
                     "areas": [2, null], "bboxes": [[0, 1, 1, 2], null]}]})");
}

}  // namespace

class TestYtvisJson : public QObject {
  Q_OBJECT

 private slots:
  void loadsEveryOfficialFixture() {
    int files = 0;
    for (const auto& entry : fs::directory_iterator(kEvalFixtures)) {
      if (!fs::exists(entry.path() / "gt.json")) continue;
      const YtvisDataset gt = loadYtvisDataset(entry.path() / "gt.json");
      const auto results = loadYtvisResults(entry.path() / "results.json", &gt, ResultsCheck::Official);
      // Compare against a plain parse of the same file.
      std::ifstream in(entry.path() / "gt.json");
      const auto raw = nlohmann::json::parse(in);
      QCOMPARE(gt.videos.size(), raw["videos"].size());
      QCOMPARE(gt.annotations.size(), raw["annotations"].size());
      for (size_t i = 0; i < gt.annotations.size(); ++i) {
        const auto& track = gt.annotations[i];
        const auto& raw_track = raw["annotations"][i];
        QCOMPARE(track.id, raw_track["id"].get<int64_t>());
        for (int t = 0; t < track.numFrames(); ++t) {
          const auto& raw_seg = raw_track["segmentations"][t];
          QCOMPARE(track.segmentations[t].has_value(), !raw_seg.is_null());
          if (raw_seg.is_null()) continue;
          const Rle rle = decompress(*track.segmentations[t]);
          // Uncompressed counts were compressed on load; the runs are unchanged.
          if (raw_seg["counts"].is_array()) QCOMPARE(rle.counts, raw_seg["counts"].get<std::vector<uint32_t>>());
          else QCOMPARE(track.segmentations[t]->counts, raw_seg["counts"].get<std::string>());
          QCOMPARE(*track.areas[t], raw_track["areas"][t].get<double>());
        }
      }
      ++files;
      QVERIFY(!results.empty() || entry.path().filename() == "edge-empty-results");
    }
    QVERIFY(files >= 8);
  }

  void roundTripsThroughFiles() {
    QTemporaryDir dir;
    const fs::path out = fs::path(dir.path().toStdString()) / "copy.json";
    const YtvisDataset gt = loadYtvisDataset(kEvalFixtures / "edge-all" / "gt.json");
    saveYtvisDataset(gt, out);
    const YtvisDataset back = loadYtvisDataset(out);
    QCOMPARE(ytvisDatasetToJson(back), ytvisDatasetToJson(gt));
    // edge-all holds results with fewer frames than their video: the official evaluator compares the
    // common frames, so only the strict check refuses them.
    const QString strict = errorOf([&] { loadYtvisResults(kEvalFixtures / "edge-all" / "results.json", &gt); });
    QVERIFY2(strict.contains("results[") && strict.contains("per-frame masks"), qPrintable(strict));
    auto results = loadYtvisResults(kEvalFixtures / "edge-all" / "results.json", &gt, ResultsCheck::Official);
    QCOMPARE(results.size(), size_t{1080});
    // Extra per-frame fields survive a round trip.
    auto& first = results.front();
    first.frame_values["pred_iou"].assign(first.numFrames(), 0.5);
    first.frame_values["pred_iou"][0] = std::nullopt;
    saveYtvisResults(results, fs::path(dir.path().toStdString()) / "results.json");
    const auto reread =
        loadYtvisResults(fs::path(dir.path().toStdString()) / "results.json", &gt, ResultsCheck::Official);
    QCOMPARE(reread.size(), results.size());
    QCOMPARE(reread.front().frame_values.at("pred_iou").size(), size_t(first.numFrames()));
    QVERIFY(!reread.front().frame_values.at("pred_iou")[0].has_value());
    QCOMPARE(*reread.front().frame_values.at("pred_iou")[1], 0.5);
    QCOMPARE(*reread.front().score, *results.front().score);
  }

  void tinyDatasetParsesWithComputedFields() {
    auto doc = tinyDataset();
    doc["annotations"][0].erase("areas");
    doc["annotations"][0].erase("bboxes");
    const YtvisDataset d = parseYtvisDataset(doc.dump(), "tiny.json");
    QCOMPARE(d.videos[0].length(), 2);
    const YtvisTrack& t = d.annotations[0];
    QCOMPARE(t.numPresentFrames(), 1);
    QCOMPARE(*t.areas[0], 2.0);
    QCOMPARE((*t.bboxes[0])[1], 1.0);
    QVERIFY(!t.areas[1].has_value());
    QCOMPARE(d.findVideo(5)->id, int64_t{5});
    QVERIFY(d.findVideo(6) == nullptr);
  }

  void pseudoLabelSetsCarryThePerFrameScore() {
    // A pseudo-label set (what `pseudo-labels` writes and a round trains on) stores the confidence per
    // frame, a results list per track.
    auto doc = tinyDataset();
    doc["annotations"][0]["score"] = {0.9, nullptr};
    const YtvisDataset d = parseYtvisDataset(doc.dump(), "pl.json");
    const YtvisTrack& t = d.annotations[0];
    QVERIFY(!t.score.has_value());
    QCOMPARE(*t.frame_values.at("score")[0], 0.9);
    QVERIFY(!t.frame_values.at("score")[1].has_value());
    const YtvisDataset back = parseYtvisDataset(ytvisDatasetToJson(d), "copy.json");
    QCOMPARE(*back.annotations[0].frame_values.at("score")[0], 0.9);
  }

  void badInputNamesFileVideoAnnotationAndFrame() {
    auto check = [](nlohmann::json doc, std::initializer_list<const char*> needles) {
      const QString message = errorOf([&] { parseYtvisDataset(doc.dump(), "bad.json"); });
      QVERIFY2(!message.isEmpty(), "expected an Error");
      for (const char* needle : needles) QVERIFY2(message.contains(needle), qPrintable(message + " lacks " + needle));
    };
    auto doc = tinyDataset();
    doc["annotations"][0]["segmentations"][0]["size"] = {5, 3};
    doc["annotations"][0]["segmentations"][0]["counts"] = {1, 2, 12};
    check(doc, {"bad.json", "video 5", "annotation 9", "frame 0", "5x3", "4x3"});

    doc = tinyDataset();
    doc["annotations"][0]["segmentations"][0]["counts"] = {1, -2, 13};
    check(doc, {"bad.json", "video 5", "annotation 9", "frame 0", "negative"});

    doc = tinyDataset();
    doc["annotations"][0]["segmentations"][0]["counts"] = {1, 2, 20};
    check(doc, {"annotation 9", "frame 0", "23 pixels"});

    doc = tinyDataset();
    doc["annotations"][0]["segmentations"][0]["counts"] = "P8";
    check(doc, {"annotation 9", "frame 0", "256"});

    doc = tinyDataset();
    doc["annotations"][0]["segmentations"].push_back(nullptr);
    check(doc, {"video 5", "annotation 9", "'segmentations' has 3"});
    doc["annotations"][0]["areas"].push_back(nullptr);
    doc["annotations"][0]["bboxes"].push_back(nullptr);
    check(doc, {"video 5", "annotation 9", "3 per-frame masks", "2 frames"});

    doc = tinyDataset();
    doc["annotations"][0]["video_id"] = 77;
    check(doc, {"video 77", "annotation 9", "not in 'videos'"});

    doc = tinyDataset();
    doc["annotations"][0]["segmentations"][1] = nlohmann::json::array({nlohmann::json::array({1, 2, 3, 4})});
    check(doc, {"annotation 9", "frame 1", "polygon"});

    doc = tinyDataset();
    doc["annotations"][0]["id"] = 0;
    check(doc, {"annotations[0]", "> 0"});

    doc = tinyDataset();
    doc["videos"][0].erase("width");
    check(doc, {"videos[0]", "width", "missing"});

    doc = tinyDataset();
    doc["videos"][0]["length"] = 3;
    check(doc, {"video 5", "'length' 3"});

    doc = tinyDataset();
    doc["annotations"][0]["segmentations"][0].erase("counts");
    check(doc, {"annotation 9", "frame 0", "counts", "missing"});

    doc = tinyDataset();
    doc["videos"][0]["width"] = 4294967297LL;  // would wrap to 1 as a 32-bit int
    check(doc, {"videos[0]", "width", "out of range"});

    doc = tinyDataset();
    doc["videos"][0]["width"] = 60000;
    doc["videos"][0]["height"] = 60000;
    check(doc, {"exceeds"});

    doc = tinyDataset();
    doc["videos"][0]["height"] = nlohmann::json::array({nlohmann::json::array({1})});
    check(doc, {"videos[0]", "height", "a JSON array"});

    const QString malformed = errorOf([] { parseYtvisDataset("{\"videos\": [", "trunc.json"); });
    QVERIFY2(malformed.contains("trunc.json") && malformed.contains("malformed JSON"), qPrintable(malformed));
    const QString missing = errorOf([] { loadYtvisDataset("/no/such/file.json"); });
    QVERIFY2(missing.contains("/no/such/file.json"), qPrintable(missing));
  }

  void resultsAreCheckedAgainstTheirVideos() {
    const YtvisDataset d = parseYtvisDataset(tinyDataset().dump(), "tiny.json");
    QString message = errorOf([&] {
      parseYtvisResults(R"([{"video_id": 5, "score": 0.9, "category_id": 1, "segmentations": [null]}])", "r.json", &d);
    });
    QVERIFY2(message.contains("r.json") && message.contains("video 5") && message.contains("results[0]"), qPrintable(message));
    message = errorOf([&] {
      parseYtvisResults(R"([{"video_id": 8, "score": 0.9, "segmentations": [null, null]}])", "r.json", &d);
    });
    QVERIFY2(message.contains("video 8"), qPrintable(message));
    message = errorOf([&] { parseYtvisResults(R"([{"video_id": 5, "segmentations": [null, null]}])", "r.json", &d); });
    QVERIFY2(message.contains("score"), qPrintable(message));
    const auto ok = parseYtvisResults(R"([{"video_id": 5, "score": 0.9, "category_id": 1,
        "segmentations": [null, {"size": [4, 3], "counts": "0<"}], "pred_iou": [null, 0.8]}])", "r.json", &d);
    QCOMPARE(ok.size(), size_t{1});
    QCOMPARE(*ok[0].frame_values.at("pred_iou")[1], 0.8);
  }

  void cocoRoundTripAndErrors() {
    CocoDataset coco;
    coco.images.push_back({1, "a.jpg", 3, 4});
    std::vector<uint8_t> mask(12, 0);
    mask[4] = mask[5] = 1;
    CocoAnnotation a;
    a.id = 1;
    a.image_id = 1;
    a.segmentation = compress(rleEncode(mask.data(), 4, 3));
    a.score = 0.7;
    coco.annotations.push_back(a);
    QTemporaryDir dir;
    const fs::path path = fs::path(dir.path().toStdString()) / "coco.json";
    saveCocoDataset(coco, path);
    const CocoDataset back = loadCocoDataset(path);
    QCOMPARE(back.annotations.size(), size_t{1});
    QCOMPARE(back.annotations[0].area, 2.0);
    QCOMPARE(back.annotations[0].segmentation.counts, a.segmentation.counts);
    QCOMPARE(*back.annotations[0].score, 0.7);
    auto doc = nlohmann::json::parse(readFile(path));
    doc["annotations"][0]["image_id"] = 2;
    QString message = errorOf([&] { parseCocoDataset(doc.dump(), "c.json"); });
    QVERIFY2(message.contains("c.json") && message.contains("annotation 1") && message.contains("image id 2"), qPrintable(message));
    doc["annotations"][0]["image_id"] = 1;
    doc["images"][0]["height"] = 5;
    message = errorOf([&] { parseCocoDataset(doc.dump(), "c.json"); });
    QVERIFY2(message.contains("disagrees"), qPrintable(message));
  }
};

QTEST_APPLESS_MAIN(TestYtvisJson)
#include "test_ytvis_json.moc"
