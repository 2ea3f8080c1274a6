// `make-base-model`: the toy VideoCutLER recipe (core/experiments/base_model_recipe.h), and a summary of
// what it wrote. resources/toy_videocutler/ holds the shipped result of this command.
#include <iomanip>
#include <iostream>

#include "app/headless/command.h"
#include "core/experiments/base_model_recipe.h"

namespace autoqvis::cli {

int runMakeBaseModel(const Arguments& args, Environment& env) {
  const Config config = loadConfigFromArguments(args, "toy-videocutler");
  const std::filesystem::path out = args.value("out").value_or("base-model-out");
  BaseModelRecipe recipe(config, out);
  env.stop_note = "a training checkpoint is kept under " + BaseModelFiles{out}.train().string() +
                  "; rerun the same command to continue";
  runController(recipe, env);
  const nlohmann::json& sidecar = recipe.sidecar();
  const nlohmann::json& val = sidecar.at("validation");
  std::cout << "toy VideoCutLER: " << BaseModelFiles{out}.weights().string() << " (" << sidecar.at("bytes").get<int64_t>()
            << " bytes, sha256 " << sidecar.at("sha256").get<std::string>() << ")\n"
            << sidecar.at("iterations").get<int64_t>() << " iterations in " << static_cast<int>(sidecar.at("wall_time_s").get<double>())
            << " s on " << sidecar.at("machine").get<std::string>() << "\n"
            << std::fixed << std::setprecision(2) << "validation (" << val.at("videos").get<int64_t>() << " videos): AP " << 100 * val.at("AP").get<double>()
            << "  AP50 " << 100 * val.at("AP50").get<double>() << "  AP75 " << 100 * val.at("AP75").get<double>()
            << "  AR10 " << 100 * val.at("AR10").get<double>() << "\n"
            << "sidecar: " << BaseModelFiles{out}.sidecar().string() << "\n";
  return 0;
}

}  // namespace autoqvis::cli
