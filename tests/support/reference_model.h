// The small reference model of shared/fixtures/m2f-small (its config.yaml) and its stored tensors, shared by
// the model, inference and training tests, the benchmarks and the GPU check. Header-only and torch-only, so
// the standalone GPU check can include it too.
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/config/model_options.h"
#include "core/data/training_clip.h"

namespace autoqvis::test {

/// A tensor written by Python's torch.save of one tensor.
inline torch::Tensor loadSavedTensor(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + file.string());
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return torch::pickle_load(bytes).toTensor();
}

/// The fixture model's reduced widths; without the quality head it is the VideoCutLER model.
inline ModelOptions smallReferenceModelOptions(bool quality_head) {
  ModelOptions o;
  o.stem_out_channels = 16;
  o.res2_out_channels = 64;
  o.width_per_group = 16;
  o.conv_dim = 64;
  o.mask_dim = 64;
  o.hidden_dim = 64;
  o.num_queries = 10;
  o.decoder_ffn_dim = 128;
  o.quality_head = quality_head;
  return o;
}

/// A clip of random frames with `instances` elliptical objects drifting down by 3 pixels per frame.
inline TrainingClip ellipseClip(int frames, int height, int width, int instances) {
  TrainingClip clip;
  clip.source = "synthetic";
  const torch::Tensor ys = torch::arange(height).view({-1, 1}).to(torch::kFloat);
  const torch::Tensor xs = torch::arange(width).view({1, -1}).to(torch::kFloat);
  for (int t = 0; t < frames; ++t) {
    ClipFrame frame;
    frame.image = torch::randint(0, 255, {3, height, width}, torch::kUInt8);
    frame.ids = torch::arange(1, instances + 1, torch::kLong);
    frame.classes = torch::zeros({instances}, torch::kLong);
    std::vector<torch::Tensor> masks;
    for (int i = 0; i < instances; ++i) {
      const double cy = height * (0.25 + 0.5 * i / instances) + 3 * t, cx = width * (0.3 + 0.4 * i / instances);
      masks.push_back(((ys - cy) / (height / 6.0)).pow(2) + ((xs - cx) / (width / 8.0)).pow(2) < 1.0);
    }
    frame.masks = torch::stack(masks);
    clip.frames.push_back(frame);
  }
  return clip;
}

}  // namespace autoqvis::test
