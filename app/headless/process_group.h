// Data-parallel plumbing shared by `train` and `run`: relaunching this command as N local processes,
// the rank / world / master options, and joining a trainer setup to the process group.
#pragma once

#include <string>
#include <vector>

#include "app/headless/arguments.h"
#include "core/train/distributed.h"
#include "core/train/trainer.h"

namespace autoqvis::cli {

/// This process's command line without --nproc, so the launched processes join the job instead of
/// launching again.
std::vector<std::string> commandLineWithoutNproc();
/// --rank / --world-size / --master-addr / --master-port over the environment's RANK, WORLD_SIZE, ...
DistributedOptions distributedOptions(const Arguments& args);
/// Data-parallel hooks; `batch_size` is the total over processes, as IMS_PER_BATCH.
void joinProcessGroup(TrainerSetup& setup, DistributedContext& context);

}  // namespace autoqvis::cli
