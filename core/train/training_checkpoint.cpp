#include "core/train/training_checkpoint.h"

#include "core/util/stage_files.h"

#include <torch/torch.h>

#include <cstdio>
#include <sstream>

#include "core/model/model_weights.h"
#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace autoqvis {
namespace fs = std::filesystem;
namespace {

std::string padded(int64_t iteration) {
  char text[32];
  std::snprintf(text, sizeof(text), "%07lld", static_cast<long long>(iteration));
  return text;
}

fs::path checkpointDir(const fs::path& workdir) { return StageFiles{workdir}.checkpoints(); }

}  // namespace

fs::path saveTrainingCheckpoint(const fs::path& workdir, VideoMaskFormer& model, const ModelOptions& options,
                                const torch::optim::AdamW& optimizer, const TrainingState& state) {
  const fs::path dir = checkpointDir(workdir);
  fs::create_directories(dir);
  const fs::path weights = dir / ("model_" + padded(state.iteration) + ".pth");
  saveModelWeights(model, options, weights, state.iteration);

  torch::serialize::OutputArchive archive;
  optimizer.save(archive);
  archive.write("iteration", c10::IValue(state.iteration));
  archive.write("loader_seed", c10::IValue(static_cast<int64_t>(state.loader.seed)));
  archive.write("loader_next_batch", c10::IValue(state.loader.next_batch));
  archive.write("scaler_scale", c10::IValue(state.scaler.scale));
  archive.write("scaler_growth_tracker", c10::IValue(state.scaler.growth_tracker));
  archive.write("skipped_steps", c10::IValue(state.skipped_steps));
  archive.write("cpu_rng", state.cpu_rng);
  std::ostringstream bytes;
  archive.save_to(bytes);
  writeFileAtomically(dir / ("state_" + padded(state.iteration) + ".pt"), bytes.str());
  // Written last: a crash before this line leaves the previous checkpoint as the one to resume from.
  writeFileAtomically(dir / "last_checkpoint", std::to_string(state.iteration) + "\n");
  return weights;
}

std::optional<int64_t> lastCheckpoint(const fs::path& workdir) {
  const fs::path marker = checkpointDir(workdir) / "last_checkpoint";
  if (!fs::exists(marker)) return std::nullopt;
  try {
    return std::stoll(readFile(marker));
  } catch (const std::exception&) {
    throw Error("unreadable checkpoint marker (expected an iteration number)", inFile(marker.string()));
  }
}

TrainingState loadTrainingCheckpoint(const fs::path& workdir, int64_t iteration, VideoMaskFormer& model,
                                     torch::optim::AdamW& optimizer) {
  const fs::path dir = checkpointDir(workdir);
  loadModelWeights(model, dir / ("model_" + padded(iteration) + ".pth"));
  const fs::path state_file = dir / ("state_" + padded(iteration) + ".pt");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(state_file.string());
    optimizer.load(archive);
  } catch (const c10::Error& e) {
    throw Error("cannot read the training state: " + std::string(e.what_without_backtrace()), inFile(state_file.string()));
  }
  auto read = [&](const char* key) {
    c10::IValue value;
    archive.read(key, value);
    return value;
  };
  TrainingState state;
  state.iteration = read("iteration").toInt();
  state.loader.seed = static_cast<uint64_t>(read("loader_seed").toInt());
  state.loader.next_batch = read("loader_next_batch").toInt();
  state.scaler.scale = read("scaler_scale").toDouble();
  state.scaler.growth_tracker = read("scaler_growth_tracker").toInt();
  state.skipped_steps = read("skipped_steps").toInt();
  archive.read("cpu_rng", state.cpu_rng);
  return state;
}

}  // namespace autoqvis
