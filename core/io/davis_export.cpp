#include "core/io/davis_export.h"

#include <png.h>

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "core/util/atomic_file.h"
#include "core/util/error.h"

namespace autoqvis {
namespace fs = std::filesystem;

namespace {

Palette makeDavisPalette() {
  Palette palette{};
  for (int i = 0; i < 256; ++i) {
    int c = i;
    uint8_t r = 0, g = 0, b = 0;
    for (int bit = 7; bit >= 0; --bit) {
      r |= static_cast<uint8_t>(((c >> 0) & 1) << bit);
      g |= static_cast<uint8_t>(((c >> 1) & 1) << bit);
      b |= static_cast<uint8_t>(((c >> 2) & 1) << bit);
      c >>= 3;
    }
    palette[i] = {r, g, b};
  }
  return palette;
}

struct FileCloser {
  void operator()(FILE* f) const {
    if (f) std::fclose(f);
  }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

// libpng reports errors by longjmp; turn them into a message we can throw after unwinding.
void pngError(png_structp png, png_const_charp message) {
  auto* text = static_cast<std::string*>(png_get_error_ptr(png));
  if (text) *text = message;
  png_longjmp(png, 1);
}
void pngWarning(png_structp, png_const_charp) {}

void writePng(FILE* file, const cv::Mat& indices, const Palette& palette, std::string& error) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &error, pngError, pngWarning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) {
    png_destroy_write_struct(&png, nullptr);
    error = "out of memory";
    return;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    if (error.empty()) error = "libpng write error";
    return;
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, static_cast<png_uint_32>(indices.cols), static_cast<png_uint_32>(indices.rows), 8,
               PNG_COLOR_TYPE_PALETTE, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_color colors[256];
  for (int i = 0; i < 256; ++i) colors[i] = {palette[i][0], palette[i][1], palette[i][2]};
  png_set_PLTE(png, info, colors, 256);
  png_write_info(png, info);
  for (int y = 0; y < indices.rows; ++y) png_write_row(png, indices.ptr<uint8_t>(y));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
}

std::string videoFolder(const YtvisVideo& video) {
  if (!video.file_names.empty()) {
    fs::path first(video.file_names.front());
    if (first.has_parent_path()) return first.parent_path().filename().string();
  }
  return std::to_string(video.id);
}

std::string frameStem(const YtvisVideo& video, int t) {
  if (t < video.length()) return fs::path(video.file_names[t]).stem().string();
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%05d", t);
  return buffer;
}

}  // namespace

const Palette& davisPalette() {
  static const Palette palette = makeDavisPalette();
  return palette;
}

void writePalettePng(const fs::path& path, const cv::Mat& indices, const Palette& palette) {
  if (indices.empty() || indices.type() != CV_8UC1) {
    throw Error("a palette PNG needs a non-empty 8-bit single-channel index image", inFile(path.string()));
  }
  AtomicFile file(path);
  std::string error;
  {
    FilePtr out(std::fopen(file.tempPath().c_str(), "wb"));
    if (!out) throw Error("cannot open for writing", inFile(file.tempPath().string()));
    writePng(out.get(), indices, palette, error);
    if (std::fflush(out.get()) != 0 && error.empty()) error = "write failed (disk full?)";
  }
  if (!error.empty()) throw Error("cannot write PNG: " + error, inFile(path.string()));
  file.commit();
}

cv::Mat readPalettePng(const fs::path& path, Palette* palette) {
  FilePtr in(std::fopen(path.c_str(), "rb"));
  if (!in) throw Error(fs::exists(path) ? "cannot open for reading" : "file does not exist", inFile(path.string()));
  std::string error;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &error, pngError, pngWarning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    throw Error("out of memory", inFile(path.string()));
  }
  cv::Mat indices;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    throw Error("corrupt PNG: " + error, inFile(path.string()));
  }
  png_init_io(png, in.get());
  png_read_info(png, info);
  if (png_get_color_type(png, info) != PNG_COLOR_TYPE_PALETTE || png_get_bit_depth(png, info) != 8) {
    png_destroy_read_struct(&png, &info, nullptr);
    throw Error("not an 8-bit palette PNG", inFile(path.string()));
  }
  const int w = static_cast<int>(png_get_image_width(png, info));
  const int h = static_cast<int>(png_get_image_height(png, info));
  if (palette) {
    png_colorp colors = nullptr;
    int count = 0;
    png_get_PLTE(png, info, &colors, &count);
    *palette = Palette{};
    for (int i = 0; i < count && i < 256; ++i) (*palette)[i] = {colors[i].red, colors[i].green, colors[i].blue};
  }
  indices.create(h, w, CV_8UC1);
  for (int y = 0; y < h; ++y) png_read_row(png, indices.ptr<uint8_t>(y), nullptr);
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return indices;
}

DavisExporter::DavisExporter(const YtvisDataset& dataset, const std::vector<YtvisTrack>& tracks, fs::path out_dir,
                             DavisExportOptions options)
    : dataset_(dataset), tracks_(tracks), out_dir_(std::move(out_dir)), options_(options) {}

void DavisExporter::run() {
  std::map<int64_t, std::vector<const YtvisTrack*>> by_video;
  for (const auto& track : tracks_) {
    if (track.score && *track.score < options_.min_score) continue;
    by_video[track.video_id].push_back(&track);
  }
  int64_t total_frames = 0;
  for (const auto& video : dataset_.videos) total_frames += video.length();
  auto progress = reporter("export-davis", "frames", total_frames);
  nlohmann::json index = nlohmann::json::object();
  std::vector<uint8_t> column(0);
  for (const auto& video : dataset_.videos) {
    auto& tracks = by_video[video.id];
    // Stable: equal scores keep file order, so the numbering is reproducible.
    std::stable_sort(tracks.begin(), tracks.end(),
                     [](const YtvisTrack* a, const YtvisTrack* b) { return a->score.value_or(0) > b->score.value_or(0); });
    ErrorContext context = inFile(out_dir_.string());
    context.video_id = video.id;
    if (tracks.size() > 255) throw Error("has " + std::to_string(tracks.size()) + " tracks; a palette PNG holds 255", context);
    const std::string folder = videoFolder(video);
    nlohmann::json objects = nlohmann::json::object();
    for (size_t k = 0; k < tracks.size(); ++k) {
      objects[std::to_string(k + 1)] = {{"annotation_id", tracks[k]->id}, {"score", tracks[k]->score.value_or(1.0)}};
    }
    index[folder] = {{"video_id", video.id}, {"objects", std::move(objects)}};
    for (int t = 0; t < video.length(); ++t) {
      checkStop();
      cv::Mat indices = cv::Mat::zeros(video.height, video.width, CV_8UC1);
      cv::Mat mask(video.height, video.width, CV_8UC1);
      bool any = false;
      for (size_t k = tracks.size(); k-- > 0;) {  // highest index first, so index 1 ends on top
        const auto& segmentation = tracks[k]->segmentations.at(t);
        if (!segmentation) continue;
        context.frame = t;
        if (segmentation->h != video.height || segmentation->w != video.width) {
          throw Error("mask size disagrees with the video size", context);
        }
        rleDecode(decompress(*segmentation), mask.data, mask.step);
        indices.setTo(static_cast<int>(k + 1), mask);
        any = true;
      }
      if (any || !options_.skip_empty_frames) {
        writePalettePng(out_dir_ / folder / (frameStem(video, t) + ".png"), indices);
        ++frames_written_;
      }
      progress.step(1, folder);
    }
    tracks_written_ += static_cast<int>(tracks.size());
  }
  writeFileAtomically(out_dir_ / "index.json", index.dump(2));
}

}  // namespace autoqvis
