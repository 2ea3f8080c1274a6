#include "core/data/clip_augmentation.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>

#include "core/video/pil_resize.h"
#include "core/util/error.h"

namespace autoqvis {
namespace {

// detectron2 RandomCrop("absolute_range"): each side uniform in [min(side, lo), min(side, hi)], so a side
// shorter than `lo` keeps its full length; then a uniform position.
cv::Rect drawCrop(const ClipAugmentationOptions& o, cv::Size input, Rng& rng) {
  if (!o.crop) return {0, 0, input.width, input.height};
  const int h = input.height, w = input.width;
  const int ch = static_cast<int>(rng.uniformInt(std::min(h, o.crop_min), std::min(h, o.crop_max)));
  const int cw = static_cast<int>(rng.uniformInt(std::min(w, o.crop_min), std::min(w, o.crop_max)));
  const int y0 = static_cast<int>(rng.uniformInt(0, h - ch));
  const int x0 = static_cast<int>(rng.uniformInt(0, w - cw));
  return {x0, y0, cw, ch};
}

// BlendTransform on uint8: float32 arithmetic (numpy casts the scalar weights to the array's float32),
// clip to [0, 255], truncate. The result depends on the input value only, so it is a lookup table.
void blend(cv::Mat& image, double src_value, double src_weight, double dst_weight) {
  const float a = static_cast<float>(src_value * src_weight);
  const float w = static_cast<float>(dst_weight);
  cv::Mat lut(1, 256, CV_8UC1);
  for (int v = 0; v < 256; ++v) {
    const float product = w * static_cast<float>(v);
    const float out = std::min(255.0f, std::max(0.0f, a + product));
    lut.at<uint8_t>(v) = static_cast<uint8_t>(out);
  }
  cv::LUT(image, lut, image);
}

// numpy's image.mean() over H x W x 3 values; integer sums are exact.
double meanOfAllValues(const cv::Mat& image) {
  const cv::Scalar sums = cv::sum(image);
  const double total = sums[0] + sums[1] + sums[2] + sums[3];
  return total / (static_cast<double>(image.total()) * image.channels());
}

// detectron2 RotationTransform with expand = false: cv2.getRotationMatrix2D about the centre shifted by
// -0.5 (opencv issue 11784: warpAffine addresses pixel centres at integers), output of the input's size.
cv::Mat rotationMatrix(const FrameAugmentation& p, cv::Size size) {
  // The centre goes through Python's tuple -> cv::Point2f conversion, hence float.
  const cv::Point2f center(static_cast<float>(size.width * p.center_x - 0.5),
                           static_cast<float>(size.height * p.center_y - 0.5));
  return cv::getRotationMatrix2D(center, p.angle_deg, 1.0);
}

bool rotates(double angle_deg) { return std::fmod(angle_deg, 360.0) != 0.0; }

}  // namespace

cv::Size shortestEdgeSize(cv::Size input, int short_side, int max_size) {
  const double h = input.height, w = input.width;
  const double scale = short_side * 1.0 / std::min(h, w);
  double new_h, new_w;
  if (h < w) {
    new_h = short_side;
    new_w = scale * w;
  } else {
    new_h = scale * h;
    new_w = short_side;
  }
  if (std::max(new_h, new_w) > max_size) {
    const double shrink = max_size * 1.0 / std::max(new_h, new_w);
    new_h *= shrink;
    new_w *= shrink;
  }
  return {static_cast<int>(new_w + 0.5), static_cast<int>(new_h + 0.5)};
}

ClipAugmenter::ClipAugmenter(const ClipAugmentationOptions& options) : options_(options) {
  if (options_.short_sides.empty()) throw Error("min_size_train needs at least one short side");
  if (options_.crop && options_.crop_min > options_.crop_max) throw Error("crop_size must be [min, max], min <= max");
}

FrameAugmentation ClipAugmenter::drawFrame(cv::Size input, Rng& rng) {
  const ClipAugmentationOptions& o = options_;
  FrameAugmentation p;
  p.crop = drawCrop(o, input, rng);
  // By-clip draws happen when the first frame asks for them; per-frame ones every time.
  const bool first = !have_clip_draws_;
  have_clip_draws_ = true;
  if (first || !o.resize_by_clip) {
    const auto n = static_cast<int64_t>(o.short_sides.size());
    short_side_ = o.short_sides[static_cast<size_t>(rng.uniformInt(0, n - 1))];
  }
  p.resized = shortestEdgeSize(p.crop.size(), short_side_, o.max_size);
  if (first || !o.flip_by_clip) flip_ = rng.uniform() < o.flip_prob;
  p.flip = flip_;
  p.brightness = rng.uniform(o.brightness_min, o.brightness_max);
  p.contrast = rng.uniform(o.contrast_min, o.contrast_max);
  p.angle_deg = rng.uniform(o.rotation_min_deg, o.rotation_max_deg);
  p.center_x = rng.uniform(o.rotation_center_min, o.rotation_center_max);
  p.center_y = rng.uniform(o.rotation_center_min, o.rotation_center_max);
  return p;
}

void applyFrameAugmentation(const FrameAugmentation& p, cv::Mat& image, InstancePlanes& masks) {
  if (image.type() != CV_8UC3) throw Error("augmentation expects an 8-bit RGB image");
  if (masks.count() > 0 && masks.size() != image.size()) throw Error("masks and image differ in size");
  // 1. crop (a view, copied by the next step)
  image = image(p.crop);
  masks.transform([&](const cv::Mat& m) { return m(p.crop).clone(); }, p.crop.size());
  // 2. resize: Pillow bilinear for the image, Pillow nearest for the masks
  image = p.resized == image.size() ? image.clone() : pilResizeBilinear(image, p.resized);
  masks.transform([&](const cv::Mat& m) { return pilResizeNearest(m, p.resized); }, p.resized);
  // 3. flip
  if (p.flip) {
    cv::flip(image, image, 1);
    masks.transform([](const cv::Mat& m) { cv::Mat out; cv::flip(m, out, 1); return out; }, p.resized);
  }
  // 4. brightness, 5. contrast (the mean is taken after brightness, as the chain runs in order)
  blend(image, 0.0, 1.0 - p.brightness, p.brightness);
  blend(image, meanOfAllValues(image), 1.0 - p.contrast, p.contrast);
  // 6. rotation (detectron2 returns a no-op for multiples of 360 degrees)
  if (rotates(p.angle_deg)) {
    const cv::Size size = image.size();
    const cv::Mat rm = rotationMatrix(p, size);
    cv::Mat rotated;
    cv::warpAffine(image, rotated, rm, size, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0, 0, 0));
    image = rotated;
    masks.transform(
        [&](const cv::Mat& m) {
          cv::Mat out;
          cv::warpAffine(m, out, rm, size, cv::INTER_NEAREST, cv::BORDER_CONSTANT, cv::Scalar(0));
          return out;
        },
        size);
  }
}

torch::Tensor imageToTensor(const cv::Mat& image) {
  if (image.type() != CV_8UC3) throw Error("expected an 8-bit 3-channel image");
  cv::Mat contiguous = image.isContinuous() ? image : image.clone();
  return torch::from_blob(contiguous.data, {contiguous.rows, contiguous.cols, 3}, torch::kUInt8)
      .permute({2, 0, 1})
      .contiguous();
}

cv::Mat tensorToImage(const torch::Tensor& image) {
  if (image.dim() != 3 || image.size(0) != 3 || image.scalar_type() != torch::kUInt8) {
    throw Error("expected a [3, H, W] uint8 tensor");
  }
  torch::Tensor hwc = image.permute({1, 2, 0}).contiguous();
  cv::Mat view(static_cast<int>(hwc.size(0)), static_cast<int>(hwc.size(1)), CV_8UC3, hwc.data_ptr<uint8_t>());
  return view.clone();
}

ClipFrame makeClipFrame(const cv::Mat& image, const InstancePlanes& masks, std::vector<int64_t> ids,
                        std::vector<int64_t> classes, std::string file_name) {
  if (static_cast<int>(ids.size()) != masks.count() || classes.size() != ids.size()) {
    throw Error("instance ids, classes and masks differ in count");
  }
  ClipFrame frame;
  frame.image = imageToTensor(image);
  frame.masks = masks.count() > 0 ? masks.toTensor()
                                  : torch::zeros({0, image.rows, image.cols}, torch::kBool);
  // filter_empty_instances: the box of an empty mask is empty too, so the mask test alone decides.
  if (masks.count() > 0) {
    const torch::Tensor non_empty = frame.masks.flatten(1).any(1);
    const bool* keep = non_empty.data_ptr<bool>();
    for (size_t k = 0; k < ids.size(); ++k) {
      if (!keep[k]) ids[k] = -1;
    }
  }
  frame.ids = torch::tensor(ids, torch::kInt64);
  frame.classes = torch::tensor(classes, torch::kInt64);
  frame.file_name = std::move(file_name);
  return frame;
}

}  // namespace autoqvis
