// Toy videos: objects move along smooth paths, grow or shrink, spin, deform, pass in front of each other and
// leave or enter the frame, while the camera pans and zooms, the light changes and the sensor adds blur and
// noise.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/toyworld/toy_world.h"

namespace autoqvis {
namespace {

constexpr uint64_t kUnlabeledStream = 2ull << 40;
constexpr uint64_t kValStream = 3ull << 40;

/// Everything about one object for the whole clip; posed per frame by objectAt().
struct ObjectPlan {
  ShapeSpec shape_start, shape_end;
  TextureSpec texture;
  double radius = 10;
  double growth = 0;  ///< log scale change over the clip
  double angle = 0, spin = 0;
  cv::Point2d start, end;
  double wobble = 0, wobble_cycles = 1, wobble_phase = 0;  ///< sideways sway, pixels
  double depth_start = 0, depth_end = 0;                   ///< smaller is nearer
  double shading = 0, light_angle = 0;
};

/// The camera and the light over the clip.
struct CameraPlan {
  TextureSpec background;
  cv::Point2d offset, pan;
  double zoom_end = 1;
  double gain_start = 1, gain_end = 1;
  cv::Vec3f tint_start, tint_end;
  double blur_sigma = 0, noise_sigma = 0;
};

cv::Point2d insidePoint(Rng& rng, cv::Size size, double margin) {
  margin = std::min(margin, 0.45 * std::min(size.width, size.height));
  return {rng.uniform(margin, size.width - margin), rng.uniform(margin, size.height - margin)};
}

// A point beyond a random border, far enough that an object of `extent` there is mostly out of view.
cv::Point2d outsidePoint(Rng& rng, cv::Size size, double extent) {
  const int side = static_cast<int>(rng.uniformInt(0, 3));
  const double along = rng.uniform(0.15, 0.85);
  const double beyond = 0.9 * extent;
  switch (side) {
    case 0:
      return {-beyond, along * size.height};
    case 1:
      return {size.width + beyond, along * size.height};
    case 2:
      return {along * size.width, -beyond};
    default:
      return {along * size.width, size.height + beyond};
  }
}

cv::Point2d positionAt(const ObjectPlan& o, double t) {
  const cv::Point2d path = o.end - o.start;
  const double length = std::max(cv::norm(path), 1e-6);
  const cv::Point2d side(-path.y / length, path.x / length);
  return o.start + path * t + side * (o.wobble * std::sin(2 * M_PI * o.wobble_cycles * t + o.wobble_phase));
}

void planPath(Rng& rng, const ToyWorldOptions& options, cv::Size size, const std::vector<ObjectPlan>& others,
              ObjectPlan* o) {
  const double base = std::min(size.width, size.height);
  const double extent = maxShapeRadius(o->shape_start) * o->radius * std::exp(std::max(o->growth, 0.0));
  if (rng.bernoulli(options.exit_prob)) {
    const cv::Point2d in = insidePoint(rng, size, extent), out = outsidePoint(rng, size, extent);
    const bool leaving = rng.bernoulli(0.5);
    o->start = leaving ? in : out;
    o->end = leaving ? out : in;
  } else if (!others.empty() && rng.bernoulli(0.5)) {
    // Cross the first object's path half-way through: this is what makes occlusions common.
    const cv::Point2d meet =
        positionAt(others.front(), 0.5) + cv::Point2d(rng.normal(0, 4), rng.normal(0, 4));
    const double direction = rng.uniform(0, 2 * M_PI), half = base * rng.uniform(0.2, 0.45);
    const cv::Point2d d(std::cos(direction) * half, std::sin(direction) * half);
    o->start = meet - d;
    o->end = meet + d;
  } else {
    o->start = insidePoint(rng, size, 0.7 * extent);
    o->end = insidePoint(rng, size, 0.7 * extent);
  }
  o->wobble = base * rng.uniform(0.0, 0.06);
  o->wobble_cycles = rng.uniform(0.3, 1.2);
  o->wobble_phase = rng.uniform(0, 2 * M_PI);
}

ObjectPlan planObject(Rng& rng, const ToyWorldOptions& options, cv::Size size, const CameraPlan& camera,
                      const std::vector<ObjectPlan>& others) {
  ObjectPlan o;
  o.shape_start = sampleShape(rng, ToyDomain::Video);
  o.shape_end = perturbShape(rng, o.shape_start, rng.uniform(0.3, 1.0));
  o.texture = sampleObjectTexture(rng, ToyDomain::Video, camera.background, rng.uniform(0.2, 0.9));
  o.radius = std::min(size.width, size.height) * rng.uniform(0.11, 0.24);
  o.growth = rng.uniform(-0.35, 0.35);
  o.angle = rng.uniform(0, 2 * M_PI);
  o.spin = rng.uniform(-1.2, 1.2);
  o.depth_start = rng.uniform(0, 1);
  // Depth drifts, so which object is in front may change during the clip.
  o.depth_end = o.depth_start + rng.uniform(-0.6, 0.6);
  o.shading = rng.uniform(0.1, 0.4);
  o.light_angle = rng.uniform(0, 2 * M_PI);
  planPath(rng, options, size, others, &o);
  return o;
}

CameraPlan planCamera(Rng& rng, const ToyWorldOptions& options, cv::Size size) {
  CameraPlan c;
  c.background = sampleTexture(rng, ToyDomain::Video);
  c.offset = {rng.uniform(-500, 500), rng.uniform(-500, 500)};
  c.pan = {rng.uniform(-0.15, 0.15) * size.width, rng.uniform(-0.1, 0.1) * size.height};
  c.zoom_end = std::exp(rng.uniform(-0.12, 0.12));
  c.gain_start = rng.uniform(0.8, 1.1);
  c.gain_end = c.gain_start * std::exp(rng.uniform(-0.25, 0.25));
  for (int ch = 0; ch < 3; ++ch) {
    c.tint_start[ch] = static_cast<float>(rng.uniform(0.94, 1.06));
    c.tint_end[ch] = static_cast<float>(rng.uniform(0.94, 1.06));
  }
  c.blur_sigma = rng.uniform(0.0, options.video_blur_max);
  c.noise_sigma = rng.uniform(0.4, 1.0) * options.video_noise_sigma;
  return c;
}

ToyLayer objectAt(const ObjectPlan& o, int id, double t) {
  ToyLayer layer;
  layer.id = id;
  layer.shape = lerpShape(o.shape_start, o.shape_end, t);
  layer.texture_scale = std::exp(o.growth * t);
  layer.pose.radius = o.radius * layer.texture_scale;
  layer.pose.angle = o.angle + o.spin * t;
  layer.pose.center = positionAt(o, t);
  layer.texture = o.texture;
  layer.shading = o.shading;
  layer.light_angle = o.light_angle;
  return layer;
}

// The layers of one frame, farthest first.
std::vector<ToyLayer> layersAt(const std::vector<ObjectPlan>& objects, double t) {
  std::vector<double> depth(objects.size());
  for (size_t k = 0; k < objects.size(); ++k) {
    depth[k] = objects[k].depth_start + (objects[k].depth_end - objects[k].depth_start) * t;
  }
  std::vector<size_t> order(objects.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return depth[a] > depth[b]; });
  std::vector<ToyLayer> layers;
  for (size_t k : order) layers.push_back(objectAt(objects[k], static_cast<int>(k + 1), t));
  return layers;
}

double zoomAt(const CameraPlan& c, double t) { return std::exp(std::log(c.zoom_end) * t); }

// The texture seen over the whole clip, rendered once: frames only resample it (much cheaper than evaluating
// the texture per pixel and frame).
ToyBackground backgroundCanvas(const CameraPlan& c, cv::Size size) {
  const double zoom = std::min(1.0, c.zoom_end);
  const double hx = size.width / (2 * zoom) + 3, hy = size.height / (2 * zoom) + 3;
  const cv::Point2d a = c.offset, b = c.offset + c.pan;
  const int x0 = static_cast<int>(std::floor(std::min(a.x, b.x) - hx));
  const int y0 = static_cast<int>(std::floor(std::min(a.y, b.y) - hy));
  const int x1 = static_cast<int>(std::ceil(std::max(a.x, b.x) + hx));
  const int y1 = static_cast<int>(std::ceil(std::max(a.y, b.y) + hy));
  ToyBackground bg;
  bg.texture = c.background;
  bg.canvas_origin = {x0, y0};
  bg.canvas = renderTextureCanvas(c.background, cv::Rect(x0, y0, x1 - x0, y1 - y0));
  return bg;
}

ToyBackground backgroundAt(const ToyBackground& canvas, const CameraPlan& c, double t) {
  ToyBackground bg = canvas;  // shares the canvas pixels
  bg.offset = c.offset + c.pan * t;
  bg.zoom = zoomAt(c, t);
  return bg;
}

ToyPostEffects effectsAt(const CameraPlan& c, double t) {
  ToyPostEffects fx;
  fx.gain = c.gain_start + (c.gain_end - c.gain_start) * t;
  fx.tint = c.tint_start + (c.tint_end - c.tint_start) * static_cast<float>(t);
  fx.blur_sigma = c.blur_sigma;
  fx.noise_sigma = c.noise_sigma;
  return fx;
}

// Records one frame into the tracks; `layers` are in depth order, their ids say which track they are.
void recordFrame(const ToyFrame& frame, const std::vector<ToyLayer>& layers, int min_px, ToyVideo* video) {
  for (size_t i = 0; i < layers.size(); ++i) {
    ToyTrack& track = video->tracks[layers[i].id - 1];
    cv::Mat mask = maskOfId(frame.ids, layers[i].id);
    const int visible = cv::countNonZero(mask);
    track.masks.push_back(visible >= min_px ? mask : cv::Mat());
    track.visible_areas.push_back(visible);
    track.unoccluded_areas.push_back(frame.unoccluded_areas[i]);
    track.full_areas.push_back(frame.full_areas[i]);
  }
  video->ids.push_back(frame.ids);
}

}  // namespace

ToyVideo generateToyVideo(const ToyWorldOptions& options, ToySplit split, int index, ToyRenderMode mode) {
  checkToyWorldOptions(options);
  const uint64_t stream =
      (split == ToySplit::Unlabeled ? kUnlabeledStream : kValStream) + static_cast<uint64_t>(index);
  Rng rng = Rng::forStream(static_cast<uint64_t>(options.seed), stream);
  const cv::Size size(options.video_width, options.video_height);
  const CameraPlan camera = planCamera(rng, options, size);
  const int count =
      static_cast<int>(rng.uniformInt(options.min_objects_per_video, options.max_objects_per_video));
  std::vector<ObjectPlan> objects;
  for (int k = 0; k < count; ++k) objects.push_back(planObject(rng, options, size, camera, objects));
  Rng noise_rng(rng.next());

  ToyVideo video;
  video.name = toyVideoName(split, index);
  video.split = split;
  video.index = index;
  video.tracks.resize(objects.size());
  for (size_t k = 0; k < objects.size(); ++k) video.tracks[k].id = static_cast<int>(k + 1);
  const ToyBackground canvas =
      mode == ToyRenderMode::FlatIds ? ToyBackground{} : backgroundCanvas(camera, size);
  for (int f = 0; f < options.video_frames; ++f) {
    const double t = static_cast<double>(f) / (options.video_frames - 1);
    const std::vector<ToyLayer> layers = layersAt(objects, t);
    const ToyFrame frame = renderToyFrame(size, backgroundAt(canvas, camera, t), layers, mode);
    recordFrame(frame, layers, options.min_visible_px, &video);
    const ToyPostEffects fx = mode == ToyRenderMode::FlatIds ? ToyPostEffects{} : effectsAt(camera, t);
    video.frames.push_back(finishToyImage(frame.image, fx, noise_rng));
  }
  return video;
}

}  // namespace autoqvis
