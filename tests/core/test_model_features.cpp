// The VIS model against the official VideoCutLER code: the small fixture model's weights, imported from its
// detectron2 .pth by name, must reproduce the reference normalised input, res2..res5, the pixel decoder
// outputs and every decoder prediction (shared/fixtures/m2f-small); the full R50 model must have exactly
// the released checkpoint's keys and shapes.
// LibTorch first: Qt's `slots` keyword macro would break its headers (IValue has a slots() member).
#include <torch/torch.h>

#include <QtTest>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/config/model_options.h"
#include "core/checkpoint/pth_state_dict.h"
#include "core/model/pixel_decoder.h"
#include "core/model/ms_deform_attn.h"
#include "core/model/ms_deform_attn_fused.h"
#include "core/model/parallel_dropout.h"
#include "core/model/preprocess.h"
#include "core/model/quality_head.h"
#include "core/model/resnet.h"
#include "core/model/state_dict_loading.h"
#include "core/model/video_mask_former.h"
#include "core/model/video_transformer_decoder.h"
#include "tests/support/reference_model.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

const fs::path kFixture = fs::path(AUTOQVIS_FIXTURES_DIR) / "m2f-small";

torch::Tensor fixtureTensor(const std::string& name) { return test::loadSavedTensor(kFixture / "tensors" / (name + ".pt")); }

// The VideoCutLER model; the AutoQ-VIS tests switch the head on.
ModelOptions fixtureOptions() { return test::smallReferenceModelOptions(false); }

// The AutoQ-VIS variant of the fixture model: the same weights plus the quality head, dropout off so that
// training mode (which scores every output) is deterministic.
ModelOptions fixtureQualityOptions() {
  ModelOptions o = fixtureOptions();
  o.quality_head = true;
  o.encoder_dropout = 0.0;
  return o;
}

torch::Tensor qualityTensor(const std::string& name) {
  return test::loadSavedTensor(kFixture / "quality" / "tensors" / (name + ".pt"));
}

std::map<std::string, std::vector<int64_t>> readManifest(const fs::path& path) {
  std::map<std::string, std::vector<int64_t>> shapes;
  std::ifstream manifest(path);
  for (std::string line; std::getline(manifest, line);) {
    std::istringstream fields(line);
    std::string key, shape;
    std::getline(fields, key, '\t');
    std::getline(fields, shape, '\t');
    std::vector<int64_t> dims;
    std::istringstream parts(shape);
    for (std::string d; std::getline(parts, d, ',');) dims.push_back(std::stoll(d));
    shapes[key] = dims;
  }
  return shapes;
}

std::map<std::string, std::vector<int64_t>> modelShapes(torch::nn::Module& model) {
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& p : model.named_parameters()) shapes[p.key()] = p.value().sizes().vec();
  for (const auto& b : model.named_buffers()) shapes[b.key()] = b.value().sizes().vec();
  return shapes;
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

}  // namespace

class TestModelFeatures : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    torch::set_num_threads(2);
    state_ = readPthStateDict(kFixture / "model.pth");
  }

  void preprocessingMatchesReference() {
    const torch::Tensor frames = fixtureTensor("input_frames_uint8");
    const torch::Tensor expected = fixtureTensor("images_normalized_padded");
    const torch::Tensor got = normalizeAndPad(frames, 32);
    QCOMPARE(got.sizes(), expected.sizes());
    QVERIFY2(maxAbsDiff(got, expected) < 1e-5, "normalised input differs");
  }

  void testResizeFollowsDetectron2() {
    QCOMPARE(testResizeShape(120, 168, 360, 1333), std::make_pair(360, 504));  // e2e_resized_frames_uint8
    QCOMPARE(testResizeShape(720, 1280, 360, 1333), std::make_pair(360, 640));
    QCOMPARE(testResizeShape(100, 2000, 360, 1333), std::make_pair(67, 1333));
  }

  void backboneReproducesReferenceFeatures() {
    ResNet backbone(fixtureOptions());
    const StateDictReport report = loadStateDict(*backbone, state_, "backbone.");
    QVERIFY2(report.complete(), report.summary().c_str());
    QCOMPARE(int(report.loaded.size()), int(backbone->named_parameters().size() + backbone->named_buffers().size()));
    backbone->eval();
    torch::NoGradGuard no_grad;
    const BackboneFeatures features = backbone->forward(fixtureTensor("images_normalized_padded"));
    const std::pair<const char*, torch::Tensor> outputs[] = {
        {"backbone_res2", features.res2}, {"backbone_res3", features.res3},
        {"backbone_res4", features.res4}, {"backbone_res5", features.res5}};
    for (const auto& [name, got] : outputs) {
      const torch::Tensor expected = fixtureTensor(name);
      QCOMPARE(got.sizes(), expected.sizes());
      const double diff = maxAbsDiff(got, expected);
      QVERIFY2(diff < 1e-4, qPrintable(QString("%1 differs by %2").arg(name).arg(diff)));
    }
  }

  void pixelDecoderReproducesReferenceFeatures() {
    const ModelOptions options = fixtureOptions();
    ResNet backbone(options);
    PixelDecoder decoder(options, backbone->outChannels());
    QVERIFY(loadStateDict(*backbone, state_, "backbone.").complete());
    const StateDictReport report = loadStateDict(*decoder, state_, "sem_seg_head.pixel_decoder.");
    QVERIFY2(report.complete(), report.summary().c_str());
    backbone->eval();
    decoder->eval();
    torch::NoGradGuard no_grad;
    const PixelDecoderOutput out = decoder->forward(backbone->forward(fixtureTensor("images_normalized_padded")));
    const std::pair<const char*, torch::Tensor> outputs[] = {{"pixdec_mask_features", out.mask_features},
                                                           {"pixdec_transformer_encoder_features", out.multi_scale[0]},
                                                           {"pixdec_multi_scale_0", out.multi_scale[0]},
                                                           {"pixdec_multi_scale_1", out.multi_scale[1]},
                                                           {"pixdec_multi_scale_2", out.multi_scale[2]}};
    for (const auto& [name, got] : outputs) {
      const torch::Tensor expected = fixtureTensor(name);
      QCOMPARE(got.sizes(), expected.sizes());
      const double diff = maxAbsDiff(got, expected);
      QVERIFY2(diff < 1e-4, qPrintable(QString("%1 differs by %2").arg(name).arg(diff)));
    }
  }

  void transformerDecoderReproducesReferencePredictions() {
    VideoTransformerDecoder decoder(fixtureOptions());
    const StateDictReport report = loadStateDict(*decoder, state_, "sem_seg_head.predictor.");
    QVERIFY2(report.complete(), report.summary().c_str());
    decoder->eval();
    torch::NoGradGuard no_grad;
    // The reference pixel-decoder outputs as input, so the decoder is checked on its own.
    const DecoderOutput out = decoder->forward(
        {fixtureTensor("pixdec_multi_scale_0"), fixtureTensor("pixdec_multi_scale_1"), fixtureTensor("pixdec_multi_scale_2")},
        fixtureTensor("pixdec_mask_features"), 1);
    QCOMPARE(int(out.aux.size()), 9);
    std::vector<std::pair<std::string, torch::Tensor>> outputs = {{"pred_logits", out.main.pred_logits},
                                                                  {"pred_masks", out.main.pred_masks}};
    for (int i = 0; i < 9; ++i) {
      outputs.emplace_back("aux_" + std::to_string(i) + "_pred_logits", out.aux[i].pred_logits);
      outputs.emplace_back("aux_" + std::to_string(i) + "_pred_masks", out.aux[i].pred_masks);
    }
    for (const auto& [name, got] : outputs) {
      const torch::Tensor expected = fixtureTensor(name);
      QCOMPARE(got.sizes(), expected.sizes());
      const double diff = maxAbsDiff(got, expected);
      QVERIFY2(diff < 1e-4, qPrintable(QString("%1 differs by %2").arg(name.c_str()).arg(diff)));
    }
  }

  void wholeModelReproducesReferenceOutputs() {
    VideoMaskFormer model(fixtureOptions());
    const StateDictReport report = loadStateDict(*model, state_);
    // The checkpoint also holds the training criterion's class weights, which are no model tensor.
    QCOMPARE(report.unexpected, std::vector<std::string>{"criterion.empty_weight"});
    QVERIFY2(report.missing.empty() && report.mismatched.empty(), report.summary().c_str());
    model->eval();
    torch::NoGradGuard no_grad;
    const VideoMaskFormerOutput out = model->forward(fixtureTensor("images_normalized_padded"), 1);
    QVERIFY(maxAbsDiff(out.decoder.main.pred_logits, fixtureTensor("pred_logits")) < 1e-4);
    QVERIFY(maxAbsDiff(out.decoder.main.pred_masks, fixtureTensor("pred_masks")) < 1e-4);
  }

  void fullR50ModelHasTheReleasedKeys() {
    // Every key and shape of the released VideoCutLER R50 checkpoint (full-r50-manifest.tsv), nothing else.
    auto released = readManifest(kFixture / "full-r50-manifest.tsv");
    released.erase("criterion.empty_weight");  // the loss's class weights (train/), no model tensor
    ModelOptions videocutler;
    videocutler.quality_head = false;
    VideoMaskFormer model(videocutler);
    QVERIFY(modelShapes(*model) == released);
    // The AutoQ-VIS model adds exactly the 14 head tensors; its first conv sees 256 + 1 channels.
    auto with_head = released;
    for (auto [key, dims] : readManifest(kFixture / "quality" / "maskiou_head_manifest.tsv")) {
      if (key.find("maskiou_fcn1.weight") != std::string::npos) dims[1] = 257;
      with_head[key] = dims;
    }
    QCOMPARE(with_head.size(), released.size() + 14);
    VideoMaskFormer autoq(ModelOptions{});
    QVERIFY(modelShapes(*autoq) == with_head);
  }

  void decoderScoresEveryOutputWhileTraining() {
    // The whole AutoQ-VIS model from the VideoCutLER weights + the fixture head: eval scores the main
    // output only; training mode scores all ten (quality/README.md), with the same weights.
    VideoMaskFormer model(fixtureQualityOptions());
    loadStateDict(*model, state_);
    const StateDictReport head = loadStateDict(*model, readPthStateDict(kFixture / "quality" / "maskiou_head_plain.pt"));
    QCOMPARE(int(head.loaded.size()), 14);
    torch::NoGradGuard no_grad;
    const torch::Tensor images = fixtureTensor("images_normalized_padded");
    model->eval();
    VideoMaskFormerOutput out = model->forward(images, 1);
    QVERIFY(!out.decoder.aux[0].pred_maskiou.defined());
    double diff = maxAbsDiff(out.decoder.main.pred_maskiou, qualityTensor("pred_maskiou"));
    QVERIFY2(diff < 1e-4, qPrintable(QString("eval pred_maskiou differs by %1").arg(diff)));
    model->train();
    out = model->forward(images, 1);
    QVERIFY(maxAbsDiff(out.decoder.main.pred_maskiou, qualityTensor("pred_maskiou")) < 1e-4);
    for (int i = 0; i < 9; ++i) {
      diff = maxAbsDiff(out.decoder.aux[i].pred_maskiou, qualityTensor("aux_" + std::to_string(i) + "_pred_maskiou"));
      QVERIFY2(diff < 1e-4, qPrintable(QString("aux %1 pred_maskiou differs by %2").arg(i).arg(diff)));
    }
  }

  void fusedDeformableAttentionMatchesGridSample() {
    // Random values and locations, some outside [0, 1] (zero padding), three levels of odd sizes.
    torch::manual_seed(7);
    const LevelShapes shapes = {{3, 5}, {6, 10}, {12, 20}};
    const int64_t tokens = 3 * 5 + 6 * 10 + 12 * 20, n = 2, lq = 37, heads = 4, dim = 8;
    const torch::Tensor value = torch::randn({n, tokens, heads, dim});
    const torch::Tensor locations = torch::rand({n, lq, heads, 3, 4, 2}) * 1.4 - 0.2;
    const torch::Tensor weights = torch::softmax(torch::randn({n, lq, heads, 12}), -1).view({n, lq, heads, 3, 4});
    torch::NoGradGuard no_grad;
    const torch::Tensor reference = msDeformAttnCoreGridSample(value, shapes, locations, weights);
    const torch::Tensor fused = msDeformAttnCoreFused(value, shapes, locations, weights);
    QCOMPARE(fused.sizes(), reference.sizes());
    const double diff = maxAbsDiff(fused, reference);
    QVERIFY2(diff < 1e-6, qPrintable(QString("fused core differs by %1").arg(diff)));
    QVERIFY(fusedDeformAttnApplies(value, locations, weights));
    torch::AutoGradMode grad(true);
    QVERIFY(!fusedDeformAttnApplies(value.clone().requires_grad_(true), locations, weights));
  }

  void qualityHeadReproducesReferenceIous() {
    // AutoQ-VIS head on the fixture (quality/README.md): 65 = 64 pixel-decoder channels + the mask.
    const fs::path quality = kFixture / "quality";
    const NamedTensors head_state = readPthStateDict(quality / "maskiou_head_plain.pt");
    QualityHead head(fixtureOptions().conv_dim + 1);
    const StateDictReport report = loadStateDict(*head, head_state, "sem_seg_head.predictor.maskiou_feature_extractor.");
    QVERIFY2(report.complete(), report.summary().c_str());
    head->eval();
    torch::NoGradGuard no_grad;
    const torch::Tensor x = qualityTensor("maskiou_in_x");
    QVERIFY(maxAbsDiff(head->headInput(x, qualityTensor("maskiou_in_mask_main")), qualityTensor("maskiou_fcn1_in")) < 1e-5);
    const double main_diff = maxAbsDiff(head->forward(x, qualityTensor("maskiou_in_mask_main")), qualityTensor("pred_maskiou"));
    QVERIFY2(main_diff < 1e-4, qPrintable(QString("pred_maskiou differs by %1").arg(main_diff)));
    for (int i = 0; i < 9; ++i) {
      const std::string n = std::to_string(i);
      const double diff = maxAbsDiff(head->forward(x, qualityTensor("maskiou_in_mask_aux_" + n)),
                                     qualityTensor("aux_" + n + "_pred_maskiou"));
      QVERIFY2(diff < 1e-4, qPrintable(QString("aux %1 differs by %2").arg(i).arg(diff)));
    }
  }

  void qualityHeadScoresSeveralOutputsInOnePass() {
    const NamedTensors head_state = readPthStateDict(kFixture / "quality" / "maskiou_head_plain.pt");
    QualityHead head(fixtureOptions().conv_dim + 1);
    loadStateDict(*head, head_state, "sem_seg_head.predictor.maskiou_feature_extractor.");
    torch::NoGradGuard no_grad;
    const torch::Tensor x = qualityTensor("maskiou_in_x");
    const torch::Tensor main = qualityTensor("maskiou_in_mask_main"), aux = qualityTensor("maskiou_in_mask_aux_3");
    const std::vector<torch::Tensor> both = head->forwardMany(x, {main, aux});
    QCOMPARE(both.size(), size_t(2));
    QVERIFY(maxAbsDiff(both[0], qualityTensor("pred_maskiou")) < 1e-4);
    QVERIFY(maxAbsDiff(both[1], qualityTensor("aux_3_pred_maskiou")) < 1e-4);
  }

  void parallelDropoutIsUnbiasedAndReproducible() {
    const torch::Tensor ones = torch::ones({1000, 1000});
    QVERIFY(parallelDropout(ones, 0.3, false).equal(ones));
    torch::manual_seed(11);
    const torch::Tensor y = parallelDropout(ones, 0.3, true);
    const double dropped = y.eq(0).to(torch::kDouble).mean().item<double>();
    QVERIFY2(std::abs(dropped - 0.3) < 0.003, qPrintable(QString("dropped %1").arg(dropped)));  // 6.5 sigma
    QVERIFY(y.masked_select(y.ne(0)).allclose(torch::full({1}, 1.0 / 0.7)));
    // The same seed gives the same mask whatever the thread count; the next call another mask.
    const int threads = torch::get_num_threads();
    torch::set_num_threads(1);
    torch::manual_seed(11);
    const torch::Tensor again = parallelDropout(ones, 0.3, true);
    torch::set_num_threads(threads);
    QVERIFY(again.equal(y));
    QVERIFY(!parallelDropout(ones, 0.3, true).equal(y));
    // The gradient is the same mask.
    const torch::Tensor x = torch::ones({64, 64}, torch::requires_grad());
    torch::manual_seed(2);
    const torch::Tensor out = parallelDropout(x, 0.5, true);
    out.sum().backward();
    QVERIFY(x.grad().equal(out.detach()));
  }

  void mismatchesAreReportedByName() {
    ResNet backbone(ModelOptions{});  // full widths: the small checkpoint does not fit
    const StateDictReport report = loadStateDict(*backbone, state_, "backbone.");
    QVERIFY(!report.complete());
    QVERIFY(!report.mismatched.empty());
    QVERIFY(QString::fromStdString(report.summary()).contains("backbone.stem.conv1.weight"));
  }

 private:
  NamedTensors state_;
};

QTEST_APPLESS_MAIN(TestModelFeatures)
#include "test_model_features.moc"
