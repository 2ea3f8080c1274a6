#include "core/eval/track_overlap.h"

#include <algorithm>

#include "core/util/error.h"

namespace autoqvis {
namespace {

// Index of the first interval of `m` that ends after pixel `position` (intervals are sorted).
size_t firstIntervalEndingAfter(const FrameRuns& m, uint32_t position) {
  size_t lo = 0, hi = m.numIntervals();
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (m.bounds[2 * mid + 1] <= position) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace

FrameRuns toFrameRuns(const Rle& rle) {
  FrameRuns runs;
  runs.h = rle.h;
  runs.w = rle.w;
  const size_t n = rle.counts.size();
  // Run i (odd = foreground) ends at the running sum; foreground run 2k+1 spans [end of run 2k, its own
  // end). Every end but that of a trailing background run is a boundary, so the count stays even.
  runs.bounds.reserve(n);
  uint64_t position = 0;
  for (size_t i = 0; i < n; ++i) {
    position += rle.counts[i];
    if (i % 2 == 1) runs.area += rle.counts[i];
    if (i + 1 < n || i % 2 == 1) runs.bounds.push_back(static_cast<uint32_t>(position));
  }
  return runs;
}

FrameRuns decodeFrameRuns(const CompressedRle& rle) {
  FrameRuns runs;
  runs.h = rle.h;
  runs.w = rle.w;
  const std::string& s = rle.counts;
  runs.bounds.reserve(s.size() / 2 + 2);
  // maskApi's rleFrString: 5-bit groups, LSB first, 0x20 = more groups follow, sign from bit 0x10 of the
  // last group; from the third run on, the value is a delta to the run two before (same colour).
  int64_t previous[2] = {0, 0};  // the last two run lengths (index = run parity)
  uint64_t position = 0;
  size_t run = 0, p = 0;
  while (p < s.size()) {
    int64_t x = 0;
    int k = 0;
    for (bool more = true; more; ++k) {
      if (p >= s.size()) throw Error("RLE string ends in the middle of a value");
      const int c = static_cast<unsigned char>(s[p++]) - 48;
      if (c < 0 || c > 63 || k >= 12)
        throw Error("RLE string is malformed at offset " + std::to_string(p - 1));
      x |= static_cast<int64_t>(c & 0x1f) << (5 * k);
      more = (c & 0x20) != 0;
      if (!more && (c & 0x10)) x |= static_cast<int64_t>(-1) * (int64_t{1} << (5 * (k + 1)));
    }
    if (run > 2) x += previous[run % 2];
    if (x < 0 || x > static_cast<int64_t>(UINT32_MAX)) {
      throw Error("RLE has an invalid run (" + std::to_string(x) + ") at run " + std::to_string(run));
    }
    previous[run % 2] = x;
    if (run % 2 == 1) {  // odd runs are foreground: one interval each
      runs.area += static_cast<uint64_t>(x);
      runs.bounds.push_back(static_cast<uint32_t>(position));
      runs.bounds.push_back(static_cast<uint32_t>(position + x));
    }
    position += static_cast<uint64_t>(x);
    ++run;
  }
  if (position != static_cast<uint64_t>(rle.h) * static_cast<uint64_t>(rle.w)) {
    throw Error("RLE counts cover " + std::to_string(position) + " pixels but the size " +
                std::to_string(rle.h) + "x" + std::to_string(rle.w) + " has " +
                std::to_string(static_cast<uint64_t>(rle.h) * rle.w));
  }
  return runs;
}

TrackRuns decodeTrackRuns(const YtvisTrack& track) {
  TrackRuns out(track.segmentations.size());
  for (size_t t = 0; t < track.segmentations.size(); ++t) {
    if (!track.segmentations[t]) continue;
    try {
      out[t] = decodeFrameRuns(*track.segmentations[t]);
    } catch (const Error& e) {
      ErrorContext context;
      context.video_id = track.video_id;
      if (track.id > 0) context.annotation_id = track.id;
      context.frame = static_cast<int64_t>(t);
      throw e.withContext(context);
    }
  }
  return out;
}

uint64_t intersectionArea(const FrameRuns& a, const FrameRuns& b) {
  const size_t na = a.numIntervals(), nb = b.numIntervals();
  if (na == 0 || nb == 0) return 0;
  // Disjoint extents (e.g. objects in different columns) need no walk at all.
  if (a.bounds[2 * na - 1] <= b.bounds[0] || b.bounds[2 * nb - 1] <= a.bounds[0]) return 0;
  size_t i = firstIntervalEndingAfter(a, b.bounds[0]);
  size_t j = firstIntervalEndingAfter(b, a.bounds[0]);
  uint64_t intersection = 0;
  while (i < na && j < nb) {
    const uint32_t a_start = a.bounds[2 * i], a_end = a.bounds[2 * i + 1];
    const uint32_t b_start = b.bounds[2 * j], b_end = b.bounds[2 * j + 1];
    const uint32_t start = std::max(a_start, b_start), end = std::min(a_end, b_end);
    if (start < end) intersection += end - start;
    if (a_end < b_end) {
      ++i;
    } else {
      ++j;
    }
  }
  return intersection;
}

Overlap frameOverlap(const FrameRuns* d, const FrameRuns* g) {
  Overlap overlap;
  if (d && g) {
    if (d->h != g->h || d->w != g->w) return overlap;  // rleMerge -> empty RLE: adds 0 to both sums
    overlap.intersection = intersectionArea(*d, *g);
    overlap.union_ = d->area + g->area - overlap.intersection;
  } else if (g) {
    overlap.union_ = g->area;
  } else if (d) {
    overlap.union_ = d->area;
  }
  return overlap;
}

double spatioTemporalIou(const TrackRuns& d, const TrackRuns& g) {
  const size_t frames = std::min(d.size(), g.size());  // Python's zip stops at the shorter list
  uint64_t intersection = 0, union_ = 0;
  for (size_t t = 0; t < frames; ++t) {
    const Overlap o = frameOverlap(d[t] ? &*d[t] : nullptr, g[t] ? &*g[t] : nullptr);
    intersection += o.intersection;
    union_ += o.union_;
  }
  // The official sums are float64 accumulations of integers: exact below 2^53, as these are.
  return union_ > 0 ? static_cast<double>(intersection) / static_cast<double>(union_) : 0.0;
}

}  // namespace autoqvis
