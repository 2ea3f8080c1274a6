// COCO run-length encoding of binary masks, bit-exact with the official cocoapi maskApi.c:
// runs alternate 0s and 1s (starting with 0s) over pixels in column-major order (index x*h + y).
// The compressed string form is the one stored in COCO / YouTube-VIS JSON files.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace autoqvis {

/// Uncompressed RLE: the run lengths themselves. Used for computation.
struct Rle {
  int32_t h = 0;
  int32_t w = 0;
  std::vector<uint32_t> counts;
};

/// Compressed RLE as stored in JSON ({"size": [h, w], "counts": "..."}). Datasets keep masks in this
/// form in memory: a few bytes per mask instead of h*w.
struct CompressedRle {
  int32_t h = 0;
  int32_t w = 0;
  std::string counts;
};

/// [x, y, width, height] as maskApi's rleToBbox computes it.
using BoxXYWH = std::array<double, 4>;

/// Encodes a row-major mask (any non-zero byte is foreground). `stride` is bytes per row (0 = w).
Rle rleEncode(const uint8_t* mask, int h, int w, size_t stride = 0);
/// Encodes a column-major mask, as maskApi's rleEncode does.
Rle rleEncodeColumnMajor(const uint8_t* mask, int h, int w);
/// Writes 0/1 bytes into a row-major buffer with `stride` bytes per row (0 = w).
void rleDecode(const Rle& rle, uint8_t* mask, size_t stride = 0);
void rleDecodeColumnMajor(const Rle& rle, uint8_t* mask);

/// Number of foreground pixels.
uint64_t rleArea(const Rle& rle);
BoxXYWH rleToBbox(const Rle& rle);
/// maskApi's rleIou for one pair: |dt∩gt| / |dt∪gt|, or |dt∩gt| / |dt| when gt is a crowd region.
/// Sizes that differ give -1 when the boxes overlap and 0 otherwise (as maskApi); 0 when both are empty.
double rleIou(const Rle& dt, const Rle& gt, bool gt_is_crowd = false);
/// Intersection and union pixel counts in one pass (sizes must agree; throws Error otherwise).
struct Overlap {
  uint64_t intersection = 0;
  uint64_t union_ = 0;
};
Overlap rleOverlap(const Rle& a, const Rle& b);
/// Union (or intersection) of masks of equal size, as maskApi's rleMerge. An empty list or a size
/// mismatch gives an Rle of size 0x0, as maskApi does.
Rle rleMerge(const std::vector<const Rle*>& masks, bool intersect);

/// The compressed string of maskApi's rleToString.
std::string rleToString(const Rle& rle);
/// Decodes a compressed string, validating it: throws Error for bad characters, a truncated value,
/// a negative run or runs that do not add up to h*w. Zero-length runs after the first (never written
/// by maskApi) are folded into their neighbours.
Rle rleFromString(std::string_view counts, int h, int w);
/// Builds an Rle from uncompressed counts (as in {"counts": [..]}), validating their sum.
Rle rleFromCounts(std::vector<uint32_t> counts, int h, int w);

inline CompressedRle compress(const Rle& rle) { return {rle.h, rle.w, rleToString(rle)}; }
inline Rle decompress(const CompressedRle& rle) { return rleFromString(rle.counts, rle.h, rle.w); }

}  // namespace autoqvis
