// RLE codec speed on realistic masks (720p, one to a few blobs), in MB/s of mask data
// (one byte per pixel) and masks per second. Run: build/tests/bench/bench_rle
#include <chrono>
#include <cstdio>
#include <opencv2/imgproc.hpp>
#include <vector>

#include "core/dataset/rle.h"

using namespace autoqvis;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<cv::Mat> makeMasks(int count, int h, int w) {
  std::vector<cv::Mat> masks;
  cv::RNG rng(7);
  for (int i = 0; i < count; ++i) {
    cv::Mat m = cv::Mat::zeros(h, w, CV_8UC1);
    const int blobs = 1 + i % 3;
    for (int b = 0; b < blobs; ++b) {
      cv::ellipse(m, {rng.uniform(0, w), rng.uniform(0, h)}, {rng.uniform(20, w / 4), rng.uniform(20, h / 4)},
                  rng.uniform(0.0, 180.0), 0, 360, cv::Scalar(1), cv::FILLED);
    }
    masks.push_back(m);
  }
  return masks;
}

template <class F>
double seconds(F&& f) {
  auto start = Clock::now();
  f();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main() {
  const int h = 720, w = 1280, count = 200, repeats = 3;
  const auto masks = makeMasks(count, h, w);
  std::vector<Rle> rles(count);
  std::vector<std::string> strings(count);
  const double megabytes = double(h) * w * count * repeats / 1e6;

  double t = seconds([&] {
    for (int r = 0; r < repeats; ++r)
      for (int i = 0; i < count; ++i) rles[i] = rleEncode(masks[i].data, h, w, masks[i].step);
  });
  std::printf("encode (row-major 1280x720): %8.1f MB/s  %8.0f masks/s\n", megabytes / t, count * repeats / t);

  cv::Mat out(h, w, CV_8UC1);
  t = seconds([&] {
    for (int r = 0; r < repeats; ++r)
      for (int i = 0; i < count; ++i) rleDecode(rles[i], out.data, out.step);
  });
  std::printf("decode (row-major 1280x720): %8.1f MB/s  %8.0f masks/s\n", megabytes / t, count * repeats / t);

  t = seconds([&] {
    for (int r = 0; r < repeats; ++r)
      for (int i = 0; i < count; ++i) strings[i] = rleToString(rles[i]);
  });
  std::printf("to string:                    %8.0f masks/s\n", count * repeats / t);
  t = seconds([&] {
    for (int r = 0; r < repeats; ++r)
      for (int i = 0; i < count; ++i) rles[i] = rleFromString(strings[i], h, w);
  });
  std::printf("from string (validated):      %8.0f masks/s\n", count * repeats / t);
  double sink = 0;
  t = seconds([&] {
    for (int i = 0; i < count; ++i)
      for (int j = 0; j < count; ++j) sink += rleIou(rles[i], rles[j]);
  });
  std::printf("IoU pairs:                    %8.0f pairs/s (checksum %.3f)\n", double(count) * count / t, sink);
  return 0;
}
