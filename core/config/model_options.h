// Sizes of the VIS model (VideoMask2Former) and the quality head. Defaults are the paper's R50 model
// (method.md §2); every size is an option so tests can build tiny models.
#pragma once

#include <vector>

namespace autoqvis {

struct ModelOptions {
  // Backbone: detectron2 ResNet with FrozenBN.
  int resnet_depth = 50;          ///< 18, 34, 50 or 101
  int stem_out_channels = 64;     ///< channels after the 7x7 stem
  int res2_out_channels = 256;    ///< output channels of res2 (doubles per stage)
  int width_per_group = 64;       ///< bottleneck width of res2
  bool stride_in_1x1 = false;     ///< stride in the 1x1 (caffe style) instead of the 3x3
  // Pixel decoder (MSDeformAttn encoder + FPN level).
  int conv_dim = 256;             ///< channels of the pixel decoder
  int mask_dim = 256;             ///< channels of the mask features
  int encoder_layers = 6;         ///< deformable encoder layers
  int encoder_ffn_dim = 1024;     ///< FFN width in the encoder (hard-coded 1024 in the reference)
  int encoder_points = 4;         ///< sampling points per head and level
  double encoder_dropout = 0.3;   ///< dropout in the encoder while training
  // Transformer decoder.
  int hidden_dim = 256;
  int num_heads = 8;
  int num_queries = 100;
  int decoder_layers = 10;        ///< DEC_LAYERS: 9 decoder layers + the initial prediction
  int decoder_ffn_dim = 2048;
  // Quality head (Mask-Scoring style, §2.6).
  bool quality_head = true;       ///< build the mask-IoU head
  int quality_conv_dim = 256;
  int quality_fc_dim = 1024;
  // Input.
  int size_divisibility = 32;
  int test_min_size = 360;        ///< test-time short side
  int test_max_size = 1333;       ///< cap on the long side

  template <class V>
  void visit(V& v) {
    v.field("resnet_depth", resnet_depth, "ResNet depth (18, 34, 50, 101)", 18, 101);
    v.field("stem_out_channels", stem_out_channels, "channels of the ResNet stem", 1, 4096);
    v.field("res2_out_channels", res2_out_channels, "output channels of res2", 1, 8192);
    v.field("width_per_group", width_per_group, "bottleneck width of res2", 1, 4096);
    v.field("stride_in_1x1", stride_in_1x1, "put the stride in the 1x1 conv (false = torchvision style)");
    v.field("conv_dim", conv_dim, "pixel decoder channels", 1, 4096);
    v.field("mask_dim", mask_dim, "mask feature channels", 1, 4096);
    v.field("encoder_layers", encoder_layers, "deformable encoder layers", 0, 64);
    v.field("encoder_ffn_dim", encoder_ffn_dim, "encoder FFN width", 1, 65536);
    v.field("encoder_points", encoder_points, "deformable sampling points per head and level", 1, 64);
    v.field("encoder_dropout", encoder_dropout, "encoder dropout while training", 0.0, 1.0);
    v.field("hidden_dim", hidden_dim, "transformer decoder width", 1, 4096);
    v.field("num_heads", num_heads, "attention heads", 1, 64);
    v.field("num_queries", num_queries, "object queries", 1, 10000);
    v.field("decoder_layers", decoder_layers, "DEC_LAYERS (decoder layers + 1)", 1, 64);
    v.field("decoder_ffn_dim", decoder_ffn_dim, "decoder FFN width", 1, 65536);
    v.field("quality_head", quality_head, "build the mask-quality (IoU) head");
    v.field("quality_conv_dim", quality_conv_dim, "quality head conv channels", 1, 4096);
    v.field("quality_fc_dim", quality_fc_dim, "quality head FC width", 1, 65536);
    v.field("size_divisibility", size_divisibility, "pad inputs to a multiple of this", 1, 1024);
    v.field("test_min_size", test_min_size, "test-time short side in pixels", 16, 8192);
    v.field("test_max_size", test_max_size, "test-time cap on the long side", 16, 16384);
  }
};

}  // namespace autoqvis
