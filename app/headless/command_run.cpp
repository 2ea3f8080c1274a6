// `run`: every remaining stage of a workspace (stage 1, the self-training rounds, the final
// pseudo-labels), creating the workspace from --config / --set when it does not exist. A rerun
// continues at the first unfinished step; a configuration changed under a finished step is refused
// (naming the key) unless --from names the stage to redo from.
#include <iostream>
#include <memory>

#include "app/headless/command.h"
#include "app/headless/process_group.h"
#include "core/selftrain/self_training_run.h"
#include "core/selftrain/stage_summary.h"
#include "core/train/process_launcher.h"
#include "core/util/log.h"
#include "core/util/stage_files.h"
#include "core/util/torch_runtime.h"

namespace autoqvis::cli {
namespace {

long stageIndex(const std::vector<std::string>& stages, const std::string& stage) {
  const auto it = std::find(stages.begin(), stages.end(), stage);
  return it == stages.end() ? -1 : it - stages.begin();
}

// The configuration this run asks for: --config (with --set) when given, else the project's own with
// the --set overrides on top.
Config requestedConfig(const Workspace& workspace, const Arguments& args) {
  if (args.value("config")) return loadConfigFromArguments(args);
  Config config = workspace.config();
  for (const auto& assignment : args.values("set")) applyOverride(config, assignment);
  return config;
}

std::string changeList(const std::vector<ConfigChange>& changes) {
  std::string text;
  for (const ConfigChange& c : changes) {
    text += "\n  " + c.key + ": " + c.recorded + " -> " + c.current + " (under " + c.stage + ")";
  }
  return text;
}

// Applies the requested configuration to an existing workspace: refused when it changes a key under
// a finished step, unless --from names that stage or an earlier one (which is then redone).
void updateConfiguration(Workspace& workspace, const Config& requested, const std::optional<std::string>& from) {
  const std::vector<ConfigChange> changes = workspace.configChanges(requested);
  const std::vector<std::string> stages = Workspace::stageNames(requested);
  if (from && stageIndex(stages, *from) < 0) {
    std::string known;
    for (const auto& s : stages) known += (known.empty() ? "" : ", ") + s;
    throw UsageError("--from " + *from + ": no such stage (this project has: " + known + ")");
  }
  if (!changes.empty() && (!from || stageIndex(stages, *from) > stageIndex(stages, changes.front().stage))) {
    throw Error("the configuration changed under finished steps:" + changeList(changes) +
                    "\nrerun with --from " + changes.front().stage + " to redo " + changes.front().stage +
                    " and every later stage with the new values, or undo the change",
                inFile(workspace.projectFile().string()));
  }
  if (from && stageIndex(workspace.stages(), *from) >= 0) {
    logInfo("redoing " + *from + " and every later stage");
    workspace.resetFrom(*from);
  }
  if (configValues(requested) != configValues(workspace.config())) workspace.replaceConfig(requested);
}

std::string nextStepText(const SelfTrainingRun& run) {
  return run.currentStage().empty() ? std::string() : run.currentStage() + " (" + run.currentStep() + ")";
}

}  // namespace

Workspace openWorkspaceForRun(const std::filesystem::path& dir, const Arguments& args,
                              const std::function<void(Config&)>& adjust_new) {
  if (!Workspace::exists(dir)) {
    if (args.value("from")) throw UsageError("--from needs an existing workspace");
    Config config = loadConfigFromArguments(args);
    if (adjust_new) adjust_new(config);
    logInfo("creating workspace " + dir.string());
    return Workspace::create(dir, config);
  }
  Workspace workspace = Workspace::open(dir);
  updateConfiguration(workspace, requestedConfig(workspace, args), args.value("from"));
  setTorchThreads(workspace.config().runtime.threads);
  return workspace;
}

void runSelfTraining(Workspace& workspace, const Arguments& args, Environment& env, ParallelHooks parallel) {
  SelfTrainingOptions options;
  options.until = args.value("until");
  const bool parallel_main = parallel.isMain();
  options.parallel = std::move(parallel);
  SelfTrainingRun run(workspace, options);
  try {
    runController(run, env);
  } catch (const StoppedError&) {
    env.stop_note = "the workspace keeps every finished step; rerun to continue at " + nextStepText(run);
    throw;
  }
  // A pause for review is a finished run (exit 0) that says what it waits for.
  if (!run.awaitingReview().empty() && parallel_main) {
    const std::string& stage = run.awaitingReview();
    std::cout << stage << " awaits review: its pseudo-labels are in "
              << StageFiles{workspace.stageDir(stage)}.pseudoLabels().string()
              << "; commit its selection (the review page, or \"tau_source\": \"user\" in "
              << StageFiles{workspace.stageDir(stage)}.selection().string() << ") and run again to train\n";
  }
}

int runRun(const Arguments& args, Environment& env) {
  if (const int nproc = args.intValue("nproc", 1); nproc > 1) {
    // Rank 0 creates or updates the workspace first, so the processes never race on project.yaml.
    openWorkspaceForRun(args.required("workspace"), args, {});
    logInfo("launching " + std::to_string(nproc) + " processes on this machine");
    return launchLocalProcesses(nproc, commandLineWithoutNproc(), freeLocalPort());
  }
  const DistributedOptions distributed = distributedOptions(args);
  std::unique_ptr<DistributedContext> context;
  ParallelHooks parallel;
  if (distributed.world_size > 1) {
    context = std::make_unique<DistributedContext>(distributed);
    parallel.rank = context->rank();
    parallel.world_size = context->worldSize();
    parallel.local_rank = context->localRank();
    parallel.barrier = [&context] { context->barrier(); };
    parallel.join_training = [&context](TrainerSetup& setup) { joinProcessGroup(setup, *context); };
  }
  // Launched processes find the workspace ready and must not change it.
  Workspace workspace = parallel.world_size > 1 ? Workspace::open(args.required("workspace"))
                                                : openWorkspaceForRun(args.required("workspace"), args, {});
  setTorchThreads(workspace.config().runtime.threads);
  runSelfTraining(workspace, args, env, parallel);
  if (!parallel.isMain()) return 0;
  std::cout << "\n" << formatStageTable(summarizeWithBase(workspace));
  return 0;
}

}  // namespace autoqvis::cli
