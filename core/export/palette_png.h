// 8-bit palette-indexed PNG files, the format of DAVIS / Pascal VOC instance masks: one byte per
// pixel holding an object index, colours from a 256-entry palette (DAVIS's by default).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <opencv2/core.hpp>

namespace autoqvis {

using Palette = std::array<std::array<uint8_t, 3>, 256>;

/// The palette DAVIS and Pascal VOC use (index bits spread over the RGB high bits).
const Palette& davisPalette();

/// Writes an indexed (colour type 3) PNG of a CV_8UC1 index image, atomically.
void writePalettePng(const std::filesystem::path& path, const cv::Mat& indices, const Palette& palette = davisPalette());
/// Reads an indexed PNG back: the raw indices (not colours) and its palette. Throws Error for a
/// missing file, a corrupt PNG or a PNG that is not palette-indexed.
cv::Mat readPalettePng(const std::filesystem::path& path, Palette* palette = nullptr);

}  // namespace autoqvis
