// `train`: one training stage from the config. Stage "initial" (stage 1) trains the VIS model and the
// quality head on synthetic videos made from the stills; stage "round" trains on a pseudo-label dataset
// mixed with the synthetic videos (DropLoss on, head frozen, per the round_training options).
#include <iomanip>
#include <iostream>

#include "app/headless/command.h"
#include "core/data/clip_pipeline_options.h"
#include "core/train/trainer.h"
#include "core/util/log.h"
#include "core/util/torch_runtime.h"

namespace autoqvis::cli {
namespace {

std::vector<std::shared_ptr<const ClipSource>> sourcesFor(const Arguments& args, const Config& config,
                                                          const TrainOptions& train, bool round) {
  const ClipMapperOptions mapper = clipPipelineOptions(train, config.augmentation, config.runtime.seed).mapper;
  std::vector<std::shared_ptr<const ClipSource>> sources;
  if (round) {
    const std::string labels = args.value("pseudo-labels").value_or("");
    if (labels.empty()) throw UsageError("--stage round needs --pseudo-labels FILE.json");
    const std::string frames = args.value("frames").value_or(resolveDataPath(config, config.data.unlabeled_frames).string());
    sources.push_back(PseudoLabelSource::load(labels, frames, mapper));  // source 0: chosen with pseudo_label_prob
  }
  sources.push_back(SyntheticStillSource::load(resolveDataPath(config, config.data.synthetic_annotations),
                                               resolveDataPath(config, config.data.synthetic_images), mapper));
  return sources;
}

void printMetrics(const IterationMetrics& m) {
  std::ostringstream line;
  line << std::fixed << std::setprecision(4) << "iter " << m.iteration << "/" << m.max_iter << "  loss "
       << m.total_loss;
  for (const char* key : {"loss_ce", "loss_mask", "loss_dice", "loss_maskiou"}) {
    if (auto it = m.losses.find(key); it != m.losses.end()) line << "  " << key << " " << it->second;
  }
  line << std::setprecision(3) << "  lr " << std::scientific << m.lr << std::fixed << "  " << m.iteration_time
       << " s/it (data " << m.data_time << ")";
  if (m.skipped_steps) line << "  skipped " << m.skipped_steps;
  logInfo(line.str());
}

}  // namespace

int runTrain(const Arguments& args, Environment& env) {
  const Config config = loadConfigFromArguments(args);
  const std::string stage = args.value("stage").value_or("initial");
  if (stage != "initial" && stage != "round") throw UsageError("--stage must be initial or round");
  const bool round = stage == "round";
  TrainerSetup setup;
  setup.train = round ? config.round_training : config.initial_training;
  setup.augmentation = config.augmentation;
  setup.model = config.model;
  setup.workdir = args.required("workdir");
  setup.init_weights = args.value("weights").value_or("");
  setup.resume = args.flag("resume");
  setup.device = config.runtime.device;
  setup.seed = config.runtime.seed;
  setup.sources = sourcesFor(args, config, setup.train, round);
  setTorchThreads(config.runtime.threads);

  Trainer trainer(std::move(setup));
  trainer.setMetricsCallback(printMetrics);
  runController(trainer, env);
  std::cout << "trained " << trainer.iteration() << " iterations; weights in " << args.required("workdir")
            << "/model_final.pth (detectron2) and model_final.pt (native)\n";
  return 0;
}

}  // namespace autoqvis::cli
