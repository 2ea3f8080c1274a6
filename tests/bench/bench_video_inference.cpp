// Benchmark of video-level inference with the paper's R50 model (random weights: speed does not depend on
// them) on CPU: clips of T frames at 360x640 (the test size of 720p video), the fused deformable attention
// on and off. Each measurement runs in its own child process so that the peak resident memory it prints
// is that run's alone.
//
//   bench_video_inference [--frames T[,T...]] [--height H] [--width W] [--threads N] [--repeat R]
//                         [--input-height H --input-width W]   (frames of another size, resized as in predict)
//                         [--unfused-too]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <torch/torch.h>

#include <opencv2/core.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "core/model/ms_deform_attn_fused.h"
#include "core/infer/video_predictor.h"
#include "core/util/torch_runtime.h"

using namespace autoqvis;

namespace {

struct Settings {
  std::vector<int> frames = {2, 6, 18};
  int height = 360, width = 640;      // the model's input size
  int input_height = 0, input_width = 0;  // original frame size; 0 = already at the model's size
  int threads = 0, repeat = 2;
  bool unfused_too = false;
  bool profile = false;
};

double peakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

void measure(const Settings& s, int frames, bool fused) {
  setTorchThreads(s.threads);
  setFusedDeformAttnEnabled(fused);
  torch::manual_seed(0);
  ModelOptions options;  // the paper's R50 model with the quality head
  VideoMaskFormer model(options);
  VideoPredictor predictor(model, options);
  const bool resize = s.input_height > 0;
  std::vector<cv::Mat> originals;
  torch::Tensor resized;
  if (resize) {
    for (int t = 0; t < frames; ++t) {
      cv::Mat frame(s.input_height, s.input_width, CV_8UC3);
      cv::randu(frame, 0, 255);
      originals.push_back(frame);
    }
  } else {
    resized = torch::randint(0, 255, {frames, 3, s.height, s.width}, torch::kUInt8);
  }
  auto run = [&] {
    return resize ? predictor.predict(originals) : predictor.predictResized(resized, s.height, s.width);
  };
  run();  // warm-up (allocator, OpenBLAS threads)
  double best = 1e30;
  for (int r = 0; r < s.repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    run();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::printf("T=%-3d %-7s %8.3f s/clip  %6.2f frames/s  peak RSS %7.0f MB  (threads %d)\n", frames,
              fused ? "fused" : "unfused", best, frames / best, peakRssMb(), torchRuntimeInfo().intra_op_threads);
  std::fflush(stdout);
}

// Seconds of each stage of one clip (after a warm-up pass), to see where the time goes.
void profileStages(const Settings& s, int frames) {
  setTorchThreads(s.threads);
  torch::manual_seed(0);
  ModelOptions options;
  VideoMaskFormer model(options);
  model->eval();
  torch::NoGradGuard no_grad;
  torch::Tensor images = torch::randn({frames, 3, (s.height + 31) / 32 * 32, (s.width + 31) / 32 * 32});
  if (std::getenv("CHANNELS_LAST")) {
    images = images.contiguous(torch::MemoryFormat::ChannelsLast);
    for (auto& p : model->backbone->parameters()) {
      if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
    }
  }
  for (int pass = 0; pass < 2; ++pass) {
    auto now = [] { return std::chrono::steady_clock::now(); };
    auto ms = [](auto a, auto b) { return 1000 * std::chrono::duration<double>(b - a).count(); };
    const auto t0 = now();
    const BackboneFeatures features = model->backbone->forward(images);
    const auto t1 = now();
    const PixelDecoderOutput pixels = model->sem_seg_head->pixel_decoder->forward(features);
    const auto t2 = now();
    const DecoderQueries queries = model->sem_seg_head->predictor->forwardQueries(pixels.multi_scale, pixels.mask_features, 1);
    const auto t3 = now();
    if (pass == 1) {
      std::printf("T=%d stages: backbone %.0f ms, pixel decoder %.0f ms, transformer decoder %.0f ms\n", frames,
                  ms(t0, t1), ms(t1, t2), ms(t2, t3));
    }
  }
}

std::vector<int> parseList(const char* text) {
  std::vector<int> values;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) values.push_back(std::stoi(item));
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  Settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&] { return i + 1 < argc ? argv[++i] : (std::fprintf(stderr, "%s needs a value\n", arg.c_str()), std::exit(2), argv[0]); };
    if (arg == "--frames") s.frames = parseList(next());
    else if (arg == "--height") s.height = std::atoi(next());
    else if (arg == "--width") s.width = std::atoi(next());
    else if (arg == "--input-height") s.input_height = std::atoi(next());
    else if (arg == "--input-width") s.input_width = std::atoi(next());
    else if (arg == "--threads") s.threads = std::atoi(next());
    else if (arg == "--repeat") s.repeat = std::atoi(next());
    else if (arg == "--unfused-too") s.unfused_too = true;
    else if (arg == "--profile") s.profile = true;
    else {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      return 2;
    }
  }
  std::printf("R50 video inference, input %dx%d%s\n", s.width, s.height,
              s.input_height ? (" from " + std::to_string(s.input_width) + "x" + std::to_string(s.input_height) + " frames").c_str() : "");
  std::fflush(stdout);  // before fork(): the children would print the buffered header again
  if (s.profile) {
    for (int frames : s.frames) profileStages(s, frames);
    return 0;
  }
  for (int frames : s.frames) {
    for (bool fused : {true, false}) {
      if (!fused && !s.unfused_too) continue;
      // A child per measurement: LibTorch is first touched there, and its peak RSS is its own.
      const pid_t child = fork();
      if (child == 0) {
        measure(s, frames, fused);
        std::_Exit(0);
      }
      int status = 0;
      waitpid(child, &status, 0);
      if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::printf("T=%d: the run failed (status %d)\n", frames, status);
    }
  }
  return 0;
}
