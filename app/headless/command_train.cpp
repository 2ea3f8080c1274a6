// `train`: one training stage from the config. Stage "initial" (stage 1) trains the VIS model and the
// quality head on synthetic videos made from the stills; stage "round" trains on a pseudo-label dataset
// mixed with the synthetic videos (DropLoss on, head frozen, per the round_training options).
#include <iomanip>
#include <iostream>
#include <memory>

#include "app/headless/command.h"
#include "app/headless/process_group.h"
#include "core/train/distributed.h"
#include "core/train/process_launcher.h"
#include "core/train/stage_trainer_setup.h"
#include "core/train/trainer.h"
#include "core/util/log.h"
#include "core/util/stage_files.h"
#include "core/util/torch_runtime.h"

namespace autoqvis::cli {
namespace {

// A round's pseudo-label source (the loader's source 0); stage 1 has none.
std::vector<std::shared_ptr<const ClipSource>> pseudoLabelSources(const Arguments& args, const Config& config,
                                                                  TrainingStage stage) {
  if (stage != TrainingStage::Round) return {};
  const std::string labels = args.value("pseudo-labels").value_or("");
  if (labels.empty()) throw UsageError("--stage round needs --pseudo-labels FILE.json");
  const std::string frames = args.value("frames").value_or(resolveDataPath(config, config.data.unlabeled_frames).string());
  return {pseudoLabelSource(config, labels, frames)};
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
  if (const int nproc = args.intValue("nproc", 1); nproc > 1) {
    logInfo("launching " + std::to_string(nproc) + " training processes on this machine");
    return launchLocalProcesses(nproc, commandLineWithoutNproc(), freeLocalPort());
  }
  const Config config = loadConfigFromArguments(args);
  const std::string stage_name = args.value("stage").value_or("initial");
  if (stage_name != "initial" && stage_name != "round") throw UsageError("--stage must be initial or round");
  const TrainingStage stage = parseTrainingStage(stage_name);
  TrainerSetup setup = trainerSetupForStage(config, stage, args.required("workdir"), pseudoLabelSources(args, config, stage),
                                            args.value("weights").value_or(""), args.flag("resume"));
  setTorchThreads(config.runtime.threads);
  const DistributedOptions distributed = distributedOptions(args);
  std::unique_ptr<DistributedContext> context;
  if (distributed.world_size > 1) {
    context = std::make_unique<DistributedContext>(distributed);
    joinProcessGroup(setup, *context);
    logInfo("process " + std::to_string(context->rank()) + " of " + std::to_string(context->worldSize()) + " (" +
            context->backend() + ")");
  }
  const bool is_main = setup.is_main;
  Trainer trainer(std::move(setup));
  if (is_main) trainer.setMetricsCallback(printMetrics);
  env.stop_note = "a checkpoint was saved in " + StageFiles{args.required("workdir")}.checkpoints().string() +
                 "; --resume continues from it";
  runController(trainer, env);
  if (context) context->barrier();
  if (!is_main) return 0;
  const StageFiles files{args.required("workdir")};
  std::cout << "trained " << trainer.iteration() << " iterations; weights in " << files.weightsPth().string()
            << " (detectron2) and " << files.weightsPt().string() << " (native)\n";
  return 0;
}

}  // namespace autoqvis::cli
