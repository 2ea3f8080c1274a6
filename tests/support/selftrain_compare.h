// Semantic comparison of self-training outputs with the official ones, as shared/fixtures/selftrain/
// compare.py does it: masks pixel-exact (canonical maskApi string), file names by their last two
// components, a video's annotations as a multiset, state metrics within 1e-9 (relative).
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "core/dataset/rle.h"

namespace autoqvis::test_support {

using nlohmann::json;

inline std::string relFrame(const std::string& path) {
  const size_t last = path.rfind('/');
  if (last == std::string::npos || last == 0) return path;
  const size_t before = path.rfind('/', last - 1);
  return before == std::string::npos ? path : path.substr(before + 1);
}

// compare.py's canonical forms: masks pixel-exact (canonical maskApi string), file names by their
// last two components, annotations of a video as a multiset.
inline std::string canonMask(const json& seg) {
  if (seg.is_null()) return "null";
  const int h = seg["size"][0], w = seg["size"][1];
  const Rle rle = rleFromString(seg["counts"].get<std::string>(), h, w);
  return std::to_string(h) + "x" + std::to_string(w) + ":" + rleToString(rle);
}

inline std::string numberText(const json& x) {
  if (x.is_null()) return "null";
  std::ostringstream out;
  out.precision(17);
  out << x.get<double>();
  return out.str();
}

inline std::map<int64_t, std::pair<std::string, std::vector<std::string>>> canonPl(const json& pl) {
  std::map<int64_t, std::pair<std::string, std::vector<std::string>>> videos;  // id -> (frames, sorted anns)
  for (const json& v : pl["videos"]) {
    std::string frames = std::to_string(v["width"].get<int>()) + "x" + std::to_string(v["height"].get<int>());
    if (v["length"].get<size_t>() != v["file_names"].size()) frames += " BAD LENGTH";
    for (const json& f : v["file_names"]) frames += " " + relFrame(f.get<std::string>());
    videos[v["id"].get<int64_t>()].first = frames;
  }
  for (const json& a : pl["annotations"]) {
    std::string sig = "cat " + std::to_string(a["category_id"].get<int>()) + " crowd " + std::to_string(a["iscrowd"].get<int>());
    for (size_t t = 0; t < a["segmentations"].size(); ++t) {
      sig += " | " + canonMask(a["segmentations"][t]) + " " + numberText(a["areas"][t]);
      if (!a["bboxes"][t].is_null()) {
        for (const json& x : a["bboxes"][t]) sig += " " + numberText(x);
      }
    }
    videos[a["video_id"].get<int64_t>()].second.push_back(sig);
  }
  for (auto& [id, v] : videos) std::sort(v.second.begin(), v.second.end());
  return videos;
}

// Returns "" when equal, else the first difference.
inline std::string comparePl(const json& expected, const json& got) {
  const auto e = canonPl(expected), g = canonPl(got);
  if (e.size() != g.size()) return "pl: " + std::to_string(g.size()) + " videos, expected " + std::to_string(e.size());
  for (const auto& [id, ev] : e) {
    auto it = g.find(id);
    if (it == g.end()) return "pl: video " + std::to_string(id) + " missing";
    if (it->second.first != ev.first) return "pl video " + std::to_string(id) + ": frames " + it->second.first + " != " + ev.first;
    if (it->second.second != ev.second) return "pl video " + std::to_string(id) + ": annotations differ";
  }
  return "";
}

inline std::string compareState(const json& expected, const json& got) {
  auto canon = [](const json& st) {
    std::map<int64_t, std::map<int64_t, std::map<int64_t, std::string>>> out;
    std::map<int64_t, std::map<int64_t, std::map<int64_t, double>>> metrics;
    for (auto v = st.begin(); v != st.end(); ++v) {
      for (auto o = v->begin(); o != v->end(); ++o) {
        for (auto f = o->begin(); f != o->end(); ++f) {
          const json& e = *f;
          const json& ai = e["anno_info"];
          std::string sig = std::string(e["marked"].get<bool>() ? "M " : "u ") + canonMask(ai["segmentation"]) + " " +
                            numberText(ai["area"]) + " " + relFrame(e["file_name"].get<std::string>()) + " " +
                            std::to_string(e["height"].get<int>()) + "x" + std::to_string(e["width"].get<int>());
          if (!ai["bbox"].is_null()) {
            for (const json& x : ai["bbox"]) sig += " " + numberText(x);
          }
          out[std::stoll(v.key())][std::stoll(o.key())][std::stoll(f.key())] = sig;
          metrics[std::stoll(v.key())][std::stoll(o.key())][std::stoll(f.key())] = e["metric"].get<double>();
        }
      }
    }
    return std::make_pair(out, metrics);
  };
  const auto [e, em] = canon(expected);
  const auto [g, gm] = canon(got);
  if (e != g) {
    for (const auto& [vid, objects] : e) {
      if (!g.count(vid)) return "state: video " + std::to_string(vid) + " missing";
      for (const auto& [oid, frames] : objects) {
        if (!g.at(vid).count(oid)) return "state video " + std::to_string(vid) + ": object " + std::to_string(oid) + " missing";
        if (g.at(vid).at(oid) != frames) return "state video " + std::to_string(vid) + " object " + std::to_string(oid) + " differs";
      }
    }
    return "state: unexpected videos or objects";
  }
  for (const auto& [vid, objects] : em) {
    for (const auto& [oid, frames] : objects) {
      for (const auto& [fid, m] : frames) {
        const double x = gm.at(vid).at(oid).at(fid);
        if (std::abs(x - m) > 1e-9 * std::max(std::abs(m), 1e-3)) return "state: metric differs at video " + std::to_string(vid);
      }
    }
  }
  return "";
}

}  // namespace autoqvis::test_support
