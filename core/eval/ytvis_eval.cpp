#include "core/eval/ytvis_eval.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "core/util/parallel_for.h"
#include "core/util/log.h"

namespace autoqvis {
namespace {

using TrackList = std::vector<const YtvisTrack*>;

// The tracks of one video grouped by category, each group in file order (the official _gts/_dts dicts
// are filled by iterating the annotations in file order).
struct VideoTracks {
  TrackList gts_in_file_order;
  std::map<int64_t, TrackList> gts_by_category;
  std::map<int64_t, TrackList> dts_by_category;
};

void checkResultVideos(const std::vector<YtvisTrack>& results,
                       const std::unordered_map<int64_t, size_t>& videos) {
  for (size_t i = 0; i < results.size(); ++i) {
    if (videos.count(results[i].video_id)) continue;
    ErrorContext context;
    context.key = "results[" + std::to_string(i) + "]";
    context.video_id = results[i].video_id;
    throw Error("a result refers to video id " + std::to_string(results[i].video_id) +
                    ", which is not in the ground truth",
                context);
  }
}

// Ground-truth category ids as the official Params sees them: getCatIds() in file order, sorted. Only the
// class-aware protocol deduplicates (np.unique); VideoCutLER's useCats = 0 path concatenates per listed
// id, so a duplicated category id really does list its tracks twice there.
std::vector<int64_t> categoryIds(const YtvisDataset& gt, bool unique) {
  std::vector<int64_t> ids;
  for (const auto& c : gt.categories) ids.push_back(c.id);
  std::sort(ids.begin(), ids.end());
  if (unique) ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

TrackList concatenate(const std::map<int64_t, TrackList>& groups, const std::vector<int64_t>& order) {
  TrackList out;
  for (int64_t id : order) {
    auto it = groups.find(id);
    if (it != groups.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return out;
}

const TrackList& groupOf(const std::map<int64_t, TrackList>& groups, int64_t id) {
  static const TrackList kEmpty;
  auto it = groups.find(id);
  return it == groups.end() ? kEmpty : it->second;
}

void addCell(std::vector<EvalCell>& cells, int64_t video_id, int k, TrackList gts, TrackList dts) {
  if (gts.empty() && dts.empty()) return;  // evaluateVid returns None; accumulate skips it
  cells.push_back({video_id, k, std::move(gts), std::move(dts)});
}

}  // namespace

std::vector<EvalCell> buildEvalCells(const YtvisDataset& gt, const std::vector<YtvisTrack>& results,
                                     EvalProtocol protocol, int* num_categories) {
  // Only ground-truth videos are evaluated, in ascending id order (Params.vidIds = sorted(getVidIds())).
  std::vector<int64_t> video_ids;
  for (const auto& v : gt.videos) video_ids.push_back(v.id);
  std::sort(video_ids.begin(), video_ids.end());
  video_ids.erase(std::unique(video_ids.begin(), video_ids.end()), video_ids.end());
  std::unordered_map<int64_t, size_t> slot;
  for (size_t i = 0; i < video_ids.size(); ++i) slot.emplace(video_ids[i], i);
  checkResultVideos(results, slot);

  std::vector<VideoTracks> videos(video_ids.size());
  for (const auto& track : gt.annotations) {
    auto it = slot.find(track.video_id);
    if (it == slot.end()) continue;  // ytvis_json rejects these; an in-memory dataset may hold them
    videos[it->second].gts_in_file_order.push_back(&track);
    videos[it->second].gts_by_category[track.category_id].push_back(&track);
  }
  for (const auto& track : results)
    videos[slot.at(track.video_id)].dts_by_category[track.category_id].push_back(&track);

  if (gt.categories.empty() && protocol != EvalProtocol::AutoQ) {
    logWarning("the ground truth lists no categories: the official evaluator evaluates nothing then");
  }
  std::vector<EvalCell> cells;
  switch (protocol) {
    case EvalProtocol::VideoCutler: {
      // useCats = 0: per video, the per-category lists concatenated over the sorted GT category ids;
      // tracks whose category id is not a GT category are dropped.
      const std::vector<int64_t> ids = categoryIds(gt, false);
      *num_categories = 1;
      for (size_t v = 0; v < videos.size(); ++v) {
        addCell(cells, video_ids[v], 0, concatenate(videos[v].gts_by_category, ids),
                concatenate(videos[v].dts_by_category, ids));
      }
      break;
    }
    case EvalProtocol::AutoQ:
      // prepare_ytvis.py rewrites every GT category to 1 (so all GT in file order); useCats = 1 then keeps
      // only the results of category 1.
      *num_categories = 1;
      for (size_t v = 0; v < videos.size(); ++v) {
        addCell(cells, video_ids[v], 0, videos[v].gts_in_file_order, groupOf(videos[v].dts_by_category, 1));
      }
      break;
    case EvalProtocol::ClassAware: {
      const std::vector<int64_t> ids = categoryIds(gt, true);
      *num_categories = static_cast<int>(ids.size());
      for (size_t k = 0; k < ids.size(); ++k) {
        for (size_t v = 0; v < videos.size(); ++v) {
          addCell(cells, video_ids[v], static_cast<int>(k), groupOf(videos[v].gts_by_category, ids[k]),
                  groupOf(videos[v].dts_by_category, ids[k]));
        }
      }
      break;
    }
  }
  return cells;
}

YtvisEvaluator::YtvisEvaluator(const YtvisDataset& gt, const std::vector<YtvisTrack>& results,
                               YtvisEvalOptions options)
    : Controller("evaluate"), gt_(gt), results_(results), options_(options) {}

void YtvisEvaluator::run() {
  int num_categories = 1;
  const std::vector<EvalCell> cells = buildEvalCells(gt_, results_, options_.protocol, &num_categories);
  std::vector<CellResult> evaluated(cells.size());
  ProgressReporter progress = reporter("evaluate", "matching", static_cast<int64_t>(cells.size()));
  parallelFor(
      cells.size(), options_.threads, [&](size_t i) { evaluated[i] = evaluateCell(cells[i]); },
      [&](size_t) { progress.step(); }, &stopToken());

  std::vector<std::vector<const CellResult*>> by_category(num_categories);
  for (size_t i = 0; i < cells.size(); ++i) by_category[cells[i].category_index].push_back(&evaluated[i]);
  accumulation_ = accumulateYtvis(by_category);
  metrics_ = metricsFromStats(summarizeYtvis(accumulation_));
}

YtvisMetrics evaluateYtvis(const YtvisDataset& gt, const std::vector<YtvisTrack>& results,
                           EvalProtocol protocol, int threads) {
  YtvisEvaluator evaluator(gt, results, {protocol, threads});
  evaluator.run();
  return evaluator.metrics();
}

}  // namespace autoqvis
