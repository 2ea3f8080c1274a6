#include "core/data/clip_pipeline_options.h"

#include "core/util/error.h"

namespace autoqvis {

ClipPipelineOptions clipPipelineOptions(const TrainOptions& t, const AugmentationOptions& a, uint64_t seed) {
  if (t.crop_size.size() != 2) throw Error("crop_size must be [min, max]", atKey("", "crop_size"));
  ClipPipelineOptions p;
  p.mapper.sampling.num_frames = t.sampling_frames;
  p.mapper.sampling.frame_range = t.sampling_frame_range;
  p.mapper.sampling.shuffle = a.sampling_frame_shuffle;

  ClipAugmentationOptions& g = p.mapper.augmentation;
  g.crop = a.crop;
  g.crop_min = t.crop_size[0];
  g.crop_max = t.crop_size[1];
  g.short_sides = t.min_size_train;
  g.resize_by_clip = a.resize_by_clip;
  g.max_size = t.max_size_train;
  g.flip_prob = t.flip_prob;
  g.flip_by_clip = a.flip_by_clip;
  g.brightness_min = 1.0 - t.brightness;
  g.brightness_max = 1.0 + t.brightness;
  g.contrast_min = 1.0 - t.contrast;
  g.contrast_max = 1.0 + t.contrast;
  g.rotation_min_deg = -t.rotation_deg;
  g.rotation_max_deg = t.rotation_deg;
  g.rotation_center_min = a.rotation_center_min;
  g.rotation_center_max = a.rotation_center_max;

  CopyPasteOptions& c = p.copy_paste;
  c.enabled = t.copy_paste;
  c.rate = a.copy_paste_rate;
  c.random_num = a.copy_paste_random_num;
  c.min_ratio = t.copy_paste_min_ratio;
  c.max_ratio = t.copy_paste_max_ratio;
  c.max_overlap = a.copy_paste_max_overlap;
  c.official_mask_rescaling = a.copy_paste_official_masks;
  c.official_instance_lists = a.copy_paste_official_instances;

  ClipLoaderOptions& l = p.loader;
  l.batch_size = t.batch_size;
  l.first_source_prob = t.pseudo_label_prob;
  l.aspect_ratio_grouping = a.aspect_ratio_grouping;
  l.workers = a.loader_workers;
  l.prefetch_batches = a.loader_prefetch_batches;
  l.seed = seed;
  return p;
}

}  // namespace autoqvis
