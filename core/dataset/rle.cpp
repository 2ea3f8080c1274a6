#include "core/dataset/rle.h"

#include <algorithm>
#include <cstring>

#include "core/util/error.h"

namespace autoqvis {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ull;

// Run-length scan of a column-major 0/1 buffer. Runs are long in real masks, so whole 8-byte words
// equal to the current value are skipped at once.
Rle scanRuns(const uint8_t* bits, int h, int w) {
  Rle rle{h, w, {}};
  const size_t n = static_cast<size_t>(h) * static_cast<size_t>(w);
  rle.counts.reserve(16);
  uint8_t value = 0;
  size_t run_start = 0;
  size_t i = 0;
  while (i < n) {
    const uint64_t same = value ? kOnes : 0;
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, bits + i, 8);
      if (word != same) break;
      i += 8;
    }
    while (i < n && bits[i] == value) ++i;
    if (i < n) {
      rle.counts.push_back(static_cast<uint32_t>(i - run_start));
      run_start = i;
      value = !value;
    }
  }
  rle.counts.push_back(static_cast<uint32_t>(n - run_start));
  return rle;
}

// Row-major (any non-zero) -> column-major 0/1, in cache-friendly tiles.
void transposeToColumnMajor(const uint8_t* mask, int h, int w, size_t stride, uint8_t* out) {
  constexpr int kTile = 32;
  for (int y0 = 0; y0 < h; y0 += kTile) {
    const int y1 = std::min(h, y0 + kTile);
    for (int x0 = 0; x0 < w; x0 += kTile) {
      const int x1 = std::min(w, x0 + kTile);
      for (int y = y0; y < y1; ++y) {
        const uint8_t* row = mask + static_cast<size_t>(y) * stride;
        for (int x = x0; x < x1; ++x) out[static_cast<size_t>(x) * h + y] = row[x] != 0;
      }
    }
  }
}

void transposeToRowMajor(const uint8_t* column_major, int h, int w, uint8_t* out, size_t stride) {
  constexpr int kTile = 32;
  for (int x0 = 0; x0 < w; x0 += kTile) {
    const int x1 = std::min(w, x0 + kTile);
    for (int y0 = 0; y0 < h; y0 += kTile) {
      const int y1 = std::min(h, y0 + kTile);
      for (int y = y0; y < y1; ++y) {
        uint8_t* row = out + static_cast<size_t>(y) * stride;
        for (int x = x0; x < x1; ++x) row[x] = column_major[static_cast<size_t>(x) * h + y];
      }
    }
  }
}

std::vector<uint8_t>& scratch(size_t size) {
  thread_local std::vector<uint8_t> buffer;
  if (buffer.size() < size) buffer.resize(size);
  return buffer;
}

void checkSize(int h, int w) {
  if (h < 0 || w < 0) throw Error("negative mask size " + std::to_string(h) + "x" + std::to_string(w));
}

// maskApi's encoder only ever writes a zero run first (a mask that starts with foreground). Other
// zero runs (possible in hand-made counts) would stall the pairwise walks below and shift the bbox,
// so they are folded into their neighbours; the mask itself is unchanged.
void foldZeroRuns(std::vector<uint32_t>& counts) {
  std::vector<uint32_t> out;
  out.reserve(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == 0 && i > 0) {
      // A zero run joins its two neighbours (same value on both sides) into one run.
      if (i + 1 < counts.size()) {
        out.back() += counts[i + 1];
        ++i;
      }
      continue;
    }
    out.push_back(counts[i]);
  }
  counts.swap(out);
}

bool hasInteriorZeroRun(const std::vector<uint32_t>& counts) {
  for (size_t i = 1; i < counts.size(); ++i) {
    if (counts[i] == 0) return true;
  }
  return false;
}

void checkTotal(const Rle& rle, uint64_t total) {
  const uint64_t expected = static_cast<uint64_t>(rle.h) * static_cast<uint64_t>(rle.w);
  if (total != expected) {
    throw Error("RLE counts cover " + std::to_string(total) + " pixels but the size " + std::to_string(rle.h) +
                "x" + std::to_string(rle.w) + " has " + std::to_string(expected));
  }
}

// Walks the runs of two masks together; calls visit(length, a_on, b_on) for each common segment.
// This is the loop shared by maskApi's rleIou and rleMerge.
template <class Visit>
void walkTogether(const Rle& a, const Rle& b, Visit&& visit) {
  size_t ia = 1, ib = 1;
  uint64_t ca = a.counts.empty() ? 0 : a.counts[0];
  uint64_t cb = b.counts.empty() ? 0 : b.counts[0];
  bool va = false, vb = false;
  bool more = true;
  while (more) {
    const uint64_t c = std::min(ca, cb);
    visit(c, va, vb);
    ca -= c;
    cb -= c;
    if (ca == 0 && ia < a.counts.size()) {
      ca = a.counts[ia++];
      va = !va;
    }
    if (cb == 0 && ib < b.counts.size()) {
      cb = b.counts[ib++];
      vb = !vb;
    }
    more = ca + cb > 0;
  }
}

}  // namespace

Rle rleEncodeColumnMajor(const uint8_t* mask, int h, int w) {
  checkSize(h, w);
  const size_t n = static_cast<size_t>(h) * w;
  auto& bits = scratch(n);
  for (size_t i = 0; i < n; ++i) bits[i] = mask[i] != 0;
  return scanRuns(bits.data(), h, w);
}

Rle rleEncode(const uint8_t* mask, int h, int w, size_t stride) {
  checkSize(h, w);
  if (stride == 0) stride = static_cast<size_t>(w);
  auto& bits = scratch(static_cast<size_t>(h) * w);
  transposeToColumnMajor(mask, h, w, stride, bits.data());
  return scanRuns(bits.data(), h, w);
}

void rleDecodeColumnMajor(const Rle& rle, uint8_t* mask) {
  const uint64_t n = static_cast<uint64_t>(rle.h) * rle.w;
  uint64_t pos = 0;
  uint8_t value = 0;
  for (uint32_t run : rle.counts) {
    if (pos + run > n) throw Error("RLE runs exceed the mask size");
    std::memset(mask + pos, value, run);
    pos += run;
    value = !value;
  }
  if (pos < n) std::memset(mask + pos, 0, n - pos);
}

void rleDecode(const Rle& rle, uint8_t* mask, size_t stride) {
  if (stride == 0) stride = static_cast<size_t>(rle.w);
  auto& bits = scratch(static_cast<size_t>(rle.h) * rle.w);
  rleDecodeColumnMajor(rle, bits.data());
  transposeToRowMajor(bits.data(), rle.h, rle.w, mask, stride);
}

uint64_t rleArea(const Rle& rle) {
  uint64_t area = 0;
  for (size_t i = 1; i < rle.counts.size(); i += 2) area += rle.counts[i];
  return area;
}

BoxXYWH rleToBbox(const Rle& rle) {
  // Only whole (0-run, 1-run) pairs count, as in maskApi (m = (m/2)*2).
  const size_t m = (rle.counts.size() / 2) * 2;
  if (m == 0 || rle.h == 0) return {0, 0, 0, 0};
  const uint64_t h = static_cast<uint64_t>(rle.h);
  uint64_t xs = static_cast<uint64_t>(rle.w), ys = h, xe = 0, ye = 0, xp = 0, cc = 0;
  for (size_t j = 0; j < m; ++j) {
    cc += rle.counts[j];
    const uint64_t t = cc - j % 2;
    const uint64_t y = t % h, x = (t - y) / h;
    if (j % 2 == 0) {
      xp = x;
    } else if (xp < x) {  // the run wraps into a new column, so it covers the whole height
      ys = 0;
      ye = h - 1;
    }
    xs = std::min(xs, x);
    xe = std::max(xe, x);
    ys = std::min(ys, y);
    ye = std::max(ye, y);
  }
  return {static_cast<double>(xs), static_cast<double>(ys), static_cast<double>(xe - xs + 1),
          static_cast<double>(ye - ys + 1)};
}

Overlap rleOverlap(const Rle& a, const Rle& b) {
  if (a.h != b.h || a.w != b.w) {
    throw Error("mask sizes differ: " + std::to_string(a.h) + "x" + std::to_string(a.w) + " vs " +
                std::to_string(b.h) + "x" + std::to_string(b.w));
  }
  Overlap overlap;
  walkTogether(a, b, [&](uint64_t length, bool va, bool vb) {
    if (va || vb) overlap.union_ += length;
    if (va && vb) overlap.intersection += length;
  });
  return overlap;
}

double rleIou(const Rle& dt, const Rle& gt, bool gt_is_crowd) {
  if (dt.h != gt.h || dt.w != gt.w) {
    // maskApi compares sizes only for pairs whose boxes overlap; others are simply 0.
    const BoxXYWH a = rleToBbox(dt), b = rleToBbox(gt);
    const double iw = std::min(a[0] + a[2], b[0] + b[2]) - std::max(a[0], b[0]);
    const double ih = std::min(a[1] + a[3], b[1] + b[3]) - std::max(a[1], b[1]);
    return (iw > 0 && ih > 0) ? -1.0 : 0.0;
  }
  const Overlap overlap = rleOverlap(dt, gt);
  if (overlap.intersection == 0) return 0.0;
  const uint64_t denominator = gt_is_crowd ? rleArea(dt) : overlap.union_;
  return static_cast<double>(overlap.intersection) / static_cast<double>(denominator);
}

Rle rleMerge(const std::vector<const Rle*>& masks, bool intersect) {
  if (masks.empty()) return {};
  Rle merged = *masks[0];
  for (size_t i = 1; i < masks.size(); ++i) {
    const Rle& b = *masks[i];
    if (b.h != merged.h || b.w != merged.w) return {};
    Rle out{merged.h, merged.w, {}};
    bool value = false;
    uint64_t run = 0;
    walkTogether(merged, b, [&](uint64_t length, bool va, bool vb) {
      const bool v = intersect ? (va && vb) : (va || vb);
      if (v != value) {
        out.counts.push_back(static_cast<uint32_t>(run));
        run = 0;
        value = v;
      }
      run += length;
    });
    out.counts.push_back(static_cast<uint32_t>(run));
    merged = std::move(out);
  }
  return merged;
}

std::string rleToString(const Rle& rle) {
  std::string out;
  out.reserve(rle.counts.size() * 2);
  for (size_t i = 0; i < rle.counts.size(); ++i) {
    int64_t x = rle.counts[i];
    if (i > 2) x -= static_cast<int64_t>(rle.counts[i - 2]);  // maskApi: delta to the run of the same value
    bool more = true;
    while (more) {
      int64_t c = x & 0x1f;
      x >>= 5;
      more = (c & 0x10) ? x != -1 : x != 0;
      if (more) c |= 0x20;
      out.push_back(static_cast<char>(c + 48));
    }
  }
  return out;
}

Rle rleFromString(std::string_view s, int h, int w) {
  checkSize(h, w);
  Rle rle{h, w, {}};
  rle.counts.reserve(s.size());
  size_t p = 0;
  uint64_t total = 0;
  while (p < s.size()) {
    int64_t x = 0;
    int k = 0;
    bool more = true;
    while (more) {
      if (p >= s.size()) throw Error("RLE string ends in the middle of a value");
      const int c = static_cast<unsigned char>(s[p]) - 48;
      if (c < 0 || c > 63) throw Error("RLE string has an invalid character at offset " + std::to_string(p));
      if (k >= 12) throw Error("RLE string has an overlong value at offset " + std::to_string(p));
      x |= static_cast<int64_t>(c & 0x1f) << (5 * k);
      more = (c & 0x20) != 0;
      ++p;
      ++k;
      if (!more && (c & 0x10)) x |= static_cast<int64_t>(-1) * (int64_t{1} << (5 * k));  // sign-extend
    }
    if (rle.counts.size() > 2) x += static_cast<int64_t>(rle.counts[rle.counts.size() - 2]);
    if (x < 0) throw Error("RLE has a negative run (" + std::to_string(x) + ") at run " + std::to_string(rle.counts.size()));
    if (x > static_cast<int64_t>(UINT32_MAX)) throw Error("RLE run too long at run " + std::to_string(rle.counts.size()));
    total += static_cast<uint64_t>(x);
    rle.counts.push_back(static_cast<uint32_t>(x));
  }
  checkTotal(rle, total);
  if (hasInteriorZeroRun(rle.counts)) foldZeroRuns(rle.counts);
  return rle;
}

Rle rleFromCounts(std::vector<uint32_t> counts, int h, int w) {
  checkSize(h, w);
  Rle rle{h, w, std::move(counts)};
  uint64_t total = 0;
  for (uint32_t run : rle.counts) total += run;
  checkTotal(rle, total);
  if (hasInteriorZeroRun(rle.counts)) foldZeroRuns(rle.counts);
  return rle;
}

}  // namespace autoqvis
