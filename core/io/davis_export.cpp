#include "core/io/davis_export.h"

#include <png.h>

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <map>
#include <set>
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

// A name usable as one path component: no separators, not "." or "..", not empty.
bool safeComponent(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\\') == std::string::npos;
}

// The folder of a video's frames ("<video>/<frame>.jpg" -> "<video>"), or its id when that is not a
// safe name, so that nothing is written outside the output folder.
std::string videoFolder(const YtvisVideo& video) {
  if (!video.file_names.empty()) {
    const fs::path parent = fs::path(video.file_names.front()).parent_path().filename();
    if (safeComponent(parent.string())) return parent.string();
  }
  return std::to_string(video.id);
}

// Frame file stems; frames whose names are unusable or repeat are numbered instead.
std::vector<std::string> frameStems(const YtvisVideo& video) {
  std::vector<std::string> stems;
  std::set<std::string> seen;
  bool usable = true;
  for (const auto& name : video.file_names) {
    stems.push_back(fs::path(name).stem().string());
    usable = usable && safeComponent(stems.back()) && seen.insert(stems.back()).second;
  }
  if (usable) return stems;
  for (int t = 0; t < video.length(); ++t) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%05d", t);
    stems[t] = buffer;
  }
  return stems;
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

namespace {

// What readPng fills in; plain data only, because libpng unwinds with longjmp.
struct PngImage {
  png_uint_32 width = 0, height = 0;
  int color_type = 0, bit_depth = 0;
  Palette palette{};
  std::vector<uint8_t> pixels;
  std::vector<png_bytep> rows;
};

constexpr uint64_t kMaxPngPixels = uint64_t{1} << 28;

// Reads an 8-bit palette PNG into `image`; returns an empty string or the reason it failed.
// Everything that changes after setjmp lives in `image` (outside this frame), because locals changed
// between setjmp and longjmp have indeterminate values afterwards.
std::string readPng(FILE* file, PngImage& image) {
  std::string error;
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &error, pngError, pngWarning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    return "out of memory";
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return "corrupt PNG: " + error;
  }
  png_init_io(png, file);
  png_read_info(png, info);
  image.width = png_get_image_width(png, info);
  image.height = png_get_image_height(png, info);
  image.color_type = png_get_color_type(png, info);
  image.bit_depth = png_get_bit_depth(png, info);
  if (image.color_type != PNG_COLOR_TYPE_PALETTE || image.bit_depth != 8) {
    png_destroy_read_struct(&png, &info, nullptr);
    return "not an 8-bit palette PNG";
  }
  if (uint64_t{image.width} * image.height > kMaxPngPixels) {
    png_destroy_read_struct(&png, &info, nullptr);
    return "image too large (" + std::to_string(image.width) + "x" + std::to_string(image.height) + ")";
  }
  png_colorp colors = nullptr;
  int count = 0;
  png_get_PLTE(png, info, &colors, &count);
  for (int i = 0; i < count && i < 256; ++i) image.palette[i] = {colors[i].red, colors[i].green, colors[i].blue};
  png_set_interlace_handling(png);  // Adam7 files are deinterlaced by png_read_image
  png_read_update_info(png, info);
  image.pixels.resize(size_t{image.width} * image.height);
  image.rows.resize(image.height);
  for (png_uint_32 y = 0; y < image.height; ++y) image.rows[y] = image.pixels.data() + size_t{y} * image.width;
  png_read_image(png, image.rows.data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return {};
}

}  // namespace

cv::Mat readPalettePng(const fs::path& path, Palette* palette) {
  FilePtr in(std::fopen(path.c_str(), "rb"));
  if (!in) throw Error(fs::exists(path) ? "cannot open for reading" : "file does not exist", inFile(path.string()));
  PngImage image;
  const std::string error = readPng(in.get(), image);
  if (!error.empty()) throw Error(error, inFile(path.string()));
  if (palette) *palette = image.palette;
  return cv::Mat(static_cast<int>(image.height), static_cast<int>(image.width), CV_8UC1, image.pixels.data()).clone();
}

DavisExporter::DavisExporter(const YtvisDataset& dataset, const std::vector<YtvisTrack>& tracks, fs::path out_dir,
                             DavisExportOptions options)
    : dataset_(dataset), tracks_(tracks), out_dir_(std::move(out_dir)), options_(options) {}

namespace {

// Tracks of one video in palette order (descending score; equal scores keep file order, so the
// numbering is reproducible), checked against the video before anything is written.
std::vector<const YtvisTrack*> paletteOrder(std::vector<const YtvisTrack*> tracks, const YtvisVideo& video,
                                            const ErrorContext& context) {
  std::stable_sort(tracks.begin(), tracks.end(),
                   [](const YtvisTrack* a, const YtvisTrack* b) { return a->score.value_or(0) > b->score.value_or(0); });
  if (tracks.size() > 255) throw Error("has " + std::to_string(tracks.size()) + " tracks; a palette PNG holds 255", context);
  for (const YtvisTrack* track : tracks) {
    ErrorContext track_context = context;
    if (track->id > 0) track_context.annotation_id = track->id;
    if (track->numFrames() != video.length()) {
      throw Error("has " + std::to_string(track->numFrames()) + " per-frame masks but the video has " +
                      std::to_string(video.length()) + " frames",
                  track_context);
    }
    for (int t = 0; t < track->numFrames(); ++t) {
      const auto& mask = track->segmentations[t];
      if (mask && (mask->h != video.height || mask->w != video.width)) {
        track_context.frame = t;
        throw Error("mask size disagrees with the video size", track_context);
      }
    }
  }
  return tracks;
}

}  // namespace

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
  for (const auto& video : dataset_.videos) {
    ErrorContext context = inFile(out_dir_.string());
    context.video_id = video.id;
    const auto tracks = paletteOrder(by_video[video.id], video, context);
    std::string folder = videoFolder(video);
    if (index.contains(folder)) folder += "_" + std::to_string(video.id);  // two videos, one folder name
    const auto stems = frameStems(video);
    nlohmann::json objects = nlohmann::json::object();
    for (size_t k = 0; k < tracks.size(); ++k) {
      objects[std::to_string(k + 1)] = {{"annotation_id", tracks[k]->id}, {"score", tracks[k]->score.value_or(1.0)}};
    }
    index[folder] = {{"video_id", video.id}, {"objects", std::move(objects)}};
    cv::Mat mask(video.height, video.width, CV_8UC1);
    for (int t = 0; t < video.length(); ++t) {
      checkStop();
      cv::Mat indices = cv::Mat::zeros(video.height, video.width, CV_8UC1);
      bool any = false;
      for (size_t k = tracks.size(); k-- > 0;) {  // highest index first, so index 1 ends on top
        const auto& segmentation = tracks[k]->segmentations[t];
        if (!segmentation) continue;
        rleDecode(decompress(*segmentation), mask.data, mask.step);
        indices.setTo(static_cast<int>(k + 1), mask);
        any = true;
      }
      if (any || !options_.skip_empty_frames) {
        writePalettePng(out_dir_ / folder / (stems[t] + ".png"), indices);
        ++frames_written_;
      }
      progress.step(1, folder);
    }
    tracks_written_ += static_cast<int>(tracks.size());
  }
  writeFileAtomically(out_dir_ / "index.json", index.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace autoqvis
