// A synthetic self-training round at any size, for the selection benchmark and the review's
// responsiveness test: videos of kH x kW pixels and kFrames frames, kObjects boxes moving a pixel every
// four frames, each predicted kPredictions times per round (some near-duplicates that NMS removes) with
// random confidence, per-frame predicted IoU and a few empty frames; round 1 is merged into the state
// of round 0. About 200 per-frame labels per video: 4900 videos give ~1M.
#pragma once

#include <algorithm>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/selftrain/pseudo_labels.h"
#include "core/selftrain/round_selection.h"

namespace autoqvis::test {

struct SyntheticRound {
  static constexpr int kH = 36, kW = 48, kFrames = 20, kObjects = 6, kPredictions = 10;
  YtvisDataset dataset;
  std::vector<YtvisTrack> round0, round1;
};

inline CompressedRle syntheticBox(int x, int y, int w, int h) {
  constexpr int H = SyntheticRound::kH, W = SyntheticRound::kW;
  std::vector<uint8_t> m(H * W, 0);
  for (int yy = std::max(0, y); yy < std::min(H, y + h); ++yy) {
    for (int xx = std::max(0, x); xx < std::min(W, x + w); ++xx) m[yy * W + xx] = 1;
  }
  return compress(rleEncode(m.data(), H, W));
}

inline std::vector<YtvisTrack> syntheticPredictions(const YtvisVideo& video, std::mt19937& rng, int round) {
  using R = SyntheticRound;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<YtvisTrack> out;
  for (int p = 0; p < R::kPredictions; ++p) {
    const int object = p % R::kObjects;
    YtvisTrack t;
    t.video_id = video.id;
    t.score = static_cast<float>(0.2 + 0.8 * u(rng));
    auto& pred_iou = t.frame_values["pred_iou"];
    const int x0 = (object * 7) % (R::kW - 10), y0 = (object * 5) % (R::kH - 10);
    const int jitter = (p >= R::kObjects ? 1 : 0) + round;
    for (int f = 0; f < R::kFrames; ++f) {
      if (u(rng) < 0.05) {
        t.segmentations.emplace_back(std::nullopt);
      } else {
        t.segmentations.emplace_back(syntheticBox(x0 + f / 4 + jitter, y0 + jitter, 9, 8));
      }
      pred_iou.emplace_back(static_cast<float>(0.3 + 0.7 * u(rng)));
    }
    t.computeAreasAndBoxes();
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(), [](const YtvisTrack& a, const YtvisTrack& b) { return *a.score > *b.score; });
  return out;
}

inline SyntheticRound makeSyntheticRound(int videos) {
  using R = SyntheticRound;
  R s;
  std::mt19937 rng(11);
  for (int v = 0; v < videos; ++v) {
    YtvisVideo video{v + 1, R::kW, R::kH, {}};
    for (int f = 0; f < R::kFrames; ++f) video.file_names.push_back("vid_" + std::to_string(v) + "/" + std::to_string(f) + ".jpg");
    for (auto& t : syntheticPredictions(video, rng, 0)) s.round0.push_back(std::move(t));
    for (auto& t : syntheticPredictions(video, rng, 1)) s.round1.push_back(std::move(t));
    s.dataset.videos.push_back(std::move(video));
  }
  s.dataset.reindex();
  return s;
}

/// Round 1 of a synthetic round as a stage's inputs: round 0 selected at tau 0.5 is the previous state.
inline std::shared_ptr<RoundInputs> syntheticRoundInputs(int videos) {
  SyntheticRound s = makeSyntheticRound(videos);
  auto inputs = std::make_shared<RoundInputs>();
  inputs->stage = "round-2";
  inputs->official_round = 1;
  inputs->dataset_path = "synthetic/videos.json";
  inputs->results_path = "synthetic/predictions.json";
  inputs->previous_path = "synthetic/round_state.json";
  inputs->dataset = std::move(s.dataset);
  SelectionInputs in;
  in.dataset = &inputs->dataset;
  in.results = &s.round0;
  SelectionOptions options;
  options.tau = 0.5;
  inputs->previous = selectPseudoLabels(in, options).state;
  inputs->results = std::move(s.round1);
  return inputs;
}

}  // namespace autoqvis::test
