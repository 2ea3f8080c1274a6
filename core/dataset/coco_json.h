// COCO-style instance annotations of still images (the synthetic-video source: images with
// pseudo-masks, as CutLER's MaskCut writes them). Masks are kept as compressed RLE.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/dataset/rle.h"

namespace autoqvis {

struct CocoImage {
  int64_t id = 0;
  std::string file_name;  ///< relative to the image root
  int width = 0;
  int height = 0;
};

struct CocoAnnotation {
  int64_t id = 0;
  int64_t image_id = 0;
  int64_t category_id = 1;
  int iscrowd = 0;
  CompressedRle segmentation;
  double area = 0;
  BoxXYWH bbox{0, 0, 0, 0};
  std::optional<double> score;  ///< pseudo-mask confidence, when the mask generator gives one
};

struct CocoDataset {
  std::vector<CocoImage> images;
  std::vector<CocoAnnotation> annotations;
};

CocoDataset loadCocoDataset(const std::filesystem::path& path);
CocoDataset parseCocoDataset(std::string text, const std::string& source);
void saveCocoDataset(const CocoDataset& dataset, const std::filesystem::path& path);

}  // namespace autoqvis
