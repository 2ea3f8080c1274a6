#include "app/headless/process_group.h"

#include <fstream>

#include "app/headless/command.h"

namespace autoqvis::cli {

std::vector<std::string> commandLineWithoutNproc() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> argv;
  for (std::string arg; std::getline(in, arg, '\0');) argv.push_back(arg);
  std::vector<std::string> kept;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] == "--nproc") {
      ++i;
      continue;
    }
    if (argv[i].rfind("--nproc=", 0) == 0) continue;
    kept.push_back(argv[i]);
  }
  if (!kept.empty()) kept[0] = "/proc/self/exe";
  return kept;
}

DistributedOptions distributedOptions(const Arguments& args) {
  DistributedOptions options = distributedOptionsFromEnvironment({});
  options.rank = args.intValue("rank", options.rank);
  options.world_size = args.intValue("world-size", options.world_size);
  options.master_addr = args.value("master-addr").value_or(options.master_addr);
  options.master_port = args.intValue("master-port", options.master_port);
  if (options.rank < 0 || options.rank >= options.world_size) {
    throw UsageError("--rank must be within 0..world size - 1");
  }
  return options;
}

void joinProcessGroup(TrainerSetup& setup, DistributedContext& context) {
  if (setup.train.batch_size % context.worldSize() != 0) {
    throw Error("train.batch_size " + std::to_string(setup.train.batch_size) + " must be a multiple of the " +
                std::to_string(context.worldSize()) + " processes");
  }
  setup.train.batch_size /= context.worldSize();
  setup.is_main = context.isMain();
  setup.rank = context.rank();
  setup.local_rank = context.localRank();
  setup.all_reduce_gradients = [&context](const std::vector<torch::Tensor>& p) { context.allReduceGradients(p); };
  setup.broadcast_parameters = [&context](const std::vector<torch::Tensor>& p) { context.broadcastParameters(p); };
  setup.reduce_num_masks = context.numMasksReducer();
}

}  // namespace autoqvis::cli
