#include "core/train/trainer.h"

#include <nlohmann/json.hpp>

#include <ATen/core/Generator.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <mutex>

#include "core/data/clip_pipeline_options.h"
#include "core/model/autocast_guard.h"
#include "core/model/model_weights.h"
#include "core/train/grad_scaler.h"
#include "core/train/optimizer_setup.h"
#include "core/train/set_criterion.h"
#include "core/train/training_checkpoint.h"
#include "core/train/training_inputs.h"
#include "core/util/log.h"
#include "core/util/stage_files.h"
#include "core/util/torch_device.h"

namespace autoqvis {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

torch::Tensor cpuRngState() {
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  return generator.get_state();
}

void restoreCpuRng(const torch::Tensor& state) {
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  generator.set_state(state);
}

// Sums of the metrics between two reports.
struct MetricsWindow {
  int64_t count = 0;
  double total = 0, time = 0, data_time = 0;
  std::map<std::string, double> losses;

  void add(const CriterionLosses& losses_now, double total_now, double time_now, double data_now) {
    ++count;
    total += total_now;
    time += time_now;
    data_time += data_now;
    for (const auto& term : losses_now.terms) losses[term.name] += term.weight * term.value.item<double>();
  }
};

}  // namespace

// Everything one run() holds; kept out of the header so it stays light.
struct Trainer::Run {
  c10::Device device = torch::kCPU;
  std::unique_ptr<torch::optim::AdamW> optimizer;
  std::vector<ParameterGroupInfo> groups;
  std::vector<torch::Tensor> parameters;
  std::unique_ptr<VideoSetCriterion> criterion;
  std::unique_ptr<ClipLoader> loader;
  std::unique_ptr<GradScaler> scaler;
  TrainingState state;
  std::ofstream metrics;
};

Trainer::Trainer(TrainerSetup setup) : Controller("train"), setup_(std::move(setup)) {}
Trainer::~Trainer() = default;

void Trainer::run() {
  const TrainOptions& train = setup_.train;
  if (setup_.sources.empty()) throw Error("training needs at least one data source");
  Run r;
  r.device = selectDevice(setup_.device);
  if (r.device.is_cuda() && setup_.local_rank >= 0) r.device = c10::Device(torch::kCUDA, setup_.local_rank);
  torch::manual_seed(setup_.seed + static_cast<uint64_t>(setup_.rank));
  model_ = VideoMaskFormer(setup_.model);
  if (!setup_.init_weights.empty()) {
    const WeightsReport report = loadModelWeights(model_, setup_.init_weights);
    for (const auto& warning : report.warnings) logWarning(warning);
    logInfo("initial weights: " + setup_.init_weights.string());
  }
  if (auto& head = model_->sem_seg_head->predictor->quality_head; head && !train.train_quality_head) {
    for (auto& p : head->parameters()) p.set_requires_grad(false);  // frozen in the rounds (FREEZE_MASKIOU)
  }
  model_->to(r.device);
  model_->train();
  if (r.device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
  r.optimizer = makeAdamW(*model_, train, &r.groups);
  for (const auto& p : model_->parameters()) {
    if (p.requires_grad()) r.parameters.push_back(p);
  }
  // Every process starts from rank 0's weights (random initialisation differs per rank otherwise).
  if (setup_.broadcast_parameters && !setup_.resume) setup_.broadcast_parameters(model_->parameters());
  CriterionOptions criterion_options = criterionOptionsFrom(train);
  criterion_options.reduce_num_masks = setup_.reduce_num_masks;
  r.criterion = std::make_unique<VideoSetCriterion>(criterion_options);

  if (setup_.resume) {
    if (auto last = lastCheckpoint(setup_.workdir)) {
      r.state = loadTrainingCheckpoint(setup_.workdir, *last, model_, *r.optimizer);
      model_->to(r.device);
      restoreCpuRng(r.state.cpu_rng);
      logInfo("resumed from iteration " + std::to_string(r.state.iteration));
    } else {
      logWarning("--resume: no checkpoint in " + setup_.workdir.string() + "; starting from the beginning");
    }
  }
  r.scaler = std::make_unique<GradScaler>(train.amp && r.device.is_cuda(), r.state.scaler);
  ClipPipelineOptions pipeline = clipPipelineOptions(train, setup_.augmentation, setup_.seed + 7919 * setup_.rank);
  if (setup_.sources.size() == 1) pipeline.loader.first_source_prob = 1.0;
  // On CPU the step already uses every core and a batch loads in milliseconds: a background thread
  // (with its own OpenMP team for the augmentation's tensor ops) only slows the step down — 0.54 to
  // 0.68 s per demo iteration against 0.47 s loading on the training thread (bench in the README).
  if (pipeline.loader.workers < 0) pipeline.loader.workers = r.device.is_cpu() ? 0 : 2;
  r.loader = std::make_unique<ClipLoader>(setup_.sources, pipeline.loader, pipeline.copy_paste, r.state.loader.next_batch);
  if (setup_.is_main) {
    fs::create_directories(setup_.workdir);
    r.metrics.open(StageFiles{setup_.workdir}.metrics(), std::ios::app);
  }

  auto checkpoint = [&] {
    if (!setup_.is_main) return;
    r.state.loader = r.loader->state();
    r.state.scaler = r.scaler->state();
    r.state.cpu_rng = cpuRngState();
    saveTrainingCheckpoint(setup_.workdir, model_, setup_.model, *r.optimizer, r.state);
  };
  ProgressReporter progress = reporter("train", "iterations", train.max_iter);
  MetricsWindow window;
  iteration_ = r.state.iteration;
  try {
    while (r.state.iteration < train.max_iter) {
      checkStop();
      const auto start = Clock::now();
      ClipBatch batch = r.loader->next();
      const double data_time = secondsSince(start);
      const TrainingInputs inputs = prepareTrainingInputs(batch.clips, setup_.model.size_divisibility, r.device);

      applyLearningRate(*r.optimizer, r.groups, learningRateFactor(train, r.state.iteration));
      r.optimizer->zero_grad();
      CriterionLosses losses;
      {
        CudaAutocastGuard autocast(r.scaler->enabled());
        const VideoMaskFormerOutput out = model_->forward(inputs.images, inputs.batch);
        CudaAutocastGuard fp32(false);  // the matcher and the losses run in fp32, as the reference
        losses = r.criterion->forward(criterionOutputFrom(out.decoder), inputs.targets);
      }
      const torch::Tensor total = losses.total();
      const double total_value = total.item<double>();  // one device read per iteration
      bool finite = std::isfinite(total_value);
      if (finite) {
        r.scaler->scaleLoss(total).backward();
        if (setup_.all_reduce_gradients) setup_.all_reduce_gradients(r.parameters);
        finite = r.scaler->unscaleAndCheck(r.parameters);
      }
      if (finite) {
        if (train.clip_grad_norm > 0) torch::nn::utils::clip_grad_norm_(r.parameters, train.clip_grad_norm);
        r.optimizer->step();
      } else {
        ++r.state.skipped_steps;  // a NaN/inf loss or gradient: no update, as GradScaler skips it
        logWarning("iteration " + std::to_string(r.state.iteration) + ": non-finite loss or gradients, step skipped");
      }
      r.scaler->update(finite);
      ++r.state.iteration;
      iteration_ = r.state.iteration;
      if (finite) window.add(losses, total_value, secondsSince(start), data_time);

      const bool log_now = r.state.iteration % train.log_period == 0 || r.state.iteration == train.max_iter;
      if (log_now && window.count > 0) {
        IterationMetrics m;
        m.stage = (setup_.workdir.has_filename() ? setup_.workdir : setup_.workdir.parent_path()).filename().string();
        m.iteration = r.state.iteration;
        m.max_iter = train.max_iter;
        m.total_loss = window.total / window.count;
        for (const auto& [name, sum] : window.losses) m.losses[name] = sum / window.count;
        m.lr = train.base_lr * learningRateFactor(train, r.state.iteration - 1);
        m.iteration_time = window.time / window.count;
        m.data_time = window.data_time / window.count;
        m.skipped_steps = r.state.skipped_steps;
        if (r.metrics.is_open()) r.metrics << iterationMetricsToJson(m).dump() << "\n" << std::flush;
        reportMetrics(m);
        window = MetricsWindow{};
      }
      progress.step(1, "loss " + std::to_string(total_value));
      if (train.checkpoint_period > 0 && r.state.iteration % train.checkpoint_period == 0) checkpoint();
    }
  } catch (const StoppedError&) {
    checkpoint();  // a stopped run resumes from exactly here
    r.loader->close();
    throw;
  }
  checkpoint();
  r.loader->close();
  if (setup_.is_main) {
    const StageFiles files{setup_.workdir};
    saveModelWeights(model_, setup_.model, files.weightsPth(), r.state.iteration);
    reportArtifact(files.weightsPth());
    saveModelWeights(model_, setup_.model, files.weightsPt(), r.state.iteration);
    reportArtifact(files.weightsPt());
  }
  progress.flush();
}

}  // namespace autoqvis
