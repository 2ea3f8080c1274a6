#include "app/headless/command.h"
#include "core/toyworld/toy_world_writer.h"
#include "core/util/log.h"

namespace autoqvis::cli {

int runMakeToyData(const Arguments& args, Environment& env) {
  Config config = loadConfigFromArguments(args);
  if (auto out = args.value("out")) config.data.root = *out;
  ToyWorldWriter writer(config.toy_world, config.data.root);
  runController(writer, env);
  // The generator options travel with the data, so a world can be regenerated or inspected later.
  Config record;
  record.toy_world = config.toy_world;
  record.data.root = config.data.root;
  saveConfig(record, std::filesystem::path(config.data.root) / "world.yaml");
  return 0;
}

}  // namespace autoqvis::cli
