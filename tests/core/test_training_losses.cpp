// The training losses against the official AutoQ-VIS criterion (shared/fixtures/m2f-small/loss): from the
// stored decoder outputs and targets, with torch::manual_seed(31337) replaying the official random draws,
// matching, point selection, DropLoss weights, quality targets and every loss term must agree. Plus the
// target preparation and the (fixture-less) label DropLoss. The assignment solver: test_linear_assignment.
// LibTorch first: Qt's `slots` keyword macro would break its headers.
#include <torch/torch.h>

#include <QtTest>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/train/criterion_terms.h"
#include "core/train/point_sampling.h"
#include "core/train/set_criterion.h"
#include "core/train/video_matcher.h"
#include "core/train/video_targets.h"
#include "core/util/error.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

const fs::path kLoss = fs::path(AUTOQVIS_FIXTURES_DIR) / "m2f-small" / "loss";
constexpr int64_t kSeed = 31337;
const int64_t kPaddedH = 128, kPaddedW = 192;

torch::Tensor fixture(const std::string& name) {
  std::ifstream in(kLoss / "tensors" / (name + ".pt"), std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture tensor " + name);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return torch::pickle_load(bytes).toTensor();
}

std::string outputName(size_t o) { return o == 0 ? "main" : "aux_" + std::to_string(o - 1); }

// (name, weight) rows of `<config>_losses.tsv`, in the order of `<config>_losses.pt`.
std::vector<std::pair<std::string, double>> lossTable(const std::string& config) {
  std::ifstream in(kLoss / (config + "_losses.tsv"));
  std::vector<std::pair<std::string, double>> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string index, name;
    double unweighted = 0.0, weight = 0.0;
    fields >> index >> name >> unweighted >> weight;
    rows.emplace_back(name, weight);
  }
  return rows;
}

// Per-draw sums, to compare with the checksums of the official draws (tensors.tsv).
class RecordingSource : public RandomPointSource {
 public:
  torch::Tensor uniform(at::IntArrayRef shape, const torch::TensorOptions& options) override {
    torch::Tensor t = inner_.uniform(shape, options);
    sums.push_back(t.to(torch::kFloat64).sum().item<double>());
    return t;
  }
  std::vector<double> sums;

 private:
  TorchRandomPointSource inner_;
};

std::map<std::string, double> tensorSums() {
  std::ifstream in(kLoss / "tensors.tsv");
  std::map<std::string, double> sums;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string name, shape, dtype, sum;
    if (fields >> name >> shape >> dtype >> sum) {
      try {
        sums[name] = std::stod(sum);
      } catch (...) {
      }
    }
  }
  return sums;
}

// The stored criterion inputs, passed through the decoder's output type as the trainer will.
CriterionOutput fixtureOutputs(bool requires_grad = false) {
  auto load = [&](const std::string& o) {
    DecoderPrediction p{fixture("out_" + o + "_pred_logits"), fixture("out_" + o + "_pred_masks"),
                        fixture("out_" + o + "_pred_maskiou")};
    for (torch::Tensor* t : {&p.pred_logits, &p.pred_masks, &p.pred_maskiou}) t->requires_grad_(requires_grad);
    return p;
  };
  DecoderOutput decoder;
  decoder.main = load("main");
  for (int i = 0; i < 9; ++i) decoder.aux.push_back(load("aux_" + std::to_string(i)));
  return criterionOutputFrom(decoder);
}

VideoTargets fixtureTargets() {
  VideoTargets t;
  t.labels = fixture("targets_labels");
  t.ids = fixture("targets_ids");
  t.masks = fixture("targets_masks");
  return t;
}

CriterionOptions configOptions(char config) {
  CriterionOptions o;  // CE 2, mask 5, dice 5, maskiou 20, eos 0.1, 12544 points, oversample 3, importance 0.75
  o.mask_droploss = config == 'b';
  o.quality_loss = config == 'c';
  return o;
}

bool sameTensor(const torch::Tensor& a, const torch::Tensor& b) {
  return a.sizes() == b.sizes() && torch::equal(a.to(torch::kCPU), b.to(a.scalar_type()).to(torch::kCPU));
}

double maxAbs(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

}  // namespace

class TestTrainingLosses : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { torch::set_num_threads(1); }

  // --- targets ----------------------------------------------------------------------------------------

  void targetsFromRawMatchReference() {
    const VideoTargets t = prepareTargetsStacked(fixture("raw_gt_ids"), fixture("raw_gt_classes"),
                                                 fixture("raw_gt_masks"), kPaddedH, kPaddedW);
    QVERIFY(sameTensor(t.labels, fixture("targets_labels")));
    QVERIFY(sameTensor(t.ids, fixture("targets_ids")));
    QCOMPARE(t.masks.scalar_type(), torch::kFloat32);
    QVERIFY(sameTensor(t.masks, fixture("targets_masks")));
  }

  void targetsFromClipWithFramesOfDifferentSizes() {
    TrainingClip clip;
    auto frame = [](std::vector<int64_t> ids, std::vector<int64_t> classes, int64_t h, int64_t w) {
      ClipFrame f;
      f.ids = torch::tensor(ids, torch::kLong);
      f.classes = torch::tensor(classes, torch::kLong);
      f.masks = torch::zeros({int64_t(ids.size()), h, w}, torch::kBool);
      return f;
    };
    clip.frames.push_back(frame({7, -1, 9}, {0, 1, 0}, 5, 6));
    clip.frames.push_back(frame({7, -1, -1}, {0, 1, 1}, 4, 8));
    clip.frames[0].masks[0].fill_(true);
    clip.frames[1].masks[0].fill_(true);
    clip.frames[0].masks[2][1][1] = true;
    const VideoTargets t = prepareTargets(clip, 8, 8);
    QVERIFY(sameTensor(t.ids, torch::tensor({7, 7, 9, -1}, torch::kLong).view({2, 2})));
    QVERIFY(sameTensor(t.labels, torch::tensor({0, 1}, torch::kLong)));  // last frame's class: 9 is gone there
    QCOMPARE(t.masks.sizes(), (torch::IntArrayRef{2, 2, 8, 8}));
    QCOMPARE(t.masks[0][0].sum().item<double>(), 30.0);  // 5 x 6 pasted top-left
    QCOMPARE(t.masks[0][1].sum().item<double>(), 32.0);  // 4 x 8
    QCOMPARE(t.masks[0][0].narrow(0, 5, 3).sum().item<double>(), 0.0);
    QCOMPARE(t.masks[1][0][1][1].item<double>(), 1.0);
    clip.frames[1].masks = torch::zeros({3, 9, 8}, torch::kBool);
    QVERIFY_THROWS_EXCEPTION(Error, prepareTargets(clip, 8, 8));
  }

  // --- the official criterion -------------------------------------------------------------------------

  void matcherAndPointsMatchReference() {
    const CriterionOutput outputs = fixtureOutputs();
    const std::vector<VideoTargets> targets = {fixtureTargets()};
    VideoSetCriterion criterion(configOptions('a'));
    CriterionTrace trace;
    RecordingSource recorder;
    torch::manual_seed(kSeed);
    criterion.forward(outputs, targets, recorder, &trace);
    QCOMPARE(trace.num_masks, 3.0);

    // The replayed draws are the official ones (checksums of rng_00 .. rng_29).
    const auto sums = tensorSums();
    QCOMPARE(int(recorder.sums.size()), 30);
    double draw_dev = 0.0;
    for (size_t i = 0; i < recorder.sums.size(); ++i) {
      const std::string name = QString("rng_%1").arg(int(i), 2, 10, QChar('0')).toStdString();
      QVERIFY2(sums.count(name), name.c_str());
      draw_dev = std::max(draw_dev, std::abs(recorder.sums[i] - sums.at(name)) / sums.at(name));
    }
    QVERIFY2(draw_dev < 1e-9, qPrintable(QString("random draws differ (rel %1)").arg(draw_dev)));

    double cost_dev = 0.0, bce_dev = 0.0, dice_dev = 0.0, iou_dev = 0.0;
    int topk_rows_differing = 0;
    for (size_t o = 0; o < trace.outputs.size(); ++o) {
      const OutputTrace& t = trace.outputs[o];
      const std::string name = outputName(o);
      QVERIFY2(sameTensor(t.indices[0].src, fixture("match_" + name + "_src")), name.c_str());
      QVERIFY2(sameTensor(t.indices[0].tgt, fixture("match_" + name + "_tgt")), name.c_str());
      cost_dev = std::max(cost_dev, maxAbs(t.costs[0], fixture("match_" + name + "_cost")));
      const torch::Tensor topk = fixture("points_" + name + "_topk_idx").to(torch::kLong);
      topk_rows_differing += int((t.topk_idx != topk).any(1).sum().item<int64_t>());
      bce_dev = std::max(bce_dev, maxAbs(t.frame_bce, fixture("mask_" + name + "_bce")));
      dice_dev = std::max(dice_dev, maxAbs(t.frame_dice, fixture("mask_" + name + "_dice")));
      iou_dev = std::max(iou_dev, maxAbs(t.soft_iou, fixture("mask_" + name + "_soft_iou")));
    }
    qInfo("matcher cost max |dev| %.3g; top-k rows differing %d; frame BCE %.3g, Dice %.3g, soft IoU %.3g",
          cost_dev, topk_rows_differing, bce_dev, dice_dev, iou_dev);
    QVERIFY(cost_dev < 1e-4);
    QVERIFY(topk_rows_differing <= 3);  // boundary swaps (gap 8.9e-7) would only move the losses by ~1e-6
    QVERIFY(bce_dev < 1e-5 && dice_dev < 1e-5 && iou_dev < 1e-6);

    const OutputTrace& main = trace.outputs[0];
    const double coords_dev = maxAbs(main.point_coords, fixture("points_main_coords"));
    const double logits_dev = maxAbs(main.point_logits, fixture("points_main_logits"));
    const double labels_dev = maxAbs(main.point_labels, fixture("points_main_labels"));
    qInfo("main points: coords %.3g, logits %.3g, labels %.3g", coords_dev, logits_dev, labels_dev);
    QCOMPARE(coords_dev, 0.0);
    QVERIFY(logits_dev < 1e-6 && labels_dev < 1e-6);
  }

  void lossTermsMatchReference_data() {
    QTest::addColumn<char>("config");
    QTest::newRow("a: Mask2Former") << 'a';
    QTest::newRow("b: DropLoss") << 'b';
    QTest::newRow("c: stage 1 with maskiou_all") << 'c';
  }

  void lossTermsMatchReference() {
    QFETCH(char, config);
    const std::string c(1, config);
    const CriterionOutput outputs = fixtureOutputs();
    VideoSetCriterion criterion(configOptions(config));
    CriterionTrace trace;
    torch::manual_seed(kSeed);
    const CriterionLosses losses = criterion.forward(outputs, {fixtureTargets()}, defaultRandomPointSource(), &trace);

    const auto table = lossTable(c);
    const torch::Tensor expected = fixture(c + "_losses").to(torch::kFloat64);
    const torch::Tensor expected_weighted = fixture(c + "_losses_weighted").to(torch::kFloat64);
    QCOMPARE(int(losses.terms.size()), int(table.size()));
    double max_rel = 0.0, max_abs = 0.0, total_expected = 0.0;
    for (size_t i = 0; i < table.size(); ++i) {
      const auto& [name, weight] = table[i];
      QCOMPARE(losses.terms[i].name, name);
      QCOMPARE(losses.terms[i].weight, weight);
      const double want = expected[int64_t(i)].item<double>();
      const double got = losses.terms[i].value.item<double>();
      max_abs = std::max(max_abs, std::abs(got - want));
      const double rel = std::abs(got - want) / std::abs(want);
      max_rel = std::max(max_rel, rel);
      QVERIFY2(rel <= 1e-5, qPrintable(QString("%1: %2 vs %3").arg(name.c_str()).arg(got, 0, 'g', 9).arg(want, 0, 'g', 9)));
      total_expected += expected_weighted[int64_t(i)].item<double>();
    }
    const double total = losses.total().item<double>();
    qInfo("config %c: %d terms, max |dev| %.3g, max rel dev %.3g, total %.7g (reference %.7g)", config,
          int(table.size()), max_abs, max_rel, total, total_expected);
    QVERIFY(std::abs(total - total_expected) <= 1e-5 * total_expected);
    QCOMPARE(losses.weights(), criterion.weightDict(9));

    for (size_t o = 0; o < trace.outputs.size(); ++o) {
      const std::string name = outputName(o);
      if (config == 'b')
        QVERIFY2(sameTensor(trace.outputs[o].drop_keep, fixture("b_drop_keep_" + name)), name.c_str());
      if (config == 'c') {
        QVERIFY2(sameTensor(trace.outputs[o].maskiou_best_gt.view({-1}), fixture("c_maskiou_best_gt_" + name)), name.c_str());
        const double dev = maxAbs(trace.outputs[o].maskiou_target, fixture("c_maskiou_target_" + name));
        QVERIFY2(dev == 0.0, qPrintable(QString("%1 maskiou target off by %2").arg(name.c_str()).arg(dev)));
      }
    }
  }

  void lossesAreDifferentiable() {
    const CriterionOutput outputs = fixtureOutputs(/*requires_grad=*/true);
    VideoSetCriterion criterion(configOptions('c'));
    torch::manual_seed(kSeed);
    const torch::Tensor total = criterion.forward(outputs, {fixtureTargets()}).total();
    total.backward();
    std::vector<const CriterionPrediction*> all = {&outputs.main};
    for (const auto& a : outputs.aux) all.push_back(&a);
    for (const CriterionPrediction* p : all)
      for (const torch::Tensor& x : {p->pred_logits, p->pred_masks, p->pred_maskiou}) {
        QVERIFY(x.grad().defined());
        QVERIFY(torch::isfinite(x.grad()).all().item<bool>());
        QVERIFY(x.grad().abs().sum().item<double>() > 0.0);
      }
  }

  // --- label DropLoss (§3.4(c), no fixture) ------------------------------------------------------------

  void labelDropLossWeightsQueriesByBestIou() {
    // Three queries, two frames, 4 x 4 logits, padded GT size 16 x 16. Query 0's binarised mask IS the GT
    // (IoU 1), query 1 predicts nothing (IoU 0 -> dropped), query 2 overlaps partially.
    torch::Tensor logits = torch::full({1, 3, 2, 4, 4}, -8.0);
    logits[0][0].narrow(1, 0, 2).narrow(2, 0, 2).fill_(8.0);
    logits[0][2].narrow(1, 1, 2).narrow(2, 0, 3).fill_(8.0);
    const torch::Tensor gt_mask =
        torch::nn::functional::interpolate(logits[0][0].unsqueeze(1),
                                           torch::nn::functional::InterpolateFuncOptions()
                                               .size(std::vector<int64_t>{16, 16})
                                               .mode(torch::kBilinear)
                                               .align_corners(false))
            .sigmoid()
            .gt(0.5)
            .squeeze(1)
            .to(torch::kFloat32);
    VideoTargets target;
    target.labels = torch::tensor({0}, torch::kLong);
    target.ids = torch::tensor({1, 1}, torch::kLong).view({1, 2});
    target.masks = gt_mask.unsqueeze(0);
    CriterionPrediction pred{torch::tensor({2.0, -1.0, 0.5, 0.3, -0.2, 1.5}).view({1, 3, 2}).requires_grad_(true),
                             logits.clone().requires_grad_(true), torch::full({1, 3, 2, 1}, 0.5)};

    CriterionOptions options;
    options.label_droploss = true;
    options.quality_loss = true;
    options.num_points = 64;
    options.deep_supervision = false;
    const VideoSetCriterion criterion(options);
    CriterionTrace trace;
    torch::manual_seed(1);
    const CriterionLosses losses = criterion.forward({pred, {}}, {target}, defaultRandomPointSource(), &trace);
    const OutputTrace& t = trace.outputs[0];
    QVERIFY(sameTensor(t.label_keep, torch::tensor({1.0f, 0.0f, 1.0f}).view({1, 3})));
    QVERIFY(sameTensor(t.maskiou_best_gt, torch::tensor({0, 0, 0}, torch::kLong).view({1, 3})));
    QVERIFY(sameTensor(t.maskiou_target.narrow(0, 0, 2), torch::ones({2})));
    QVERIFY(sameTensor(t.maskiou_target.narrow(0, 2, 2), torch::zeros({2})));

    // Expected: sum_i keep_i * w_{y_i} * CE_i / sum_i keep_i with y = 0 for the matched query.
    torch::Tensor classes = torch::ones({3}, torch::kLong);
    classes[t.indices[0].src[0].item<int64_t>()] = 0;
    const torch::Tensor log_probs = pred.pred_logits.detach()[0].log_softmax(-1);
    double expected = 0.0, keep_sum = 0.0;
    for (int q = 0; q < 3; ++q) {
      const int64_t y = classes[q].item<int64_t>();
      const double w = y == 0 ? 1.0 : double(0.1f);
      const double keep = t.label_keep[0][q].item<double>();
      expected += keep * w * -log_probs[q][y].item<double>();
      keep_sum += keep;
    }
    expected /= keep_sum;
    QVERIFY(std::abs(losses.at("loss_ce").item<double>() - expected) < 1e-6);

    // Every query dropped: the reference returns the (zero) weighted sum instead of dividing by zero.
    CriterionPrediction empty = pred;
    empty.pred_masks = torch::full({1, 3, 2, 4, 4}, -8.0, torch::requires_grad());
    const CriterionLosses dropped = criterion.forward({empty, {}}, {target}, defaultRandomPointSource(), &trace);
    QCOMPARE(dropped.at("loss_ce").item<double>(), 0.0);
    QVERIFY(sameTensor(trace.outputs[0].label_keep, torch::zeros({1, 3})));

    // Off: plain weighted-mean CE, keep weights absent.
    options.label_droploss = false;
    const CriterionLosses plain = VideoSetCriterion(options).forward({pred, {}}, {target}, defaultRandomPointSource(), &trace);
    QVERIFY(!trace.outputs[0].label_keep.defined());
    QVERIFY(plain.at("loss_ce").item<double>() != losses.at("loss_ce").item<double>());
  }

  void videoWithoutInstancesStillTrainsNoObject() {
    // No GT: everything is "no object", the mask losses are zero, the quality target is all zeros.
    CriterionOptions options;
    options.quality_loss = true;
    options.num_points = 32;
    const VideoSetCriterion criterion(options);
    VideoTargets none;
    none.labels = torch::zeros({0}, torch::kLong);
    none.ids = torch::zeros({0, 2}, torch::kLong);
    none.masks = torch::zeros({0, 2, 16, 16});
    CriterionPrediction pred{torch::randn({1, 4, 2}, torch::requires_grad()), torch::randn({1, 4, 2, 4, 4}, torch::requires_grad()),
                             torch::rand({1, 4, 2, 1}, torch::requires_grad())};
    const CriterionLosses losses = criterion.forward({pred, {pred}}, {none});
    QCOMPARE(int(losses.terms.size()), 8);
    QCOMPARE(losses.at("loss_mask_0").item<double>(), 0.0);
    const double expected_ce = torch::nn::functional::cross_entropy(
        pred.pred_logits.detach()[0], torch::ones({4}, torch::kLong)).item<double>();
    QVERIFY(std::abs(losses.at("loss_ce").item<double>() - expected_ce) < 1e-6);
    QVERIFY(std::abs(losses.at("loss_maskiou").item<double>() - pred.pred_maskiou.detach().pow(2).mean().item<double>()) < 1e-7);
    losses.total().backward();
    QVERIFY(torch::isfinite(pred.pred_masks.grad()).all().item<bool>());
  }

  void numMasksGoesThroughTheReduceHook() {
    CriterionOptions options = configOptions('a');
    options.deep_supervision = false;  // the main output is enough here
    options.reduce_num_masks = [](double local) { return local * 2 / 4; };  // as if 4 ranks with 2x this count
    CriterionTrace trace;
    torch::manual_seed(kSeed);
    VideoSetCriterion(options).forward(fixtureOutputs(), {fixtureTargets()}, defaultRandomPointSource(), &trace);
    QCOMPARE(trace.num_masks, 1.5);
    options.reduce_num_masks = [](double) { return 0.0; };
    VideoSetCriterion(options).forward(fixtureOutputs(), {fixtureTargets()}, defaultRandomPointSource(), &trace);
    QCOMPARE(trace.num_masks, 1.0);  // clamped
  }
};

QTEST_APPLESS_MAIN(TestTrainingLosses)
#include "test_training_losses.moc"
