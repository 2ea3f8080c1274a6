// Video-level inference against the official inference_video (shared/fixtures/m2f-small and its quality/
// set): top-10 queries, scores, per-frame masks at the requested size, AutoQ-VIS's sorted order and
// clamped predicted IoUs; and the PIL-exact test-time resize that feeds it.
// LibTorch first: Qt's `slots` keyword macro would break its headers.
#include <torch/torch.h>

#include <QtTest>
#include <filesystem>
#include <fstream>

#include <opencv2/core.hpp>

#include "core/video/pil_resize.h"
#include "core/checkpoint/pth_state_dict.h"
#include "core/model/state_dict_loading.h"
#include "core/infer/video_predictor.h"
#include "core/util/error.h"
#include "tests/support/reference_model.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

const fs::path kFixture = fs::path(AUTOQVIS_FIXTURES_DIR) / "m2f-small";

torch::Tensor fixtureTensor(const std::string& name) { return test::loadSavedTensor(kFixture / "tensors" / (name + ".pt")); }
torch::Tensor qualityTensor(const std::string& name) { return test::loadSavedTensor(kFixture / "quality" / "tensors" / (name + ".pt")); }

ModelOptions fixtureOptions(bool quality_head) { return test::smallReferenceModelOptions(quality_head); }

VideoMaskFormer fixtureModel(bool quality_head) {
  VideoMaskFormer model(fixtureOptions(quality_head));
  loadStateDict(*model, readPthStateDict(kFixture / "model.pth"));
  if (quality_head) loadStateDict(*model, readPthStateDict(kFixture / "quality" / "maskiou_head_plain.pt"));
  return model;
}

cv::Mat frameAsMat(const torch::Tensor& chw) {
  const torch::Tensor hwc = chw.permute({1, 2, 0}).contiguous();
  return cv::Mat(hwc.size(0), hwc.size(1), CV_8UC3, hwc.data_ptr<uint8_t>()).clone();
}

torch::Tensor decodeMasks(const InstancePrediction& instance) {
  std::vector<torch::Tensor> frames;
  for (const CompressedRle& rle : instance.masks) {
    torch::Tensor m = torch::zeros({rle.h, rle.w}, torch::kUInt8);
    rleDecode(decompress(rle), m.data_ptr<uint8_t>());
    frames.push_back(m.to(torch::kBool));
  }
  return torch::stack(frames);
}

// Compares a prediction with the reference top-10 (scores, query indices, masks [10, T, H, W]), matching
// instances by query index since VideoCutLER's order is implementation-defined. Returns differing pixels.
int64_t compareWithReference(const VideoPrediction& got, const torch::Tensor& scores, const torch::Tensor& queries,
                             const torch::Tensor& masks, bool same_order) {
  if (got.instances.size() != 10) throw std::runtime_error("expected 10 instances");
  int64_t differing = 0;
  for (int64_t i = 0; i < 10; ++i) {
    int64_t j = i;
    if (!same_order) {
      j = -1;
      for (int64_t r = 0; r < 10; ++r) {
        if (queries[r].item<int64_t>() == got.instances[i].query) j = r;
      }
      if (j < 0) throw std::runtime_error("query " + std::to_string(got.instances[i].query) + " not in the reference");
    }
    if (got.instances[i].query != queries[j].item<int64_t>()) throw std::runtime_error("query order differs");
    if (std::abs(got.instances[i].score - scores[j].item<double>()) > 1e-5) throw std::runtime_error("score differs");
    differing += (decodeMasks(got.instances[i]) != masks[j]).sum().item<int64_t>();
  }
  return differing;
}

}  // namespace

class TestVideoInference : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { torch::set_num_threads(2); }

  void pilResizeMatchesPillow() {
    // The reference resized the fixture frames 120x168 -> 360x504 with PIL (e2e_resized_frames_uint8).
    const torch::Tensor frames = fixtureTensor("input_frames_uint8");
    const torch::Tensor expected = fixtureTensor("e2e_resized_frames_uint8");
    for (int64_t t = 0; t < frames.size(0); ++t) {
      const cv::Mat resized = pilResizeBilinear(frameAsMat(frames[t]), cv::Size(504, 360));
      const torch::Tensor got = torch::from_blob(resized.data, {360, 504, 3}, torch::kUInt8).permute({2, 0, 1});
      QCOMPARE((got != expected[t]).sum().item<int64_t>(), int64_t{0});
    }
  }

  void pilResizeShrinksWithAnAntialiasingFilter() {
    // Halving a 1-pixel checkerboard averages 2x2 neighbourhoods in PIL's filter (support 2 when
    // shrinking by 2), giving uniform grey; a 2-tap bilinear sample would keep the pattern's extremes.
    cv::Mat board(8, 8, CV_8UC1);
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x) board.at<uint8_t>(y, x) = (x + y) % 2 ? 255 : 0;
    const cv::Mat half = pilResizeBilinear(board, cv::Size(4, 4));
    double lo, hi;
    cv::minMaxLoc(half.rowRange(1, 3).colRange(1, 3), &lo, &hi);
    QVERIFY2(lo >= 110 && hi <= 145, qPrintable(QString("interior %1..%2").arg(lo).arg(hi)));
  }

  void videoCutlerInferenceMatchesReference() {
    PredictorOptions unsorted;
    unsorted.sorted = false;
    VideoPredictor predictor(fixtureModel(false), fixtureOptions(false), unsorted);
    const torch::Tensor frames = fixtureTensor("input_frames_uint8");
    const int64_t diff = compareWithReference(predictor.predictResized(frames, 120, 168), fixtureTensor("inference_scores"),
                                              fixtureTensor("inference_query_indices"), fixtureTensor("inference_masks"), false);
    qInfo("%lld of 604800 mask pixels differ", static_cast<long long>(diff));
    QVERIFY2(diff <= 20, qPrintable(QString("%1 mask pixels differ").arg(diff)));
    // The same clip with masks resized to another output size (inference_alt_*: 150x210).
    const int64_t alt = compareWithReference(predictor.predictResized(frames, 150, 210), fixtureTensor("inference_alt_scores"),
                                             fixtureTensor("inference_alt_query_indices"), fixtureTensor("inference_alt_masks"), false);
    QVERIFY2(alt <= 20, qPrintable(QString("%1 mask pixels differ at 150x210").arg(alt)));
  }

  void endToEndFromOriginalFrames() {
    // Original 120x168 frames -> PIL resize to 360x504 -> model -> masks back at 120x168 (e2e_*), with
    // frames split into chunks of 2 through backbone and pixel decoder.
    PredictorOptions options;
    options.sorted = false;
    options.chunk_frames = 2;
    VideoPredictor predictor(fixtureModel(false), fixtureOptions(false), options);
    const torch::Tensor frames = fixtureTensor("input_frames_uint8");
    std::vector<cv::Mat> mats;
    for (int64_t t = 0; t < frames.size(0); ++t) mats.push_back(frameAsMat(frames[t]));
    std::vector<int64_t> reported;
    const VideoPrediction got = predictor.predict(mats, [&](int64_t done, int64_t total) {
      reported.push_back(done);
      QCOMPARE(total, int64_t{6});
    });
    QCOMPARE(reported.back(), int64_t{6});
    QCOMPARE(got.height, 120);
    QCOMPARE(got.width, 168);
    const int64_t diff = compareWithReference(got, fixtureTensor("e2e_inference_scores"), fixtureTensor("e2e_inference_query_indices"),
                                              fixtureTensor("e2e_inference_masks"), false);
    qInfo("%lld of 604800 mask pixels differ", static_cast<long long>(diff));
    QVERIFY2(diff <= 20, qPrintable(QString("%1 mask pixels differ").arg(diff)));
  }

  void autoqvisInferenceIsSortedWithClampedIous() {
    VideoPredictor predictor(fixtureModel(true), fixtureOptions(true));
    const VideoPrediction got = predictor.predictResized(fixtureTensor("input_frames_uint8"), 120, 168);
    const int64_t diff = compareWithReference(got, qualityTensor("inference_scores"), qualityTensor("inference_query_indices"),
                                              qualityTensor("inference_masks"), true);
    qInfo("%lld of 604800 mask pixels differ", static_cast<long long>(diff));
    QVERIFY2(diff <= 20, qPrintable(QString("%1 mask pixels differ").arg(diff)));
    const torch::Tensor expected = qualityTensor("inference_pred_ious");  // [10, T, 1]
    double worst = 0;
    for (int64_t i = 0; i < 10; ++i) {
      QCOMPARE(int(got.instances[i].pred_ious.size()), 3);
      for (int64_t t = 0; t < 3; ++t) {
        const double value = got.instances[i].pred_ious[t];
        QVERIFY(value >= 0.0 && value <= 1.0);
        worst = std::max(worst, std::abs(value - expected[i][t][0].item<double>()));
      }
    }
    qInfo("pred_ious max abs difference %.3g", worst);
    QVERIFY2(worst < 1e-4, qPrintable(QString("pred_ious differ by %1").arg(worst)));
  }

  void topKMustFitTheQueries() {
    PredictorOptions too_many;
    too_many.top_k = 11;
    QVERIFY_THROWS_EXCEPTION(Error, VideoPredictor(fixtureModel(false), fixtureOptions(false), too_many));
  }
};

QTEST_APPLESS_MAIN(TestVideoInference)
#include "test_video_inference.moc"
