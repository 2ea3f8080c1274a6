#include "core/dataset/ytvis_json.h"

#include <fstream>
#include <set>

#include "core/dataset/frame_fields.h"
#include "core/dataset/json_fields.h"
#include "core/dataset/json_stream.h"
#include "core/util/atomic_file.h"
#include "core/util/log.h"

namespace autoqvis {
namespace {

using json_fields::json;
using json_fields::withKey;

const std::set<std::string> kStandardTrackKeys = {"id",       "video_id", "category_id", "iscrowd", "score",
                                                  "segmentations", "areas", "bboxes", "width", "height", "length"};

ErrorContext trackContext(const std::string& source, int64_t video_id, int64_t annotation_id) {
  ErrorContext context = inFile(source);
  context.video_id = video_id;
  if (annotation_id > 0) context.annotation_id = annotation_id;
  return context;
}

YtvisVideo parseVideo(const json& value, const std::string& source, size_t index) {
  ErrorContext context = withKey(inFile(source), "videos[" + std::to_string(index) + "]");
  YtvisVideo video;
  video.id = json_fields::requireInt(value, "id", context);
  context.video_id = video.id;
  video.width = json_fields::asIntIn(json_fields::require(value, "width", context), 1, json_fields::kMaxSide,
                                     withKey(context, "width"));
  video.height = json_fields::asIntIn(json_fields::require(value, "height", context), 1, json_fields::kMaxSide,
                                      withKey(context, "height"));
  json_fields::checkArea(video.height, video.width, context);
  const json& names = json_fields::require(value, "file_names", context);
  if (!names.is_array()) throw Error("'file_names' must be a list", context);
  for (const json& name : names) {
    if (!name.is_string()) throw Error("'file_names' must hold strings", context);
    video.file_names.push_back(name.get<std::string>());
  }
  auto length = value.find("length");
  if (length != value.end() && !length->is_null() &&
      json_fields::asInt(*length, withKey(context, "length")) != video.length()) {
    throw Error("'length' " + length->dump() + " disagrees with " + std::to_string(video.length()) + " file_names",
                context);
  }
  return video;
}

template <class T, class Parse>
std::vector<std::optional<T>> parseFrameList(json& list, const ErrorContext& context, Parse&& parse) {
  if (!list.is_array()) throw Error("expected a per-frame list", context);
  std::vector<std::optional<T>> out;
  out.reserve(list.size());
  for (size_t t = 0; t < list.size(); ++t) {
    ErrorContext frame_context = context;
    frame_context.frame = static_cast<int64_t>(t);
    if (list[t].is_null()) {
      out.emplace_back(std::nullopt);
    } else {
      out.emplace_back(parse(list[t], frame_context));
    }
  }
  return out;
}

BoxXYWH parseBox(const json& value, const ErrorContext& context) {
  if (!value.is_array() || value.size() != 4) throw Error("a bbox must be [x, y, w, h]", context);
  BoxXYWH box;
  for (int i = 0; i < 4; ++i) box[i] = json_fields::asNumber(value[i], context);
  return box;
}

// Any other per-frame list of numbers (pred_iou, quality, ...) is kept so that files round-trip.
void parseExtraFrameValues(json& value, YtvisTrack& track, const ErrorContext& context) {
  for (auto it = value.begin(); it != value.end(); ++it) {
    // A pseudo-label set carries the confidence per frame; a results list's single score is read above.
    const bool per_frame_score = it.key() == frame_fields::kScore;
    if ((kStandardTrackKeys.count(it.key()) && !per_frame_score) || !it->is_array()) continue;
    if (it->size() != track.segmentations.size()) continue;
    bool numeric = true;
    for (const json& x : *it) numeric = numeric && (x.is_number() || x.is_null());
    if (!numeric) continue;
    track.frame_values[it.key()] = parseFrameList<double>(
        *it, withKey(context, it.key()), [](const json& x, const ErrorContext& c) { return json_fields::asNumber(x, c); });
  }
}

YtvisTrack parseTrack(json& value, const std::string& source, size_t index, bool is_result) {
  ErrorContext context = withKey(inFile(source), (is_result ? "results[" : "annotations[") + std::to_string(index) + "]");
  YtvisTrack track;
  auto id = value.find("id");
  if (id != value.end()) track.id = json_fields::asInt(*id, withKey(context, "id"));
  if (!is_result && track.id <= 0) throw Error("annotation 'id' must be > 0 (the evaluator uses 0 as 'unmatched')", context);
  track.video_id = json_fields::requireInt(value, "video_id", context);
  context = trackContext(source, track.video_id, track.id);
  context.key = is_result ? "results[" + std::to_string(index) + "]" : "";
  auto category = value.find("category_id");
  if (category != value.end()) track.category_id = json_fields::asInt(*category, withKey(context, "category_id"));
  auto crowd = value.find("iscrowd");
  if (crowd != value.end()) track.iscrowd = static_cast<int>(json_fields::asInt(*crowd, withKey(context, "iscrowd")));
  auto score = value.find("score");
  const bool per_frame_score = !is_result && score != value.end() && score->is_array();
  if (score != value.end() && !per_frame_score) track.score = json_fields::asNumber(*score, withKey(context, "score"));
  if (is_result && !track.score) throw Error("a result needs a 'score'", context);

  json& segmentations = const_cast<json&>(json_fields::require(value, "segmentations", context));
  track.segmentations = parseFrameList<CompressedRle>(segmentations, withKey(context, "segmentations"),
                                                      [](json& x, const ErrorContext& c) { return json_fields::parseRle(x, c); });
  auto areas = value.find("areas");
  auto bboxes = value.find("bboxes");
  if (areas != value.end() && bboxes != value.end() && areas->is_array() && bboxes->is_array()) {
    track.areas = parseFrameList<double>(*areas, withKey(context, "areas"),
                                         [](const json& x, const ErrorContext& c) { return json_fields::asNumber(x, c); });
    track.bboxes = parseFrameList<BoxXYWH>(*bboxes, withKey(context, "bboxes"), parseBox);
    if (track.areas.size() != track.segmentations.size() || track.bboxes.size() != track.segmentations.size()) {
      throw Error("'areas'/'bboxes' have " + std::to_string(track.areas.size()) + "/" +
                      std::to_string(track.bboxes.size()) + " entries but 'segmentations' has " +
                      std::to_string(track.segmentations.size()),
                  context);
    }
  } else {
    track.computeAreasAndBoxes();
  }
  parseExtraFrameValues(value, track, context);
  return track;
}

void checkTrackAgainstVideo(const YtvisTrack& track, const YtvisVideo& video, const ErrorContext& context) {
  if (track.numFrames() != video.length()) {
    throw Error("has " + std::to_string(track.numFrames()) + " per-frame masks but the video has " +
                    std::to_string(video.length()) + " frames",
                context);
  }
  for (int t = 0; t < track.numFrames(); ++t) {
    const auto& mask = track.segmentations[t];
    if (mask && (mask->h != video.height || mask->w != video.width)) {
      ErrorContext frame_context = context;
      frame_context.frame = t;
      throw Error("mask size " + std::to_string(mask->h) + "x" + std::to_string(mask->w) + " (h x w) disagrees with the video size " +
                      std::to_string(video.height) + "x" + std::to_string(video.width),
                  frame_context);
    }
  }
}

// A local id -> video map: works on datasets built in memory that were never reindexed.
std::unordered_map<int64_t, const YtvisVideo*> videosById(const YtvisDataset& dataset) {
  std::unordered_map<int64_t, const YtvisVideo*> videos;
  for (const auto& video : dataset.videos) videos.emplace(video.id, &video);
  return videos;
}

json frameListJson(const std::vector<std::optional<double>>& values) {
  json list = json::array();
  for (const auto& v : values) list.push_back(v ? json(*v) : json(nullptr));
  return list;
}

json trackJson(const YtvisTrack& track, const YtvisVideo* video, bool is_result) {
  json out;
  if (!is_result) out["id"] = track.id;
  out["video_id"] = track.video_id;
  out["category_id"] = track.category_id;
  if (track.score) out["score"] = *track.score;
  json segmentations = json::array();
  for (const auto& s : track.segmentations) segmentations.push_back(s ? json_fields::rleToJson(*s) : json(nullptr));
  out["segmentations"] = std::move(segmentations);
  if (!is_result) {
    out["iscrowd"] = track.iscrowd;
    out["areas"] = frameListJson(track.areas);
    json bboxes = json::array();
    for (const auto& b : track.bboxes) bboxes.push_back(b ? json(*b) : json(nullptr));
    out["bboxes"] = std::move(bboxes);
    if (video) {
      out["width"] = video->width;
      out["height"] = video->height;
    }
    out["length"] = 1;  // as in the official files
  }
  for (const auto& [key, values] : track.frame_values) out[key] = frameListJson(values);
  return out;
}

}  // namespace

void validateYtvisDataset(const YtvisDataset& dataset, const std::string& source) {
  const auto videos = videosById(dataset);
  if (videos.size() != dataset.videos.size()) {
    std::set<int64_t> seen;
    for (const auto& video : dataset.videos) {
      if (seen.insert(video.id).second) continue;
      ErrorContext context = inFile(source);
      context.video_id = video.id;
      throw Error("duplicate video id", context);
    }
  }
  std::set<int64_t> annotation_ids;
  for (const auto& track : dataset.annotations) {
    ErrorContext context = trackContext(source, track.video_id, track.id);
    if (!annotation_ids.insert(track.id).second) throw Error("duplicate annotation id", context);
    auto video = videos.find(track.video_id);
    if (video == videos.end()) throw Error("annotation refers to a video id that is not in 'videos'", context);
    checkTrackAgainstVideo(track, *video->second, context);
  }
}

namespace {

// The annotations are streamed (parsed one at a time while the file is read); videos and categories
// are small and read from the rest of the document afterwards.
template <class Input>
YtvisDataset readDataset(Input& input, const std::string& source) {
  YtvisDataset dataset;
  json document = json_stream::parseStreaming(input, source, {false, "annotations"}, [&](json& element, size_t i) {
    dataset.annotations.push_back(parseTrack(element, source, i, false));
  });
  if (!document.is_object()) throw Error("a YouTube-VIS dataset must be a JSON object", inFile(source));
  auto annotations = document.find("annotations");
  if (annotations != document.end() && !annotations->is_null() && !annotations->is_array()) {
    throw Error("'annotations' must be a list", atKey(source, "annotations"));
  }
  const json& videos = json_fields::require(document, "videos", inFile(source));
  if (!videos.is_array()) throw Error("'videos' must be a list", atKey(source, "videos"));
  for (size_t i = 0; i < videos.size(); ++i) dataset.videos.push_back(parseVideo(videos[i], source, i));
  auto categories = document.find("categories");
  if (categories != document.end() && categories->is_array()) {
    for (size_t i = 0; i < categories->size(); ++i) {
      const json& c = (*categories)[i];
      ErrorContext context = atKey(source, "categories[" + std::to_string(i) + "]");
      dataset.categories.push_back({json_fields::requireInt(c, "id", context), json_fields::optionalString(c, "name", ""),
                                    json_fields::optionalString(c, "supercategory", "")});
    }
  }
  dataset.reindex();
  validateYtvisDataset(dataset, source);
  return dataset;
}

std::ifstream openForReading(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(std::filesystem::exists(path) ? "cannot open for reading" : "file does not exist", inFile(path.string()));
  }
  return in;
}

}  // namespace

YtvisDataset parseYtvisDataset(std::string text, const std::string& source) { return readDataset(text, source); }

YtvisDataset loadYtvisDataset(const std::filesystem::path& path) {
  std::ifstream in = openForReading(path);  // streamed: the raw text is never held whole
  return readDataset(in, path.string());
}

std::string ytvisDatasetToJson(const YtvisDataset& dataset, int indent) {
  json document;
  document["info"] = json::object({{"description", "written by AutoQ-VIS Studio"}});
  document["licenses"] = json::array();
  json videos = json::array();
  for (const auto& v : dataset.videos) {
    videos.push_back({{"id", v.id}, {"width", v.width}, {"height", v.height}, {"length", v.length()}, {"file_names", v.file_names}});
  }
  document["videos"] = std::move(videos);
  json categories = json::array();
  for (const auto& c : dataset.categories) {
    categories.push_back({{"id", c.id}, {"name", c.name}, {"supercategory", c.supercategory}});
  }
  document["categories"] = std::move(categories);
  json annotations = json::array();
  const auto by_id = videosById(dataset);
  for (const auto& track : dataset.annotations) {
    auto video = by_id.find(track.video_id);
    annotations.push_back(trackJson(track, video == by_id.end() ? nullptr : video->second, false));
  }
  document["annotations"] = std::move(annotations);
  return document.dump(indent, ' ', false, json::error_handler_t::replace);
}

void saveYtvisDataset(const YtvisDataset& dataset, const std::filesystem::path& path) {
  writeFileAtomically(path, ytvisDatasetToJson(dataset));
}

namespace {

template <class Input>
std::vector<YtvisTrack> readResults(Input& input, const std::string& source, const YtvisDataset* dataset,
                                    ResultsCheck check) {
  std::vector<YtvisTrack> results;
  int tolerated = 0;
  json document = json_stream::parseStreaming(input, source, {true, ""}, [&](json& element, size_t i) {
    results.push_back(parseTrack(element, source, i, true));
    if (!dataset) return;
    ErrorContext context = trackContext(source, results.back().video_id, 0);
    context.key = "results[" + std::to_string(i) + "]";
    const YtvisVideo* video = dataset->findVideo(results.back().video_id);
    if (!video) throw Error("result refers to a video id that is not in the dataset", context);
    try {
      checkTrackAgainstVideo(results.back(), *video, context);
    } catch (const Error& e) {
      if (check == ResultsCheck::Strict) throw;
      if (++tolerated <= 5) logWarning(std::string(e.what()) + " (tolerated, as the official evaluator does)");
    }
  });
  if (!document.is_array()) throw Error("a results file must be a JSON list", inFile(source));
  if (tolerated > 5) logWarning(source + ": " + std::to_string(tolerated) + " results disagree with their video in all");
  return results;
}

}  // namespace

std::vector<YtvisTrack> parseYtvisResults(std::string text, const std::string& source, const YtvisDataset* dataset,
                                          ResultsCheck check) {
  return readResults(text, source, dataset, check);
}

std::vector<YtvisTrack> loadYtvisResults(const std::filesystem::path& path, const YtvisDataset* dataset,
                                         ResultsCheck check) {
  std::ifstream in = openForReading(path);
  return readResults(in, path.string(), dataset, check);
}

void saveYtvisResults(const std::vector<YtvisTrack>& results, const std::filesystem::path& path) {
  json document = json::array();
  for (const auto& track : results) document.push_back(trackJson(track, nullptr, true));
  writeFileAtomically(path, document.dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace autoqvis
