#include "core/io/coco_json.h"

#include <set>
#include <unordered_map>

#include "core/io/json_fields.h"
#include "core/util/atomic_file.h"

namespace autoqvis {
namespace {

using json_fields::json;

CocoImage parseImage(const json& value, const std::string& source, size_t index) {
  ErrorContext context = atKey(source, "images[" + std::to_string(index) + "]");
  CocoImage image;
  image.id = json_fields::requireInt(value, "id", context);
  const json& name = json_fields::require(value, "file_name", context);
  if (!name.is_string()) throw Error("'file_name' must be a string", context);
  image.file_name = name.get<std::string>();
  image.width = static_cast<int>(json_fields::requireInt(value, "width", context));
  image.height = static_cast<int>(json_fields::requireInt(value, "height", context));
  if (image.width <= 0 || image.height <= 0) throw Error("image size must be positive", context);
  return image;
}

CocoAnnotation parseAnnotation(json& value, const std::string& source, size_t index,
                               const std::unordered_map<int64_t, const CocoImage*>& images) {
  ErrorContext context = atKey(source, "annotations[" + std::to_string(index) + "]");
  CocoAnnotation annotation;
  annotation.id = json_fields::requireInt(value, "id", context);
  context.annotation_id = annotation.id;
  annotation.image_id = json_fields::requireInt(value, "image_id", context);
  auto image = images.find(annotation.image_id);
  if (image == images.end()) throw Error("refers to image id " + std::to_string(annotation.image_id) + " which is not in 'images'", context);
  if (value.contains("category_id")) annotation.category_id = json_fields::requireInt(value, "category_id", context);
  if (value.contains("iscrowd")) annotation.iscrowd = static_cast<int>(json_fields::requireInt(value, "iscrowd", context));
  if (value.contains("score")) annotation.score = json_fields::asNumber(value["score"], context);
  json& segmentation = const_cast<json&>(json_fields::require(value, "segmentation", context));
  annotation.segmentation = json_fields::parseRle(segmentation, json_fields::withKey(context, "segmentation"));
  const CompressedRle& mask = annotation.segmentation;
  if (mask.h != image->second->height || mask.w != image->second->width) {
    throw Error("mask size " + std::to_string(mask.h) + "x" + std::to_string(mask.w) + " disagrees with the image size " +
                    std::to_string(image->second->height) + "x" + std::to_string(image->second->width),
                context);
  }
  const Rle rle = decompress(mask);
  annotation.area = static_cast<double>(rleArea(rle));
  annotation.bbox = rleToBbox(rle);
  return annotation;
}

}  // namespace

CocoDataset parseCocoDataset(std::string text, const std::string& source) {
  json document = json_fields::parseDocument(text, source);
  text.clear();
  if (!document.is_object()) throw Error("a COCO dataset must be a JSON object", inFile(source));
  CocoDataset dataset;
  const json& images = json_fields::require(document, "images", inFile(source));
  if (!images.is_array()) throw Error("'images' must be a list", atKey(source, "images"));
  for (size_t i = 0; i < images.size(); ++i) dataset.images.push_back(parseImage(images[i], source, i));
  std::unordered_map<int64_t, const CocoImage*> by_id;
  for (const auto& image : dataset.images) {
    if (!by_id.emplace(image.id, &image).second) throw Error("duplicate image id " + std::to_string(image.id), inFile(source));
  }
  auto annotations = document.find("annotations");
  if (annotations != document.end() && annotations->is_array()) {
    std::set<int64_t> ids;
    for (size_t i = 0; i < annotations->size(); ++i) {
      dataset.annotations.push_back(parseAnnotation((*annotations)[i], source, i, by_id));
      if (!ids.insert(dataset.annotations.back().id).second) {
        throw Error("duplicate annotation id " + std::to_string(dataset.annotations.back().id), inFile(source));
      }
    }
  }
  return dataset;
}

CocoDataset loadCocoDataset(const std::filesystem::path& path) { return parseCocoDataset(readFile(path), path.string()); }

void saveCocoDataset(const CocoDataset& dataset, const std::filesystem::path& path) {
  json document;
  document["info"] = json::object({{"description", "written by AutoQ-VIS Studio"}});
  json images = json::array();
  for (const auto& image : dataset.images) {
    images.push_back({{"id", image.id}, {"file_name", image.file_name}, {"width", image.width}, {"height", image.height}});
  }
  document["images"] = std::move(images);
  json annotations = json::array();
  for (const auto& a : dataset.annotations) {
    json entry = {{"id", a.id},           {"image_id", a.image_id}, {"category_id", a.category_id},
                  {"iscrowd", a.iscrowd}, {"area", a.area},         {"bbox", a.bbox},
                  {"segmentation", json_fields::rleToJson(a.segmentation)}};
    if (a.score) entry["score"] = *a.score;
    annotations.push_back(std::move(entry));
  }
  document["annotations"] = std::move(annotations);
  document["categories"] = json::array({{{"id", 1}, {"name", "object"}, {"supercategory", "object"}}});
  writeFileAtomically(path, document.dump());
}

}  // namespace autoqvis
