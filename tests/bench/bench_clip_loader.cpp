// Training-clip throughput of the data pipeline on a toy world at 360p: 3-frame clips, short side 360,
// batch 2, batches drawn 50/50 from pseudo-labelled videos and synthetic stills (with copy-paste), for 0
// (synchronous), 1 and 2 loading threads. Run: build/tests/bench/bench_clip_loader [batches]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <thread>

#include "core/data/clip_loader.h"
#include "core/toyworld/toy_world_writer.h"

using namespace autoqvis;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  const int batches = argc > 1 ? std::atoi(argv[1]) : 60;
  const fs::path root = fs::temp_directory_path() / "autoqvis_bench_clip_loader";
  ToyWorldOptions world;
  world.num_images = 24;
  world.image_width = 480;  // ImageNet-like stills
  world.image_height = 360;
  world.num_unlabeled_videos = 6;
  world.num_val_videos = 0;
  world.video_frames = 12;
  world.video_width = 640;  // 360p videos
  world.video_height = 360;
  if (!fs::exists(root / "unlabeled/videos_gt.json")) {
    ToyWorldWriter writer(world, root);
    writer.run();
  }
  ClipMapperOptions mapper;
  mapper.augmentation.short_sides = {360};
  std::vector<std::shared_ptr<const ClipSource>> sources = {
      PseudoLabelSource::load(root / "unlabeled/videos_gt.json", root / "unlabeled/JPEGImages", mapper),
      SyntheticStillSource::load(root / "synthetic/pseudo_masks.json", root / "synthetic/images", mapper)};

  // Where the time goes, on the caller's thread: one clip of each source, and copy-paste on a pair.
  {
    Rng rng(1);
    const int reps = 20;
    for (const auto& source : sources) {
      const auto start = Clock::now();
      for (int i = 0; i < reps; ++i) source->next(rng);
      std::printf("%-9s clip: %6.2f ms\n", source->name().c_str(),
                  1000.0 * std::chrono::duration<double>(Clock::now() - start).count() / reps);
    }
    std::vector<TrainingClip> pair = {sources[1]->next(rng), sources[1]->next(rng)};
    const auto start = Clock::now();
    for (int i = 0; i < reps; ++i) {
      std::vector<TrainingClip> batch = pair;
      imageCut2VideoBatch(batch, CopyPasteOptions{}, rng);
    }
    std::printf("copy-paste of a 2-clip batch: %6.2f ms\n",
                1000.0 * std::chrono::duration<double>(Clock::now() - start).count() / reps);
  }
  std::printf("toy world %s, %d batches of 2 clips x 3 frames, short side 360, %u hardware threads\n",
              root.c_str(), batches, std::thread::hardware_concurrency());
  for (int workers : {0, 1, 2}) {
    ClipLoaderOptions options;
    options.workers = workers;
    options.batch_size = 2;
    ClipLoader loader(sources, options);
    loader.next();  // warm-up: first file reads, thread start
    const auto start = Clock::now();
    const std::clock_t cpu_start = std::clock();  // process CPU time, all threads: robust on a busy machine
    for (int b = 0; b < batches; ++b) loader.next();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = double(std::clock() - cpu_start) / CLOCKS_PER_SEC;
    std::printf("workers %d: %7.1f clips/s  (%.1f ms per batch wall, %.1f ms CPU)\n", workers,
                batches * 2 / seconds, 1000.0 * seconds / batches, 1000.0 * cpu / batches);
  }
  return 0;
}
