// GPU check of the model and video inference (run on a CUDA machine; CI has none): parity of the CUDA
// forward with the reference fixture (fp32, TF32 off), inference parity with and without autocast, a
// training-mode forward/backward, and R50 inference speed and peak GPU memory.
//
//   gpu_check FIXTURE_DIR [--long-frames N]
// FIXTURE_DIR holds model.pth and the tensors/*.pt of shared/fixtures/m2f-small that are named below.
#include <c10/cuda/CUDACachingAllocator.h>
#include <sys/resource.h>
#include <torch/torch.h>

#include <chrono>
#include <functional>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/checkpoint/pth_state_dict.h"
#include "core/model/state_dict_loading.h"
#include "core/model/autocast_guard.h"
#include "core/infer/video_predictor.h"
#include "core/train/grad_scaler.h"
#include "core/train/optimizer_setup.h"
#include "core/train/set_criterion.h"
#include "core/train/training_inputs.h"
#include "tests/support/reference_model.h"

using namespace autoqvis;
namespace fs = std::filesystem;

namespace {

fs::path fixture_dir;

torch::Tensor fixtureTensor(const std::string& name) {
  return test::loadSavedTensor(fixture_dir / "tensors" / (name + ".pt"));
}

ModelOptions smallOptions() { return test::smallReferenceModelOptions(false); }

double maxAbs(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kCPU, torch::kFloat) - b.to(torch::kFloat)).abs().max().item<double>();
}

double peakGpuMb() {
  const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(0);
  return stats.allocated_bytes[0].peak  /* index 0: the aggregate over pool kinds */ / 1048576.0;
}

double peakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

void checkParity() {
  VideoMaskFormer model(smallOptions());
  const StateDictReport report = loadStateDict(*model, readPthStateDict(fixture_dir / "model.pth"));
  std::printf("fixture weights: %zu loaded, %zu missing, %zu mismatched\n", report.loaded.size(), report.missing.size(),
              report.mismatched.size());
  model->to(torch::kCUDA);
  model->eval();
  {
    torch::NoGradGuard no_grad;
    const auto out = model->forward(fixtureTensor("images_normalized_padded").to(torch::kCUDA), 1);
    std::printf("CUDA fp32 forward vs reference: pred_logits %.3g, pred_masks %.3g (max abs)\n",
                maxAbs(out.decoder.main.pred_logits, fixtureTensor("pred_logits")),
                maxAbs(out.decoder.main.pred_masks, fixtureTensor("pred_masks")));
  }
  const torch::Tensor frames = fixtureTensor("input_frames_uint8");
  const torch::Tensor ref_scores = fixtureTensor("inference_scores"), ref_queries = fixtureTensor("inference_query_indices");
  const torch::Tensor ref_masks = fixtureTensor("inference_masks");
  for (bool amp : {false, true}) {
    PredictorOptions options;
    options.sorted = false;
    options.amp = amp;
    VideoPredictor predictor(model, smallOptions(), options);
    const VideoPrediction got = predictor.predictResized(frames, 120, 168);
    double score_diff = 0;
    int64_t pixels = 0, matched = 0;
    for (const auto& instance : got.instances) {
      for (int64_t r = 0; r < 10; ++r) {
        if (ref_queries[r].item<int64_t>() != instance.query) continue;
        ++matched;
        score_diff = std::max(score_diff, std::abs(instance.score - ref_scores[r].item<double>()));
        for (size_t t = 0; t < instance.masks.size(); ++t) {
          torch::Tensor m = torch::zeros({120, 168}, torch::kUInt8);
          rleDecode(decompress(instance.masks[t]), m.data_ptr<uint8_t>());
          pixels += (m.to(torch::kBool) != ref_masks[r][t]).sum().item<int64_t>();
        }
      }
    }
    std::printf("CUDA inference (%s) vs reference: %lld/10 queries matched, scores max abs %.3g, %lld of 604800 mask pixels differ\n",
                amp ? "autocast" : "fp32", static_cast<long long>(matched), score_diff, static_cast<long long>(pixels));
  }
  // Training mode: the differentiable path (grid-sample deformable attention) runs and back-propagates.
  model->train();
  const auto out = model->forward(fixtureTensor("images_normalized_padded").to(torch::kCUDA), 1);
  torch::Tensor loss = out.decoder.main.pred_masks.sigmoid().mean() + out.decoder.main.pred_logits.softmax(-1).mean();
  for (const auto& aux : out.decoder.aux) loss = loss + aux.pred_masks.sigmoid().mean();
  loss.backward();
  double grad_norm = 0;
  bool finite = true;
  for (const auto& p : model->parameters()) {
    if (!p.grad().defined()) continue;
    grad_norm += p.grad().pow(2).sum().item<double>();
    finite = finite && torch::isfinite(p.grad()).all().item<bool>();
  }
  std::printf("CUDA training-mode backward: gradient norm %.4g, all finite: %s\n", std::sqrt(grad_norm), finite ? "yes" : "no");
}

void benchmarkR50(const std::vector<int>& clip_lengths, int long_frames) {
  torch::manual_seed(0);
  ModelOptions options;  // the paper's R50 model with the quality head
  VideoMaskFormer model(options);
  model->to(torch::kCUDA);
  for (bool amp : {false, true}) {
    PredictorOptions predictor_options;
    predictor_options.amp = amp;
    VideoPredictor predictor(model, options, predictor_options);
    std::vector<int> lengths = clip_lengths;
    if (long_frames > 0) lengths.push_back(long_frames);
    for (int t : lengths) {
      const torch::Tensor frames = torch::randint(0, 255, {t, 3, 360, 640}, torch::kUInt8);
      predictor.predictResized(frames, 720, 1280);  // warm-up (cuDNN autotuning, allocator)
      torch::cuda::synchronize();
      c10::cuda::CUDACachingAllocator::resetPeakStats(0);
      const auto start = std::chrono::steady_clock::now();
      const int repeats = t > 100 ? 1 : 3;
      for (int r = 0; r < repeats; ++r) predictor.predictResized(frames, 720, 1280);
      torch::cuda::synchronize();
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;
      std::printf("R50 CUDA %-8s T=%-4d 360x640 in, masks at 1280x720: %7.3f s/clip %7.1f frames/s, peak GPU %7.0f MB, peak host RSS %6.0f MB\n",
                  amp ? "autocast" : "fp32", t, s, t / s, peakGpuMb(), peakRssMb());
      std::fflush(stdout);
    }
  }
}

// Time and peak memory of each stage for one clip, to see where a clip length's cost goes.
void profileStages(int t, bool amp) {
  torch::manual_seed(0);
  ModelOptions options;
  VideoMaskFormer model(options);
  model->to(torch::kCUDA);
  model->eval();
  torch::NoGradGuard no_grad;
  const torch::Tensor images = torch::randn({t, 3, 384, 640}, torch::kCUDA);
  auto stage = [&](const char* name, const std::function<void()>& fn) {
    torch::cuda::synchronize();
    c10::cuda::CUDACachingAllocator::resetPeakStats(0);
    const auto start = std::chrono::steady_clock::now();
    fn();
    torch::cuda::synchronize();
    std::printf("  T=%d %s %-14s %8.1f ms  peak GPU %7.0f MB\n", t, amp ? "amp " : "fp32", name,
                1000 * std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), peakGpuMb());
  };
  for (int pass = 0; pass < 2; ++pass) {  // the first pass warms up; both are printed
    BackboneFeatures features;
    PixelDecoderOutput pixels;
    stage("backbone", [&] { features = model->backbone->forward(images); });
    stage("pixel decoder", [&] { pixels = model->sem_seg_head->pixel_decoder->forward(features); });
    stage("decoder", [&] { model->sem_seg_head->predictor->forwardQueries(pixels.multi_scale, pixels.mask_features, 1); });
  }
}

// The trainer's step on CUDA (forward under autocast, fp32 losses with the quality loss, loss scaling,
// unscale + finiteness check, clipping, AdamW), R50 at batch 2 x 3 frames x 360x640.
void trainingSteps(bool amp) {
  torch::manual_seed(0);
  ModelOptions options;
  VideoMaskFormer model(options);
  model->to(torch::kCUDA);
  model->train();
  TrainOptions train;
  auto optimizer = makeAdamW(*model, train);
  std::vector<torch::Tensor> parameters;
  for (const auto& p : model->parameters()) parameters.push_back(p);
  VideoSetCriterion criterion(criterionOptionsFrom(train));
  GradScaler scaler(amp);
  std::vector<TrainingClip> clips = {test::ellipseClip(3, 360, 640, 3), test::ellipseClip(3, 360, 640, 2)};
  const TrainingInputs inputs = prepareTrainingInputs(clips, 32, torch::kCUDA);
  const torch::Tensor before = parameters.front().detach().clone();
  int skipped = 0;
  double seconds = 0, last_loss = 0;
  const int iterations = amp ? 24 : 6;  // loss scaling starts high and backs off over the first steps
  for (int i = 0; i < iterations; ++i) {
    torch::cuda::synchronize();
    const auto start = std::chrono::steady_clock::now();
    optimizer->zero_grad();
    CriterionLosses losses;
    {
      CudaAutocastGuard autocast(amp);
      const VideoMaskFormerOutput out = model->forward(inputs.images, inputs.batch);
      CudaAutocastGuard fp32(false);
      losses = criterion.forward(criterionOutputFrom(out.decoder), inputs.targets);
    }
    const torch::Tensor total = losses.total();
    scaler.scaleLoss(total).backward();
    const bool finite = scaler.unscaleAndCheck(parameters);
    if (finite) {
      torch::nn::utils::clip_grad_norm_(parameters, train.clip_grad_norm);
      optimizer->step();
    } else {
      ++skipped;
    }
    scaler.update(finite);
    torch::cuda::synchronize();
    if (i > 0) seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    last_loss = total.item<double>();
  }
  std::printf("R50 CUDA training %-8s batch 2 x 3 frames 360x640: %.3f s/iteration, last loss %.2f, skipped %d, "
              "loss scale %.0f, parameters moved %s, peak GPU %.0f MB (%d iterations)\n",
              amp ? "autocast" : "fp32", seconds / (iterations - 1), last_loss, skipped, scaler.state().scale,
              (parameters.front().detach() - before).abs().max().item<double>() > 0 ? "yes" : "no", peakGpuMb(), iterations);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: gpu_check FIXTURE_DIR [--long-frames N]\n");
    return 2;
  }
  fixture_dir = argv[1];
  int long_frames = 0;
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--long-frames") long_frames = std::atoi(argv[i + 1]);
  }
  if (!torch::cuda::is_available()) {
    std::fprintf(stderr, "no CUDA device\n");
    return 1;
  }
  std::printf("LibTorch %s, %d CUDA device(s)\n", TORCH_VERSION, static_cast<int>(torch::cuda::device_count()));
  // Parity is checked in true fp32: cuDNN would otherwise use TF32 for convolutions.
  at::globalContext().setAllowTF32CuDNN(false);
  at::globalContext().setAllowTF32CuBLAS(false);
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--cudnn-benchmark") at::globalContext().setBenchmarkCuDNN(true);
    if (std::string(argv[i]) == "--no-cudnn") at::globalContext().setUserEnabledCuDNN(false);
  }
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--profile") {
      for (int t : {2, 6}) profileStages(t, false);
      return 0;
    }
  }
  for (int i = 2; i < argc; ++i) {
    if (std::string(argv[i]) == "--train") {
      trainingSteps(false);
      trainingSteps(true);
      return 0;
    }
  }
  checkParity();
  benchmarkR50({2, 6, 18}, long_frames);
  return 0;
}
