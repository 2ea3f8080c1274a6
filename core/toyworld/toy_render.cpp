#include "core/toyworld/toy_render.h"

#include <cmath>
#include <opencv2/imgproc.hpp>

#include "core/util/error.h"

namespace autoqvis {
namespace {

void drawBackground(const ToyBackground& bg, ToyRenderMode mode, cv::Mat* image) {
  if (mode == ToyRenderMode::FlatIds) {
    image->setTo(cv::Scalar::all(0));
    return;
  }
  const double cx = image->cols / 2.0, cy = image->rows / 2.0;
  if (!bg.canvas.empty()) {
    // Frame pixel centre (x + 0.5, y + 0.5) sees texture coordinate offset + (p - c) / zoom, which is canvas
    // pixel (that - origin); bilinear resampling is what a real camera's pan and zoom look like anyway.
    const double tx = bg.offset.x - bg.canvas_origin.x + (0.5 - cx) / bg.zoom;
    const double ty = bg.offset.y - bg.canvas_origin.y + (0.5 - cy) / bg.zoom;
    const cv::Matx23d to_canvas(1 / bg.zoom, 0, tx, 0, 1 / bg.zoom, ty);
    cv::warpAffine(bg.canvas, *image, to_canvas, image->size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                   cv::BORDER_REFLECT);
    return;
  }
  for (int y = 0; y < image->rows; ++y) {
    auto* row = image->ptr<cv::Vec3f>(y);
    for (int x = 0; x < image->cols; ++x) {
      row[x] = evalTexture(bg.texture, bg.offset.x + (x + 0.5 - cx) / bg.zoom,
                           bg.offset.y + (y + 0.5 - cy) / bg.zoom);
    }
  }
}

// Colours one layer's pixels: its texture in the object's own frame (so it rotates and scales with the
// object) times a directional shading that gives the object some volume.
class ObjectPainter {
 public:
  explicit ObjectPainter(const ToyLayer& layer)
      : layer_(layer),
        cos_(std::cos(layer.pose.angle) / layer.texture_scale),
        sin_(std::sin(layer.pose.angle) / layer.texture_scale),
        light_x_(layer.shading * std::cos(layer.light_angle) /
                 (maxShapeRadius(layer.shape) * layer.pose.radius)),
        light_y_(layer.shading * std::sin(layer.light_angle) /
                 (maxShapeRadius(layer.shape) * layer.pose.radius)) {}

  /// The colour at pixel centre offset (dx, dy) from the object's centre.
  cv::Vec3f operator()(double dx, double dy) const {
    const cv::Vec3f colour = evalTexture(layer_.texture, dx * cos_ + dy * sin_, -dx * sin_ + dy * cos_);
    return colour * static_cast<float>(1 + dx * light_x_ + dy * light_y_);
  }

 private:
  const ToyLayer& layer_;
  double cos_, sin_, light_x_, light_y_;
};

// Paints one layer over the frame and counts its pixels.
void drawLayer(const ToyLayer& layer, size_t index, ToyRenderMode mode, ToyFrame* frame) {
  if (layer.id < 1 || layer.id > 255) throw Error("toy layer id must be in 1..255");
  const cv::Rect bounds = shapeBounds(layer.shape, layer.pose);
  const cv::Mat shape = rasterizeShape(layer.shape, layer.pose, bounds);
  frame->full_areas[index] = cv::countNonZero(shape);
  const cv::Rect clip = bounds & cv::Rect(0, 0, frame->image.cols, frame->image.rows);
  const cv::Vec3b flat = flatIdColour(layer.id);
  const cv::Vec3f flat_colour(flat[0] / 255.f, flat[1] / 255.f, flat[2] / 255.f);
  const ObjectPainter paint(layer);
  int inside = 0;
  for (int y = clip.y; y < clip.y + clip.height; ++y) {
    const uint8_t* in_shape = shape.ptr<uint8_t>(y - bounds.y);
    auto* pixels = frame->image.ptr<cv::Vec3f>(y);
    uint8_t* ids = frame->ids.ptr<uint8_t>(y);
    for (int x = clip.x; x < clip.x + clip.width; ++x) {
      if (!in_shape[x - bounds.x]) continue;
      ++inside;
      ids[x] = static_cast<uint8_t>(layer.id);
      pixels[x] = mode == ToyRenderMode::FlatIds
                      ? flat_colour
                      : paint(x + 0.5 - layer.pose.center.x, y + 0.5 - layer.pose.center.y);
    }
  }
  frame->unoccluded_areas[index] = inside;
}

}  // namespace

ToyFrame renderToyFrame(cv::Size size, const ToyBackground& background, const std::vector<ToyLayer>& layers,
                        ToyRenderMode mode) {
  ToyFrame frame;
  frame.image.create(size, CV_32FC3);
  frame.ids = cv::Mat(size, CV_8U, cv::Scalar(0));
  frame.unoccluded_areas.assign(layers.size(), 0);
  frame.full_areas.assign(layers.size(), 0);
  drawBackground(background, mode, &frame.image);
  for (size_t i = 0; i < layers.size(); ++i) drawLayer(layers[i], i, mode, &frame);
  return frame;
}

cv::Mat renderTextureCanvas(const TextureSpec& texture, const cv::Rect& region) {
  cv::Mat canvas(region.size(), CV_32FC3);
  for (int y = 0; y < canvas.rows; ++y) {
    auto* row = canvas.ptr<cv::Vec3f>(y);
    for (int x = 0; x < canvas.cols; ++x) row[x] = evalTexture(texture, region.x + x, region.y + y);
  }
  return canvas;
}

cv::Vec3b flatIdColour(int id) {
  if (id == 0) return {0, 0, 0};
  // The first channel alone makes the colours distinct; the others spread them for a human looking at them.
  return {static_cast<uint8_t>(id), static_cast<uint8_t>((id * 97 + 40) % 256),
          static_cast<uint8_t>((id * 211 + 90) % 256)};
}

cv::Mat maskOfId(const cv::Mat& ids, int id) {
  cv::Mat mask = ids == id;
  return mask & 1;
}

cv::Mat finishToyImage(const cv::Mat& image, const ToyPostEffects& fx, Rng& rng) {
  cv::Mat work = image.clone();
  if (fx.gain != 1 || fx.tint != cv::Vec3f(1.f, 1.f, 1.f)) {
    const cv::Scalar factor(fx.gain * fx.tint[0], fx.gain * fx.tint[1], fx.gain * fx.tint[2]);
    cv::multiply(work, factor, work);
  }
  if (fx.blur_sigma > 0.05) cv::GaussianBlur(work, work, cv::Size(0, 0), fx.blur_sigma);
  if (fx.noise_sigma > 0) {
    // Sensor noise need not be exactly Gaussian: a sum of four uniforms from one draw (Irwin-Hall, variance
    // 1/3) looks the same and is many times cheaper than Box-Muller per pixel and channel.
    const float scale = static_cast<float>(fx.noise_sigma / 255.0 * std::sqrt(3.0) / 65536.0);
    for (int y = 0; y < work.rows; ++y) {
      auto* row = work.ptr<cv::Vec3f>(y);
      for (int x = 0; x < work.cols; ++x) {
        for (int c = 0; c < 3; ++c) {
          const uint64_t bits = rng.next();
          const int64_t sum = static_cast<int64_t>(bits & 0xFFFF) + ((bits >> 16) & 0xFFFF) +
                              ((bits >> 32) & 0xFFFF) + (bits >> 48) - 2 * 65536;
          row[x][c] += scale * static_cast<float>(sum);
        }
      }
    }
  }
  cv::Mat out;
  work.convertTo(out, CV_8UC3, 255.0);  // saturates to 0..255
  return out;
}

}  // namespace autoqvis
