#include "core/dataset/coco_json.h"

#include <fstream>
#include <set>
#include <unordered_map>

#include "core/dataset/json_fields.h"
#include "core/dataset/json_stream.h"
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
  image.width = json_fields::asIntIn(json_fields::require(value, "width", context), 1, json_fields::kMaxSide,
                                     json_fields::withKey(context, "width"));
  image.height = json_fields::asIntIn(json_fields::require(value, "height", context), 1, json_fields::kMaxSide,
                                      json_fields::withKey(context, "height"));
  json_fields::checkArea(image.height, image.width, context);
  return image;
}

CocoAnnotation parseAnnotation(json& value, const std::string& source, size_t index) {
  ErrorContext context = atKey(source, "annotations[" + std::to_string(index) + "]");
  CocoAnnotation annotation;
  annotation.id = json_fields::requireInt(value, "id", context);
  context.annotation_id = annotation.id;
  annotation.image_id = json_fields::requireInt(value, "image_id", context);
  if (value.contains("category_id")) annotation.category_id = json_fields::requireInt(value, "category_id", context);
  if (value.contains("iscrowd")) annotation.iscrowd = static_cast<int>(json_fields::requireInt(value, "iscrowd", context));
  if (value.contains("score")) annotation.score = json_fields::asNumber(value["score"], context);
  json& segmentation = const_cast<json&>(json_fields::require(value, "segmentation", context));
  annotation.segmentation = json_fields::parseRle(segmentation, json_fields::withKey(context, "segmentation"));
  const Rle rle = decompress(annotation.segmentation);
  annotation.area = static_cast<double>(rleArea(rle));
  annotation.bbox = rleToBbox(rle);
  return annotation;
}

// Annotations are read before the images they refer to may be known, so they are checked afterwards.
void checkAnnotations(const CocoDataset& dataset, const std::string& source) {
  std::unordered_map<int64_t, const CocoImage*> by_id;
  for (const auto& image : dataset.images) {
    if (!by_id.emplace(image.id, &image).second) throw Error("duplicate image id " + std::to_string(image.id), inFile(source));
  }
  std::set<int64_t> ids;
  for (const auto& a : dataset.annotations) {
    ErrorContext context = inFile(source);
    context.annotation_id = a.id;
    if (!ids.insert(a.id).second) throw Error("duplicate annotation id", context);
    auto image = by_id.find(a.image_id);
    if (image == by_id.end()) throw Error("refers to image id " + std::to_string(a.image_id) + " which is not in 'images'", context);
    const CompressedRle& mask = a.segmentation;
    if (mask.h != image->second->height || mask.w != image->second->width) {
      throw Error("mask size " + std::to_string(mask.h) + "x" + std::to_string(mask.w) + " disagrees with the image size " +
                      std::to_string(image->second->height) + "x" + std::to_string(image->second->width) + " of " +
                      image->second->file_name,
                  context);
    }
  }
}

template <class Input>
CocoDataset readCoco(Input& input, const std::string& source) {
  CocoDataset dataset;
  json document = json_stream::parseStreaming(input, source, {false, "annotations"}, [&](json& element, size_t i) {
    dataset.annotations.push_back(parseAnnotation(element, source, i));
  });
  if (!document.is_object()) throw Error("a COCO dataset must be a JSON object", inFile(source));
  const json& images = json_fields::require(document, "images", inFile(source));
  if (!images.is_array()) throw Error("'images' must be a list", atKey(source, "images"));
  for (size_t i = 0; i < images.size(); ++i) dataset.images.push_back(parseImage(images[i], source, i));
  checkAnnotations(dataset, source);
  return dataset;
}

}  // namespace

CocoDataset parseCocoDataset(std::string text, const std::string& source) { return readCoco(text, source); }

CocoDataset loadCocoDataset(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(std::filesystem::exists(path) ? "cannot open for reading" : "file does not exist", inFile(path.string()));
  return readCoco(in, path.string());
}

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
