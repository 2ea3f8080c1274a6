// The RLE codec against the official maskApi.c: every case of shared/fixtures/coco-rle.json was
// produced by pycocotools; strings and numbers must agree exactly.
#include <QtTest>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "core/dataset/rle.h"
#include "core/util/error.h"

using namespace autoqvis;
using nlohmann::json;

namespace {

json loadFixture() {
  std::ifstream in(std::string(AUTOQVIS_FIXTURES_DIR) + "/coco-rle.json");
  if (!in) return json();
  return json::parse(in);
}

// The fixture writes masks as one string of '0'/'1' per row.
std::vector<uint8_t> rowMajorMask(const json& rows, int h, int w) {
  std::vector<uint8_t> mask(static_cast<size_t>(h) * w);
  for (int y = 0; y < h; ++y) {
    const std::string row = rows[y].get<std::string>();
    for (int x = 0; x < w; ++x) mask[static_cast<size_t>(y) * w + x] = row[x] == '1';
  }
  return mask;
}

}  // namespace

class TestRle : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    fixture_ = loadFixture();
    QVERIFY2(fixture_.contains("cases"), "shared/fixtures/coco-rle.json is missing");
    QVERIFY(fixture_["cases"].size() >= 50);
  }

  void matchesMaskApiOnEveryFixtureCase() {
    int index = 0;
    for (const json& c : fixture_["cases"]) {
      const int h = c["h"], w = c["w"];
      const QByteArray where = QByteArray("case ") + QByteArray::number(index++) + " (" +
                               QByteArray::fromStdString(c["kind"].get<std::string>()) + ")";
      const auto a_mask = rowMajorMask(c["mask_a"], h, w);
      const auto b_mask = rowMajorMask(c["mask_b"], h, w);
      const Rle a = rleEncode(a_mask.data(), h, w);
      const Rle b = rleEncode(b_mask.data(), h, w);
      QCOMPARE(a.counts, c["counts_a_uncompressed"].get<std::vector<uint32_t>>());
      QVERIFY2(rleToString(a) == c["rle_a"].get<std::string>(), where);
      QVERIFY2(rleToString(b) == c["rle_b"].get<std::string>(), where);
      const Rle from_counts = rleFromCounts(c["counts_a_uncompressed"].get<std::vector<uint32_t>>(), h, w);
      QVERIFY2(rleToString(from_counts) == c["rle_from_uncompressed_a"].get<std::string>(), where);
      QCOMPARE(rleArea(a), c["area_a"].get<uint64_t>());
      const BoxXYWH box = rleToBbox(a);
      const auto expected_box = c["bbox_a"].get<std::vector<double>>();
      for (int i = 0; i < 4; ++i) QCOMPARE(box[i], expected_box[i]);
      QVERIFY2(rleToString(rleMerge({&a, &b}, false)) == c["union"].get<std::string>(), where);
      QVERIFY2(rleToString(rleMerge({&a, &b}, true)) == c["intersection"].get<std::string>(), where);
      QCOMPARE(rleIou(a, b, false), c["iou"].get<double>());
      QCOMPARE(rleIou(a, b, true), c["iou_b_as_crowd"].get<double>());
      // Decoding the official string gives back the mask, in both memory orders.
      const Rle parsed = rleFromString(c["rle_a"].get<std::string>(), h, w);
      QCOMPARE(parsed.counts, a.counts);
      std::vector<uint8_t> decoded(a_mask.size());
      rleDecode(parsed, decoded.data());
      QVERIFY2(decoded == a_mask, where);
    }
  }

  void columnMajorEncodingMatchesRowMajor() {
    std::mt19937 rng(3);
    const int h = 37, w = 53;
    std::vector<uint8_t> row(h * w), column(h * w);
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const uint8_t v = (x - 20) * (x - 20) + (y - 15) * (y - 15) < 150 || rng() % 17 == 0;
        row[y * w + x] = v ? 255 : 0;  // any non-zero byte is foreground
        column[x * h + y] = v;
      }
    }
    const Rle a = rleEncode(row.data(), h, w);
    const Rle b = rleEncodeColumnMajor(column.data(), h, w);
    QCOMPARE(a.counts, b.counts);
    std::vector<uint8_t> back(h * w);
    rleDecodeColumnMajor(a, back.data());
    QVERIFY(back == column);
  }

  void respectsStrideOfSubImages() {
    const int h = 4, w = 3, stride = 8;
    std::vector<uint8_t> padded(h * stride, 7);  // padding bytes must be ignored
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) padded[y * stride + x] = (x == 1);
    }
    const Rle rle = rleEncode(padded.data(), h, w, stride);
    QCOMPARE(rleArea(rle), uint64_t{4});
    std::vector<uint8_t> out(h * stride, 9);
    rleDecode(rle, out.data(), stride);
    for (int y = 0; y < h; ++y) {
      QCOMPARE(int(out[y * stride + 1]), 1);
      QCOMPARE(int(out[y * stride + 0]), 0);
      QCOMPARE(int(out[y * stride + 5]), 9);  // beyond the row width: untouched
    }
  }

  void sizeMismatchGivesMinusOneIou() {
    const std::vector<uint8_t> m(6, 1), empty(6, 0);
    const Rle a = rleEncode(m.data(), 2, 3), b = rleEncode(m.data(), 3, 2);
    QCOMPARE(rleIou(a, b), -1.0);
    QCOMPARE(rleIou(rleEncode(empty.data(), 2, 3), b), 0.0);  // maskApi: boxes do not overlap -> 0
    QCOMPARE(rleMerge({&a, &b}, false).h, 0);
    QVERIFY_THROWS_EXCEPTION(Error, rleOverlap(a, b));
  }

  void foldsInteriorZeroRuns() {
    // [1, 0, 1, 2] is the 2x2 mask 0 0 1 1 (column-major) written with a stray empty run.
    const Rle a = rleFromCounts({1, 0, 1, 2}, 2, 2);
    QCOMPARE(a.counts, (std::vector<uint32_t>{2, 2}));
    QCOMPARE(rleIou(a, a), 1.0);
    QCOMPARE(rleToBbox(a)[2], 1.0);
    QCOMPARE(rleFromCounts({0, 4}, 2, 2).counts, (std::vector<uint32_t>{0, 4}));  // a leading 0 is maskApi's own
    QCOMPARE(rleFromCounts({4, 0}, 2, 2).counts, (std::vector<uint32_t>{4}));
  }

  void rejectsMalformedStrings() {
    QVERIFY_THROWS_EXCEPTION(Error, rleFromString("P8", 16, 15));        // covers 256 pixels, not 240
    QVERIFY_THROWS_EXCEPTION(Error, rleFromString("1 ", 1, 1));          // invalid character
    QVERIFY_THROWS_EXCEPTION(Error, rleFromString("k", 4, 4));           // value continues past the end
    QVERIFY_THROWS_EXCEPTION(Error, rleFromString("00000", 2, 2));       // runs cover 0 of 4 pixels
    QVERIFY_THROWS_EXCEPTION(Error, rleFromString("11K", 2, 2));         // third run decodes to -5
    QVERIFY_THROWS_EXCEPTION(Error, rleFromCounts({3, 2}, 2, 2));        // 5 pixels for a 2x2 mask
    try {
      rleFromString("P8", 16, 15);
    } catch (const Error& e) {
      QVERIFY(QString(e.what()).contains("256"));
      QVERIFY(QString(e.what()).contains("240"));
    }
    QCOMPARE(rleFromString("", 0, 0).counts.size(), size_t{0});
  }

 private:
  json fixture_;
};

QTEST_APPLESS_MAIN(TestRle)
#include "test_rle.moc"
