// Benchmark of one training iteration on CPU (forward, set criterion with the quality loss, backward,
// clipping, AdamW step), for the demo model and the paper's R50 model, on a batch of B clips of
// T frames at a given size with a few random elliptical instances per clip.
//
//   bench_training_step [--model demo|r50|both] [--batch B] [--frames T] [--height H] [--width W]
//                       [--iterations N] [--threads N] [--stage initial|round] [--profile TRACE.json]
//                       [--set key=value]...
//
// --stage round freezes the quality head as the self-training rounds do; --profile writes a Chrome
// trace (LibTorch profiler) of the last measured iteration. --set overrides a key of the demo model's
// preset (e.g. --set model.encoder_ffn_dim=256) to measure what a model change buys.
#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/config/config.h"
#include "core/config/presets.h"
#include "core/model/video_mask_former.h"
#include "core/train/optimizer_setup.h"
#include "core/train/set_criterion.h"
#include "core/train/training_inputs.h"
#include "core/util/torch_runtime.h"
#include "tests/support/reference_model.h"

using namespace autoqvis;

namespace {

void measure(const std::string& name, const ModelOptions& model_options, TrainOptions train, int batch, int frames,
             int height, int width, int iterations, const std::string& profile_path = "") {
  torch::manual_seed(0);
  VideoMaskFormer model(model_options);
  model->train();
  if (auto& head = model->sem_seg_head->predictor->quality_head; head && !train.train_quality_head) {
    for (auto& p : head->parameters()) p.set_requires_grad(false);  // as the trainer freezes it in the rounds
  }
  auto optimizer = makeAdamW(*model, train);
  std::vector<torch::Tensor> parameters;
  for (const auto& p : model->parameters()) parameters.push_back(p);
  VideoSetCriterion criterion(criterionOptionsFrom(train));
  std::vector<TrainingClip> clips;
  for (int b = 0; b < batch; ++b) clips.push_back(test::ellipseClip(frames, height, width, 3));
  const TrainingInputs inputs = prepareTrainingInputs(clips, model_options.size_divisibility, torch::kCPU);
  double forward_s = 0, loss_s = 0, backward_s = 0, step_s = 0;
  auto now = [] { return std::chrono::steady_clock::now(); };
  auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  for (int i = 0; i <= iterations; ++i) {  // iteration 0 warms up and is not counted
    std::unique_ptr<torch::autograd::profiler::RecordProfile> profile;
    if (i == iterations && !profile_path.empty()) profile = std::make_unique<torch::autograd::profiler::RecordProfile>(profile_path);
    const auto t0 = now();
    optimizer->zero_grad();
    const VideoMaskFormerOutput out = model->forward(inputs.images, inputs.batch);
    const auto t1 = now();
    const torch::Tensor total = criterion.forward(criterionOutputFrom(out.decoder), inputs.targets).total();
    const auto t2 = now();
    total.backward();
    const auto t3 = now();
    torch::nn::utils::clip_grad_norm_(parameters, train.clip_grad_norm);
    optimizer->step();
    const auto t4 = now();
    if (i == 0) continue;
    forward_s += secs(t0, t1);
    loss_s += secs(t1, t2);
    backward_s += secs(t2, t3);
    step_s += secs(t3, t4);
  }
  const double total_s = (forward_s + loss_s + backward_s + step_s) / iterations;
  std::printf("%-5s batch %d x %d frames at %dx%d: %.3f s/iteration (forward %.3f, losses %.3f, backward %.3f, "
              "clip+AdamW %.3f), threads %d\n",
              name.c_str(), batch, frames, width, height, total_s, forward_s / iterations, loss_s / iterations,
              backward_s / iterations, step_s / iterations, torchRuntimeInfo().intra_op_threads);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::string which = "both";
  int batch = 2, frames = 3, height = 360, width = 640, iterations = 3, threads = 0;
  std::string profile_path;
  bool round_stage = false;
  std::vector<std::string> overrides;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    const char* value = argv[i + 1];
    if (arg == "--model") which = value;
    else if (arg == "--batch") batch = std::atoi(value);
    else if (arg == "--frames") frames = std::atoi(value);
    else if (arg == "--height") height = std::atoi(value);
    else if (arg == "--width") width = std::atoi(value);
    else if (arg == "--iterations") iterations = std::atoi(value);
    else if (arg == "--threads") threads = std::atoi(value);
    else if (arg == "--profile") profile_path = value;
    else if (arg == "--stage") round_stage = std::string(value) == "round";
    else if (arg == "--set") overrides.push_back(value);
  }
  setTorchThreads(threads);
  if (which == "demo" || which == "both") {
    Config demo = parseConfig(presetYaml("demo"), "demo");
    for (const std::string& assignment : overrides) applyOverride(demo, assignment);
    if (round_stage) demo.initial_training.train_quality_head = false;
    measure("demo", demo.model, demo.initial_training, 2, 3, 120, 160, iterations, profile_path);
  }
  if (which == "r50" || which == "both") {
    const Config paper = parseConfig(presetYaml("paper-stage1"), "paper-stage1");
    measure("r50", paper.model, paper.initial_training, batch, frames, height, width, iterations);
  }
  return 0;
}
