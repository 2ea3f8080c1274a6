#include "core/infer/video_predictor.h"

#include <torch/torch.h>

#include <algorithm>

#include "core/model/autocast_guard.h"
#include "core/model/preprocess.h"
#include "core/util/error.h"

namespace autoqvis {
namespace {

namespace F = torch::nn::functional;

torch::Tensor resizeBilinear(const torch::Tensor& x, int64_t h, int64_t w) {
  return F::interpolate(x, F::InterpolateFuncOptions().size(std::vector<int64_t>{h, w}).mode(torch::kBilinear).align_corners(false));
}

// Backbone and pixel decoder, a chunk of frames at a time (both are per frame), concatenated.
PixelDecoderOutput encodeFrames(VideoMaskFormer& model, const torch::Tensor& frames, int chunk, int size_divisibility,
                                const torch::Device& device, const FrameProgress& progress, int64_t total_steps) {
  std::vector<torch::Tensor> mask_features;
  std::array<std::vector<torch::Tensor>, 3> levels;
  const int64_t t = frames.size(0);
  for (int64_t start = 0; start < t; start += chunk) {
    const int64_t n = std::min<int64_t>(chunk, t - start);
    const torch::Tensor images = normalizeAndPad(frames.narrow(0, start, n).to(device), size_divisibility);
    const BackboneFeatures features = model->backbone->forward(images);
    CudaAutocastGuard fp32(false);  // the reference disables autocast in the pixel decoder
    PixelDecoderOutput out = model->sem_seg_head->pixel_decoder->forward(features);
    mask_features.push_back(out.mask_features);
    for (int l = 0; l < 3; ++l) levels[l].push_back(out.multi_scale[l]);
    if (progress) progress(start + n, total_steps);
  }
  PixelDecoderOutput all;
  all.mask_features = torch::cat(mask_features, 0);
  for (int l = 0; l < 3; ++l) all.multi_scale[l] = torch::cat(levels[l], 0);
  return all;
}

// Per-frame masks of the selected queries for a chunk of frames [K, n, h/4, w/4] -> compressed RLEs at
// the output size: upsample to the padded input size, crop the padding, resize to the output size,
// threshold at logit 0 (method.md §5.2 steps 3-4).
void encodeMasks(const torch::Tensor& low_res, int64_t padded_h, int64_t padded_w, int64_t input_h, int64_t input_w,
                 int out_h, int out_w, std::vector<InstancePrediction>& instances) {
  const int64_t k = low_res.size(0), n = low_res.size(1);
  torch::Tensor m = resizeBilinear(low_res, padded_h, padded_w).narrow(2, 0, input_h).narrow(3, 0, input_w);
  const torch::Tensor binary = (resizeBilinear(m, out_h, out_w) > 0).to(torch::kUInt8).cpu().contiguous();
  for (int64_t i = 0; i < k; ++i) {
    for (int64_t f = 0; f < n; ++f) {
      const torch::Tensor mask = binary[i][f];
      instances[i].masks.push_back(compress(rleEncode(mask.data_ptr<uint8_t>(), out_h, out_w)));
    }
  }
}

}  // namespace

VideoPredictor::VideoPredictor(VideoMaskFormer model, ModelOptions options, PredictorOptions predictor)
    : model_(std::move(model)), options_(std::move(options)), predictor_(predictor) {
  if (predictor_.top_k < 1 || predictor_.top_k > options_.num_queries) {
    throw Error("predictor: top_k " + std::to_string(predictor_.top_k) + " must be within 1.." +
                std::to_string(options_.num_queries) + " (the number of queries)");
  }
  predictor_.chunk_frames = std::max(1, predictor_.chunk_frames);
}

VideoPrediction VideoPredictor::predictResized(const torch::Tensor& frames, int out_height, int out_width,
                                               const FrameProgress& progress) {
  torch::NoGradGuard no_grad;
  model_->eval();
  const torch::Device device = model_->parameters().front().device();
  const int64_t t = frames.size(0), input_h = frames.size(2), input_w = frames.size(3);
  const int chunk = predictor_.chunk_frames;
  // Progress counts the encoder pass and the mask pass over the frames.
  // The reference tests under autocast on CUDA; the pixel decoder casts its inputs to fp32 and runs
  // without autocast, as there.
  const bool amp = predictor_.amp && device.is_cuda();
  // cuDNN's heuristic algorithm choice for the pixel decoder at a few frames per chunk was measured at
  // 10x the time and 34 GB of workspace on an H100; benchmarking picks a fast, small one. Frame sizes are
  // fixed within a video, so the search runs once per shape.
  if (device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
  CudaAutocastGuard autocast(amp);
  const PixelDecoderOutput pixels = encodeFrames(model_, frames, chunk, options_.size_divisibility, device, progress, 2 * t);
  auto& decoder = model_->sem_seg_head->predictor;
  const DecoderQueries queries = decoder->forwardQueries(pixels.multi_scale, pixels.mask_features, 1);

  // Foreground probability per (query, class), top-k over the flattened scores (§5.2 steps 1-2).
  const torch::Tensor probabilities = torch::softmax(queries.pred_logits[0], -1);
  const int64_t classes = probabilities.size(1) - 1;
  const auto [scores, flat_index] = probabilities.narrow(1, 0, classes).flatten().topk(predictor_.top_k, -1, true, predictor_.sorted);
  const torch::Tensor query_index = flat_index.div(classes, "floor");
  const torch::Tensor embed = queries.mask_embed[0].index_select(0, query_index).unsqueeze(0);  // [1, K, C]
  const torch::Tensor low_res =
      VideoTransformerDecoderImpl::masksOf(embed, pixels.mask_features, 1).to(torch::kFloat32);  // [1, K, T, h, w]

  VideoPrediction result;
  result.height = out_height;
  result.width = out_width;
  const torch::Tensor scores_cpu = scores.to(torch::kDouble).cpu(), queries_cpu = query_index.cpu();
  for (int64_t i = 0; i < predictor_.top_k; ++i) {
    result.instances.push_back({scores_cpu[i].item<double>(), queries_cpu[i].item<int64_t>(), {}, {}});
  }
  if (decoder->quality_head) {
    // Per (query, frame) the head is independent, so frames go through it a chunk at a time too.
    for (int64_t start = 0; start < t; start += chunk) {
      const int64_t n = std::min<int64_t>(chunk, t - start);
      const torch::Tensor ious = decoder->quality_head->forward(pixels.multi_scale[0].narrow(0, start, n),
                                                                low_res.narrow(2, start, n));
      const torch::Tensor clamped = ious.clamp(0.0, 1.0).to(torch::kDouble).cpu()[0];  // [K, n, 1]
      for (int64_t i = 0; i < predictor_.top_k; ++i) {
        for (int64_t f = 0; f < n; ++f) result.instances[i].pred_ious.push_back(clamped[i][f][0].item<double>());
      }
    }
  }
  const int64_t padded_h = pixels.mask_features.size(2) * 4, padded_w = pixels.mask_features.size(3) * 4;
  for (int64_t start = 0; start < t; start += chunk) {
    const int64_t n = std::min<int64_t>(chunk, t - start);
    encodeMasks(low_res[0].narrow(1, start, n), padded_h, padded_w, input_h, input_w, out_height, out_width,
                result.instances);
    if (progress) progress(t + start + n, 2 * t);
  }
  return result;
}

}  // namespace autoqvis
