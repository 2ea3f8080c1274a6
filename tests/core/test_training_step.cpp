// One whole official training step on the fixture model (shared/fixtures/m2f-small/loss): the C++ model's
// own training-mode forward (dropout 0) of the fixture clip, prepareTargets from the raw GT, the criterion
// of configs a (Mask2Former), b (DropLoss) and c (stage 1 with the quality loss), then backward. The loss
// terms and the gradients must agree with the reference within the tolerances of loss/README.md (the
// forward itself differs from the reference's by float rounding, up to ~3e-5).
// Kept apart from test_training_losses (which feeds the stored outputs and is exact) because a forward and
// backward of the model per configuration take a few seconds.
// LibTorch first: Qt's `slots` keyword macro would break its headers.
#include <torch/torch.h>

#include <QtTest>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/config/model_options.h"
#include "core/checkpoint/pth_state_dict.h"
#include "core/model/preprocess.h"
#include "core/model/state_dict_loading.h"
#include "core/model/video_mask_former.h"
#include "core/train/set_criterion.h"
#include "core/train/video_targets.h"
#include "tests/support/reference_model.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

const fs::path kFixture = fs::path(AUTOQVIS_FIXTURES_DIR) / "m2f-small";

torch::Tensor lossTensor(const std::string& name) { return test::loadSavedTensor(kFixture / "loss" / "tensors" / (name + ".pt")); }

// The AutoQ-VIS fixture model: reduced widths (m2f-small/config.yaml), quality head, dropout 0.
ModelOptions fixtureOptions() {
  ModelOptions o = test::smallReferenceModelOptions(true);
  o.encoder_dropout = 0.0;
  return o;
}

// `<config>_grad_norms.tsv`: parameter -> reference L2 norm of its gradient ("none" -> -1), plus the
// norm over all parameters under "ALL_PARAMS".
std::map<std::string, double> gradNorms(char config) {
  std::ifstream in(kFixture / "loss" / (std::string(1, config) + "_grad_norms.tsv"));
  std::map<std::string, double> norms;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string first, second, third;
    fields >> first >> second >> third;
    if (first == "#" && second == "ALL_PARAMS") norms["ALL_PARAMS"] = std::stod(third);
    else if (!first.empty() && first[0] != '#') norms[second] = third == "none" ? -1.0 : std::stod(third);
  }
  return norms;
}

double relDiff(double got, double want) { return std::abs(got - want) / std::max(std::abs(want), 1e-12); }

}  // namespace

class TestTrainingStep : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    torch::set_num_threads(1);
    model_ = VideoMaskFormer(fixtureOptions());
    loadStateDict(*model_, readPthStateDict(kFixture / "model.pth"));
    QCOMPARE(int(loadStateDict(*model_, readPthStateDict(kFixture / "quality" / "maskiou_head_plain.pt")).loaded.size()), 14);
    model_->train();
    const torch::Tensor images = normalizeAndPad(test::loadSavedTensor(kFixture / "tensors" / "input_frames_uint8.pt"), 32);
    targets_ = prepareTargetsStacked(lossTensor("raw_gt_ids"), lossTensor("raw_gt_classes"), lossTensor("raw_gt_masks"),
                                     images.size(2), images.size(3));
    // One forward serves all three configurations (its graph is kept): it draws nothing with dropout 0, and
    // the head's parameters get no gradient from configurations without the quality loss, exactly as
    // with the reference's frozen head.
    out_ = model_->forward(images, 1);
  }

  void trainingStepMatchesReference_data() {
    QTest::addColumn<char>("config");
    QTest::newRow("a: Mask2Former") << 'a';
    QTest::newRow("b: DropLoss") << 'b';
    QTest::newRow("c: stage 1 with maskiou_all") << 'c';
  }

  void trainingStepMatchesReference() {
    QFETCH(char, config);
    for (auto& p : model_->parameters()) p.mutable_grad().reset();
    CriterionOptions options;
    options.mask_droploss = config == 'b';
    options.quality_loss = config == 'c';
    const VideoSetCriterion criterion(options);

    // The reference seeds right before the forward, which draws nothing with dropout 0.
    torch::manual_seed(31337);
    const CriterionLosses losses = criterion.forward(criterionOutputFrom(out_.decoder), {targets_});
    const torch::Tensor expected = lossTensor(std::string(1, config) + "_losses");
    QCOMPARE(int64_t(losses.terms.size()), expected.size(0));
    double loss_dev = 0.0;
    for (size_t i = 0; i < losses.terms.size(); ++i) {
      const double want = expected[int64_t(i)].item<double>(), got = losses.terms[i].value.item<double>();
      loss_dev = std::max(loss_dev, relDiff(got, want));
      QVERIFY2(std::abs(got - want) <= 1e-5 + 1e-4 * std::abs(want),
               qPrintable(QString("%1: %2 vs %3").arg(losses.terms[i].name.c_str()).arg(got).arg(want)));
    }

    losses.total().backward({}, /*retain_graph=*/true);
    const std::map<std::string, double> reference = gradNorms(config);
    double all_squares = 0.0, grad_dev = 0.0;
    for (const auto& p : model_->named_parameters()) {
      const torch::Tensor& grad = p.value().grad();
      if (grad.defined()) all_squares += grad.to(torch::kFloat64).pow(2).sum().item<double>();
      const auto it = reference.find(p.key());
      if (it == reference.end()) continue;
      if (it->second < 0) {
        QVERIFY2(!grad.defined() || grad.abs().max().item<double>() == 0.0, p.key().c_str());
        continue;
      }
      QVERIFY2(grad.defined(), p.key().c_str());
      const double rel = relDiff(grad.to(torch::kFloat64).norm().item<double>(), it->second);
      grad_dev = std::max(grad_dev, rel);
      QVERIFY2(rel < 5e-3, qPrintable(QString("%1 grad norm off by %2 (rel)").arg(p.key().c_str()).arg(rel)));
    }
    const double total_rel = relDiff(std::sqrt(all_squares), reference.at("ALL_PARAMS"));
    // Full gradients of the class head and the query features.
    const torch::Tensor class_grad = model_->named_parameters()["sem_seg_head.predictor.class_embed.weight"].grad();
    const torch::Tensor want_class = lossTensor(std::string(1, config) + "_grad_class_embed_weight");
    const double class_dev = (class_grad - want_class).norm().item<double>() / want_class.norm().item<double>();
    const torch::Tensor query_grad = model_->named_parameters()["sem_seg_head.predictor.query_feat.weight"].grad();
    const torch::Tensor want_query = lossTensor(std::string(1, config) + "_grad_query_feat_weight");
    const double query_dev = (query_grad - want_query).norm().item<double>() / want_query.norm().item<double>();
    qInfo("config %c: loss terms max rel %.3g; grad norms max rel %.3g, all-parameter norm rel %.3g; "
          "class_embed grad rel %.3g, query_feat grad rel %.3g",
          config, loss_dev, grad_dev, total_rel, class_dev, query_dev);
    QVERIFY(total_rel < 5e-3);
    // Whole tensors are compared more loosely than their norms (README: 5e-3 on norms).
    QVERIFY(class_dev < 1e-2 && query_dev < 1e-2);
  }

 private:
  VideoMaskFormer model_{nullptr};
  VideoTargets targets_;
  VideoMaskFormerOutput out_;
};

QTEST_APPLESS_MAIN(TestTrainingStep)
#include "test_training_step.moc"
