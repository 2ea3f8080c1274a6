// Compositing of a toy scene into an image and an instance-id map. It is the one place where both pixels and
// masks are made, so the ground truth cannot disagree with what is drawn.
#pragma once

#include <opencv2/core.hpp>
#include <vector>

#include "core/toyworld/toy_shapes.h"
#include "core/toyworld/toy_textures.h"
#include "core/util/rng.h"

namespace autoqvis {

/// Textured is the real look. FlatIds paints each object in flatIdColour(id) on black, without lighting, blur
/// or noise, so tests can check masks against pixels; geometry is identical in both modes.
enum class ToyRenderMode { Textured, FlatIds };

/// One object in a frame.
struct ToyLayer {
  int id = 1;  ///< value written into the id map, 1..255
  ShapeSpec shape;
  ShapePose pose;
  TextureSpec texture;
  double texture_scale =
      1;                   ///< how much the object has grown since its texture was laid out (texture sticks)
  double shading = 0;      ///< strength of the directional shading across the object, 0 = none
  double light_angle = 0;  ///< image-frame direction the light comes from, radians
};

/// The background as seen by a (possibly drifting) camera.
struct ToyBackground {
  TextureSpec texture;
  cv::Point2d offset;  ///< texture coordinate seen at the image centre
  double zoom = 1;     ///< > 1 magnifies the texture (the camera zooms in)
  /// Optional pre-rendered texture (see renderTextureCanvas) that frames resample instead of evaluating the
  /// texture per pixel; it must cover every texture coordinate the frame sees.
  cv::Mat canvas;
  cv::Point canvas_origin;  ///< texture coordinate of canvas pixel (0, 0)
};

/// The texture over `region` (texture coordinates, one pixel per unit), as CV_32FC3.
cv::Mat renderTextureCanvas(const TextureSpec& texture, const cv::Rect& region);

struct ToyFrame {
  cv::Mat image;  ///< CV_32FC3 RGB in [0, 1], before post effects
  cv::Mat ids;    ///< CV_8U: 0 = background, else the id of the topmost layer at that pixel
  std::vector<int>
      unoccluded_areas;         ///< per layer (input order): its pixels inside the image, ignoring occluders
  std::vector<int> full_areas;  ///< per layer: pixels of the whole shape, inside the image or not
};

/// Draws the layers back to front in the given order (the first layer is the farthest).
ToyFrame renderToyFrame(cv::Size size, const ToyBackground& background, const std::vector<ToyLayer>& layers,
                        ToyRenderMode mode);

/// The colour of id `id` in FlatIds mode (id 0, the background, is black); distinct for ids 0..255.
cv::Vec3b flatIdColour(int id);

/// The 0/1 mask (CV_8U) of the pixels whose id is `id`.
cv::Mat maskOfId(const cv::Mat& ids, int id);

/// Camera effects applied after compositing.
struct ToyPostEffects {
  double gain = 1;                ///< global brightness factor
  cv::Vec3f tint{1.f, 1.f, 1.f};  ///< per-channel colour factor
  double blur_sigma = 0;          ///< Gaussian blur, pixels; 0 = none
  double noise_sigma = 0;         ///< Gaussian pixel noise, 0-255 scale; 0 = none
};

/// Applies the effects and converts to 8-bit RGB. Noise is drawn from `rng`.
cv::Mat finishToyImage(const cv::Mat& image, const ToyPostEffects& effects, Rng& rng);

}  // namespace autoqvis
