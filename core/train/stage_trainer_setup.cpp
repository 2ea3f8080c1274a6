#include "core/train/stage_trainer_setup.h"

#include "core/data/clip_pipeline_options.h"
#include "core/util/error.h"

namespace autoqvis {
namespace {

ClipMapperOptions mapperFor(const Config& config, TrainingStage stage) {
  return clipPipelineOptions(trainOptionsFor(config, stage), config.augmentation, config.runtime.seed).mapper;
}

}  // namespace

TrainingStage parseTrainingStage(const std::string& text) {
  if (text == "initial") return TrainingStage::Initial;
  if (text == "round") return TrainingStage::Round;
  throw Error("the training stage must be initial or round, got '" + text + "'");
}

const TrainOptions& trainOptionsFor(const Config& config, TrainingStage stage) {
  return stage == TrainingStage::Initial ? config.initial_training : config.round_training;
}

std::shared_ptr<const ClipSource> syntheticSource(const Config& config, TrainingStage stage) {
  return SyntheticStillSource::load(resolveDataPath(config, config.data.synthetic_annotations),
                                    resolveDataPath(config, config.data.synthetic_images), mapperFor(config, stage));
}

std::shared_ptr<const ClipSource> pseudoLabelSource(const Config& config, const std::filesystem::path& labels,
                                                    const std::filesystem::path& frames) {
  return PseudoLabelSource::load(labels, frames, mapperFor(config, TrainingStage::Round));
}

TrainerSetup trainerSetupForStage(const Config& config, TrainingStage stage, const std::filesystem::path& workdir,
                                  std::vector<std::shared_ptr<const ClipSource>> first_sources,
                                  const std::filesystem::path& init_weights, bool resume) {
  TrainerSetup setup;
  setup.train = trainOptionsFor(config, stage);
  setup.augmentation = config.augmentation;
  setup.model = config.model;
  setup.workdir = workdir;
  setup.init_weights = init_weights;
  setup.resume = resume;
  setup.device = config.runtime.device;
  setup.seed = config.runtime.seed;
  setup.sources = std::move(first_sources);
  setup.sources.push_back(syntheticSource(config, stage));
  return setup;
}

}  // namespace autoqvis
