#include "core/toyworld/toy_pseudo_masks.h"

#include <opencv2/imgproc.hpp>

namespace autoqvis {
namespace {

cv::Mat disk(int radius) {
  return cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * radius + 1, 2 * radius + 1));
}

// MaskCut works on ViT patches and a CRF then snaps to edges: its masks are rounder than the object and lose
// thin tips. A blur-and-threshold reproduces that mild coarseness.
cv::Mat coarsen(const cv::Mat& mask) {
  cv::Mat soft;
  mask.convertTo(soft, CV_32F);
  cv::GaussianBlur(soft, soft, cv::Size(0, 0), 1.2);
  cv::Mat out = soft > 0.5f;
  return out & 1;
}

bool near(const cv::Mat& a, const cv::Mat& b, int gap_px) {
  cv::Mat grown;
  cv::dilate(a, grown, disk(gap_px));
  return cv::countNonZero(grown & b) > 0;
}

ToyPseudoMask mergedMask(const cv::Mat& a, const cv::Mat& b, int i, int j) {
  // Closing bridges the gap between the two objects, as a single segment over both would.
  cv::Mat both = a | b;
  cv::morphologyEx(both, both, cv::MORPH_CLOSE, disk(4));
  return {both, PseudoMaskKind::Merged, {i, j}, 0};
}

ToyPseudoMask boundaryError(Rng& rng, const cv::Mat& mask, int object, const ToyWorldOptions& options) {
  int px = static_cast<int>(rng.uniformInt(1, options.pseudo_boundary_max_px));
  const bool erode = rng.bernoulli(0.5);
  cv::Mat out;
  if (erode) {
    // A thin object is eroded less rather than vanishing; one that cannot lose even a pixel stays faithful.
    for (; px >= 1; --px) {
      cv::erode(mask, out, disk(px));
      if (cv::countNonZero(out) >= options.min_visible_px) return {out, PseudoMaskKind::Eroded, {object}, px};
    }
    return {mask, PseudoMaskKind::Faithful, {object}, 0};
  }
  cv::dilate(mask, out, disk(px));
  return {out, PseudoMaskKind::Dilated, {object}, px};
}

// A blob on a background area: the salient-texture false positives of unsupervised segmenters.
bool spuriousBlob(Rng& rng, const std::vector<cv::Mat>& true_masks, const ToyWorldOptions& options,
                  cv::Mat* out) {
  const cv::Size size =
      true_masks.empty() ? cv::Size(options.image_width, options.image_height) : true_masks.front().size();
  cv::Mat objects(size, CV_8U, cv::Scalar(0));
  for (const cv::Mat& m : true_masks) objects |= m;
  cv::dilate(objects, objects, disk(3));
  const int base = std::min(size.width, size.height);
  // A few tries, since a blob that lands on the objects has nothing left once they are cut out of it.
  for (int attempt = 0; attempt < 4; ++attempt) {
    cv::Mat blob(size, CV_8U, cv::Scalar(0));
    const cv::Point center(static_cast<int>(rng.uniformInt(0, size.width - 1)),
                           static_cast<int>(rng.uniformInt(0, size.height - 1)));
    const cv::Size axes(static_cast<int>(base * rng.uniform(0.05, 0.14)),
                        static_cast<int>(base * rng.uniform(0.05, 0.14)));
    cv::ellipse(blob, center, axes, rng.uniform(0, 180), 0, 360, cv::Scalar(1), cv::FILLED);
    blob.setTo(0, objects);
    if (cv::countNonZero(blob) >= options.min_visible_px) {
      *out = blob;
      return true;
    }
  }
  return false;
}

}  // namespace

ToyPseudoMaskResult makePseudoMasks(Rng& rng, const std::vector<cv::Mat>& true_masks,
                                    const ToyWorldOptions& options) {
  const int n = static_cast<int>(true_masks.size());
  ToyPseudoMaskResult result;
  std::vector<cv::Mat> coarse(n);
  std::vector<bool> used(n, false);
  for (int i = 0; i < n; ++i) {
    coarse[i] = coarsen(true_masks[i]);
    if (rng.bernoulli(options.pseudo_miss_prob) || cv::countNonZero(coarse[i]) < options.min_visible_px) {
      result.missed.push_back(i);
      used[i] = true;
    }
  }
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n && !used[i]; ++j) {
      if (used[j] || !near(coarse[i], coarse[j], 3) || !rng.bernoulli(options.pseudo_merge_prob)) continue;
      result.masks.push_back(mergedMask(coarse[i], coarse[j], i, j));
      used[i] = used[j] = true;
    }
  }
  for (int i = 0; i < n; ++i) {
    if (used[i]) continue;
    if (rng.bernoulli(options.pseudo_boundary_prob)) {
      result.masks.push_back(boundaryError(rng, coarse[i], i, options));
    } else {
      result.masks.push_back({coarse[i], PseudoMaskKind::Faithful, {i}, 0});
    }
  }
  cv::Mat blob;
  if (rng.bernoulli(options.pseudo_spurious_prob) && spuriousBlob(rng, true_masks, options, &blob)) {
    result.masks.push_back({blob, PseudoMaskKind::Spurious, {}, 0});
  }
  return result;
}

const char* pseudoMaskKindName(PseudoMaskKind kind) {
  switch (kind) {
    case PseudoMaskKind::Faithful:
      return "faithful";
    case PseudoMaskKind::Eroded:
      return "eroded";
    case PseudoMaskKind::Dilated:
      return "dilated";
    case PseudoMaskKind::Merged:
      return "merged";
    case PseudoMaskKind::Spurious:
      return "spurious";
  }
  return "unknown";
}

}  // namespace autoqvis
