#include "core/selftrain/round_state.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "core/dataset/frame_fields.h"
#include "core/selftrain/state_json.h"
#include "core/util/atomic_file.h"

namespace autoqvis {
namespace {

using ojson = nlohmann::ordered_json;
using state_json::intKey;
using state_json::number;
using state_json::require;

// True when two names denote the same frame: equal, or one is the other below some root
// ("/datasets/.../JPEGImages/vid_003/00005.jpg" and "vid_003/00005.jpg").
bool sameFrameName(std::string a, std::string b) {
  for (auto* s : {&a, &b}) {
    for (char& c : *s) c = c == '\\' ? '/' : c;
  }
  if (a == b) return true;
  if (a.size() < b.size()) std::swap(a, b);
  return a.size() > b.size() && a.compare(a.size() - b.size(), b.size(), b) == 0 && a[a.size() - b.size() - 1] == '/';
}

std::optional<CompressedRle> parseSegmentation(const ojson& value, const YtvisVideo& video, const ErrorContext& context) {
  if (value.is_null()) return std::nullopt;
  if (!value.is_object()) throw Error("expected null or an RLE {size, counts}", context);
  const ojson& size = require(value, "size", context);
  if (!size.is_array() || size.size() != 2) throw Error("RLE 'size' must be [height, width]", context);
  const int h = static_cast<int>(number(size[0], context)), w = static_cast<int>(number(size[1], context));
  if (h != video.height || w != video.width) {
    throw Error("mask size " + std::to_string(h) + "x" + std::to_string(w) + " (h x w) disagrees with the video size " +
                    std::to_string(video.height) + "x" + std::to_string(video.width),
                context);
  }
  const ojson& counts = require(value, "counts", context);
  Rle rle;
  try {
    if (counts.is_string()) {
      rle = rleFromString(counts.get<std::string>(), h, w);
    } else if (counts.is_array()) {
      std::vector<uint32_t> runs;
      for (const ojson& run : counts) runs.push_back(static_cast<uint32_t>(number(run, context)));
      rle = rleFromCounts(std::move(runs), h, w);
    } else {
      throw Error("RLE 'counts' must be a string or a list of integers");
    }
  } catch (const Error& e) {
    throw e.withContext(context);
  }
  // An all-zero mask is an empty frame: the official writer never stores one (area < 1 gives None).
  if (rleArea(rle) == 0) return std::nullopt;
  return compress(rle);
}

std::optional<UserDecision> parseUserDecision(const ojson& entry, const ErrorContext& context) {
  auto it = entry.find("user_decision");
  if (it == entry.end() || it->is_null()) return std::nullopt;
  return state_json::parseUserDecision(*it, state_json::withKey(context, "user_decision"));
}

StateEntry parseEntry(const ojson& value, const YtvisVideo& video, int frame, const ErrorContext& context) {
  if (!value.is_object()) throw Error("a frame entry must be a JSON object", context);
  StateEntry entry;
  const ojson& name = require(value, "file_name", context);
  if (!name.is_string()) throw Error("'file_name' must be a string", state_json::withKey(context, "file_name"));
  if (!sameFrameName(name.get<std::string>(), video.file_names[frame])) {
    throw Error("file_name '" + name.get<std::string>() + "' is not the dataset's frame '" + video.file_names[frame] +
                    "' (a state of another dataset?)",
                state_json::withKey(context, "file_name"));
  }
  entry.file_name = video.file_names[frame];
  for (const char* key : {"height", "width"}) {
    auto it = value.find(key);
    const int expected = key[0] == 'h' ? video.height : video.width;
    if (it != value.end() && number(*it, state_json::withKey(context, key)) != expected) {
      throw Error(std::string(key) + " disagrees with the dataset's " + std::to_string(expected) +
                      " (a state of another dataset?)",
                  state_json::withKey(context, key));
    }
  }
  entry.height = video.height;
  entry.width = video.width;
  const ojson& anno = require(value, "anno_info", context);
  const ErrorContext anno_context = state_json::withKey(context, "anno_info");
  entry.segmentation = parseSegmentation(require(anno, "segmentation", anno_context), video,
                                         state_json::withKey(anno_context, "segmentation"));
  if (entry.segmentation) {
    const Rle rle = decompress(*entry.segmentation);
    entry.area = static_cast<int64_t>(rleArea(rle));
    entry.bbox = rleToBbox(rle);
  }
  entry.metric = number(require(value, "metric", context), state_json::withKey(context, "metric"));
  const ojson& marked = require(value, "marked", context);
  if (!marked.is_boolean()) throw Error("'marked' must be true or false", state_json::withKey(context, "marked"));
  entry.marked = marked.get<bool>();
  entry.score = state_json::optionalNumber(value, frame_fields::kScore, context);
  entry.pred_iou = state_json::optionalNumber(value, frame_fields::kPredIou, context);
  if (auto r = state_json::optionalNumber(value, frame_fields::kRound, context)) entry.round = static_cast<int>(*r);
  entry.user_decision = parseUserDecision(value, context);
  return entry;
}

StateObject parseObject(const std::string& key, const ojson& frames, const YtvisVideo& video, ErrorContext context) {
  StateObject object;
  object.id = intKey(key, context);
  context.key = "object " + key;
  if (!frames.is_object()) throw Error("an object must map frame ids to entries", context);
  std::vector<std::optional<StateEntry>> slots(video.length());
  for (auto it = frames.begin(); it != frames.end(); ++it) {
    ErrorContext frame_context = context;
    const int64_t frame = intKey(it.key(), frame_context);
    frame_context.frame = frame;
    if (frame < 0 || frame >= video.length()) {
      throw Error("frame id out of range: the video has " + std::to_string(video.length()) + " frames", frame_context);
    }
    if (slots[frame]) throw Error("duplicate frame id", frame_context);
    slots[frame] = parseEntry(*it, video, static_cast<int>(frame), frame_context);
  }
  for (int f = 0; f < video.length(); ++f) {
    if (slots[f]) {
      object.frames.push_back(std::move(*slots[f]));
      continue;
    }
    ErrorContext frame_context = context;
    frame_context.frame = f;
    throw Error("frame missing: every object has an entry for every frame of its video", frame_context);
  }
  return object;
}

ojson entryJson(int64_t video_id, const StateEntry& entry) {
  ojson anno = ojson::object();
  if (entry.segmentation) {
    anno["segmentation"] = {{"size", {entry.segmentation->h, entry.segmentation->w}},
                            {"counts", entry.segmentation->counts}};
    anno["area"] = entry.area.value_or(0);
    anno["bbox"] = *entry.bbox;
  } else {
    anno["segmentation"] = nullptr;
    anno["area"] = nullptr;
    anno["bbox"] = nullptr;
  }
  ojson out = {{"video_id", video_id}, {"file_name", entry.file_name}, {"height", entry.height},
               {"width", entry.width}, {"anno_info", std::move(anno)}, {"metric", entry.metric},
               {"marked", entry.marked}};
  if (entry.score) out[frame_fields::kScore] = *entry.score;
  if (entry.pred_iou) out[frame_fields::kPredIou] = *entry.pred_iou;
  if (entry.round) out[frame_fields::kRound] = *entry.round;
  out[frame_fields::kSource] = entry.user_decision ? "user" : "auto";
  if (entry.user_decision) out["user_decision"] = state_json::userDecisionJson(*entry.user_decision);
  return out;
}

}  // namespace

const char* decisionName(Decision decision) { return decision == Decision::Accept ? "accept" : "reject"; }

size_t RoundState::numObjects() const {
  size_t n = 0;
  for (const auto& v : videos) n += v.objects.size();
  return n;
}

size_t RoundState::numEntries() const {
  size_t n = 0;
  for (const auto& v : videos) {
    for (const auto& o : v.objects) n += o.frames.size();
  }
  return n;
}

RoundState parseRoundState(const std::string& text, const std::string& source, const YtvisDataset& dataset) {
  const ojson document = state_json::parse(text, source);
  if (!document.is_object()) {
    throw Error("a round state must be a JSON object {video_id: {object_id: {frame_id: entry}}}", inFile(source));
  }
  RoundState state;
  for (auto v = document.begin(); v != document.end(); ++v) {
    ErrorContext context = inFile(source);
    StateVideo video;
    video.id = intKey(v.key(), context);
    context.video_id = video.id;
    const YtvisVideo* dataset_video = dataset.findVideo(video.id);
    if (!dataset_video) throw Error("video id is not in the dataset (a state of another dataset?)", context);
    if (!v->is_object()) throw Error("a video must map object ids to objects", context);
    for (auto o = v->begin(); o != v->end(); ++o) {
      video.objects.push_back(parseObject(o.key(), *o, *dataset_video, context));
      for (size_t k = 0; k + 1 < video.objects.size(); ++k) {
        if (video.objects[k].id == video.objects.back().id) throw Error("duplicate object id " + o.key(), context);
      }
    }
    for (const auto& other : state.videos) {
      if (other.id == video.id) throw Error("duplicate video id", context);
    }
    if (!video.objects.empty()) state.videos.push_back(std::move(video));
  }
  return state;
}

RoundState loadRoundState(const std::filesystem::path& path, const YtvisDataset& dataset) {
  return parseRoundState(readFile(path), path.string(), dataset);
}

std::string roundStateToJson(const RoundState& state, int64_t indent) {
  ojson document = ojson::object();
  for (const auto& video : state.videos) {
    ojson objects = ojson::object();
    for (const auto& object : video.objects) {
      ojson frames = ojson::object();
      for (size_t f = 0; f < object.frames.size(); ++f) frames[std::to_string(f)] = entryJson(video.id, object.frames[f]);
      objects[std::to_string(object.id)] = std::move(frames);
    }
    document[std::to_string(video.id)] = std::move(objects);
  }
  return document.dump(static_cast<int>(indent), ' ', false, ojson::error_handler_t::replace);
}

void saveRoundState(const RoundState& state, const std::filesystem::path& path) {
  writeFileAtomically(path, roundStateToJson(state));
}

}  // namespace autoqvis
