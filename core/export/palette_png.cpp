#include "core/export/palette_png.h"

#include <png.h>

#include <csetjmp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

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

}  // namespace autoqvis
