// One training stage (the initial stage on synthetic videos, or one self-training round): solver,
// clip sampling, augmentation and loss weights. Defaults are the AutoQ-VIS settings (method.md §3-4).
#pragma once

#include <vector>

namespace autoqvis {

struct TrainOptions {
  // Solver (AdamW, constant LR, full-model gradient clipping).
  int max_iter = 8000;
  int batch_size = 2;                   ///< videos per iteration
  double base_lr = 2e-5;
  double backbone_lr_multiplier = 0.1;
  double weight_decay = 0.05;
  double weight_decay_norm = 0.0;       ///< for norm layers
  double weight_decay_embed = 0.0;      ///< for nn.Embedding (queries, decoder level embed)
  double clip_grad_norm = 0.01;         ///< max total L2 norm; 0 disables
  // detectron2 WarmupMultiStepLR: linear warm-up from warmup_factor, then x gamma at each step.
  int warmup_iters = 10;
  double warmup_factor = 1.0;           ///< 1.0: the released configs' no-op warm-up
  std::vector<int> lr_steps = {-1};     ///< iterations where the LR is multiplied by gamma; negative = max_iter + it
  double lr_gamma = 0.1;
  bool amp = true;                      ///< fp16 autocast on CUDA (ignored on CPU)
  // Clip sampling and augmentation.
  int sampling_frames = 3;              ///< frames per training clip
  int sampling_frame_range = 20;        ///< other frames come from [ref-range, ref+range]
  std::vector<int> min_size_train = {360, 480};  ///< short side, one chosen per clip
  int max_size_train = 1333;
  std::vector<int> crop_size = {600, 720};       ///< absolute crop range (per frame)
  double flip_prob = 0.5;               ///< horizontal flip, per clip
  double brightness = 0.1;              ///< factor drawn from [1-b, 1+b], per frame
  double contrast = 0.1;                ///< factor drawn from [1-c, 1+c], per frame
  double rotation_deg = 15.0;           ///< rotation drawn from [-r, r], per frame
  bool copy_paste = true;               ///< ImageCut2Video copy-paste on synthetic batches
  double copy_paste_min_ratio = 0.8;
  double copy_paste_max_ratio = 1.0;
  // Losses.
  int train_num_points = 12544;         ///< points per mask for the mask losses and the matcher
  double oversample_ratio = 3.0;
  double importance_sample_ratio = 0.75;
  double class_weight = 2.0;
  double mask_weight = 5.0;
  double dice_weight = 5.0;
  double no_object_weight = 0.1;
  double quality_weight = 20.0;         ///< weight of the quality-head L2 loss
  bool train_quality_head = true;       ///< false freezes the head (self-training rounds)
  bool droploss = false;                ///< ignore mask losses of predictions that barely overlap their target
  bool label_droploss = false;          ///< §3.4(c) variant: also drop CE of queries whose best GT barely overlaps
  double droploss_iou = 0.01;           ///< per-frame soft point IoU at or below which the mask loss is dropped
  double pseudo_label_prob = 0.5;       ///< rounds: chance a batch comes from pseudo-labels (else synthetic)
  // Bookkeeping.
  int log_period = 20;                  ///< iterations between metrics lines
  int checkpoint_period = 1000;         ///< iterations between checkpoints (0 = only at the end)

  template <class V>
  void visit(V& v) {
    v.field("max_iter", max_iter, "training iterations", 1, 10000000);
    v.field("batch_size", batch_size, "videos per iteration", 1, 1024);
    v.field("base_lr", base_lr, "AdamW learning rate", 0.0, 1.0);
    v.field("backbone_lr_multiplier", backbone_lr_multiplier, "LR factor for the backbone", 0.0, 10.0);
    v.field("weight_decay", weight_decay, "AdamW weight decay", 0.0, 1.0);
    v.field("weight_decay_norm", weight_decay_norm, "weight decay of norm layers", 0.0, 1.0);
    v.field("weight_decay_embed", weight_decay_embed, "weight decay of embeddings", 0.0, 1.0);
    v.field("clip_grad_norm", clip_grad_norm, "full-model gradient clipping (0 = off)", 0.0, 1e6);
    v.field("warmup_iters", warmup_iters, "LR warm-up iterations", 0, 10000000);
    v.field("warmup_factor", warmup_factor, "LR factor at iteration 0 of the warm-up", 0.0, 1.0);
    v.list("lr_steps", lr_steps, "iterations where the LR drops by lr_gamma (negative: from max_iter, -1 = last)",
           -10000000, 10000000);
    v.field("lr_gamma", lr_gamma, "LR drop factor at each step", 0.0, 1.0);
    v.field("amp", amp, "mixed precision on CUDA");
    v.field("sampling_frames", sampling_frames, "frames per training clip", 1, 64);
    v.field("sampling_frame_range", sampling_frame_range, "max distance of clip frames from the reference", 0, 10000);
    v.list("min_size_train", min_size_train, "short-side sizes, one chosen per clip", 8, 8192);
    v.field("max_size_train", max_size_train, "cap on the long side while training", 8, 16384);
    v.list("crop_size", crop_size, "absolute crop range [min, max] in pixels", 1, 16384);
    v.field("flip_prob", flip_prob, "horizontal flip probability per clip", 0.0, 1.0);
    v.field("brightness", brightness, "brightness jitter amplitude", 0.0, 1.0);
    v.field("contrast", contrast, "contrast jitter amplitude", 0.0, 1.0);
    v.field("rotation_deg", rotation_deg, "max rotation in degrees", 0.0, 180.0);
    v.field("copy_paste", copy_paste, "ImageCut2Video copy-paste on synthetic batches");
    v.field("copy_paste_min_ratio", copy_paste_min_ratio, "min scale of pasted objects", 0.0, 10.0);
    v.field("copy_paste_max_ratio", copy_paste_max_ratio, "max scale of pasted objects", 0.0, 10.0);
    v.field("train_num_points", train_num_points, "sampled points per mask", 1, 1000000);
    v.field("oversample_ratio", oversample_ratio, "PointRend oversampling", 1.0, 100.0);
    v.field("importance_sample_ratio", importance_sample_ratio, "share of uncertain points", 0.0, 1.0);
    v.field("class_weight", class_weight, "classification loss weight", 0.0, 1000.0);
    v.field("mask_weight", mask_weight, "mask BCE loss weight", 0.0, 1000.0);
    v.field("dice_weight", dice_weight, "dice loss weight", 0.0, 1000.0);
    v.field("no_object_weight", no_object_weight, "class weight of 'no object'", 0.0, 1.0);
    v.field("quality_weight", quality_weight, "quality-head L2 loss weight", 0.0, 10000.0);
    v.field("train_quality_head", train_quality_head, "train the quality head (false freezes it)");
    v.field("droploss", droploss, "drop mask losses of predictions that barely overlap their target");
    v.field("label_droploss", label_droploss, "variant: also drop the class loss of barely overlapping queries");
    v.field("droploss_iou", droploss_iou, "IoU at or below which the mask loss is dropped", 0.0, 1.0);
    v.field("pseudo_label_prob", pseudo_label_prob, "chance a round's batch uses pseudo-labels", 0.0, 1.0);
    v.field("log_period", log_period, "iterations between metrics lines", 1, 1000000);
    v.field("checkpoint_period", checkpoint_period, "iterations between checkpoints (0 = end only)", 0, 10000000);
  }
};

}  // namespace autoqvis
