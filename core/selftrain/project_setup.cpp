#include "core/selftrain/project_setup.h"

#include <algorithm>
#include <fstream>

#include "core/checkpoint/pth_state_dict.h"
#include "core/config/presets.h"
#include "core/dataset/coco_json.h"
#include "core/dataset/ytvis_json.h"
#include "core/selftrain/video_folder_import.h"
#include "core/util/error.h"
#include "core/video/video_source.h"

namespace autoqvis {
namespace fs = std::filesystem;

namespace {

class ProblemList {
 public:
  void add(std::string input, const fs::path& file, std::string message) {
    problems_.push_back({std::move(input), file.string(), std::move(message)});
  }
  // Runs `check`, turning an engine error (which names its file and field) into a problem.
  template <class F>
  void guard(const std::string& input, const fs::path& file, F&& check) {
    try {
      check();
    } catch (const Error& e) {
      const ErrorContext& where = e.context();
      add(input, where.file.empty() ? file : fs::path(where.file),
          (where.key.empty() ? "" : "'" + where.key + "': ") + e.message());
    } catch (const std::exception& e) {
      add(input, file, e.what());
    }
  }
  std::vector<InputProblem> take() { return std::move(problems_); }

 private:
  std::vector<InputProblem> problems_;
};

void checkWorkspaceFolder(const fs::path& dir, ProblemList& problems) {
  if (dir.empty()) return problems.add("workspace", dir, "choose a folder for the project");
  if (Workspace::exists(dir)) return problems.add("workspace", dir, "a workspace already exists here; open it instead");
  if (fs::exists(dir) && !fs::is_directory(dir)) return problems.add("workspace", dir, "is a file, not a folder");
  if (fs::is_directory(dir) && !fs::is_empty(dir)) {
    problems.add("workspace", dir, "the folder is not empty; choose a new or empty folder");
  }
}

// Reports the first missing file and how many are missing, so a wrong folder is named once.
void checkFilesExist(const std::string& input, const fs::path& root, const std::vector<std::string>& names,
                     const std::string& what, ProblemList& problems) {
  size_t missing = 0;
  fs::path first;
  for (const std::string& name : names) {
    const fs::path path = fs::path(name).is_absolute() ? fs::path(name) : root / name;
    if (!fs::exists(path) && missing++ == 0) first = path;
  }
  if (missing > 0) {
    problems.add(input, first, "missing (" + std::to_string(missing) + " of " + std::to_string(names.size()) + " " +
                                   what + " named by the JSON are missing under " + root.string() + ")");
  }
}

bool requireFolder(const std::string& input, const fs::path& dir, const std::string& what, ProblemList& problems) {
  if (dir.empty()) return problems.add(input, dir, "choose the " + what), false;
  if (!fs::is_directory(dir)) return problems.add(input, dir, "is not a folder (" + what + ")"), false;
  return true;
}

bool requireFile(const std::string& input, const fs::path& file, const std::string& what, ProblemList& problems) {
  if (file.empty()) return problems.add(input, file, "choose the " + what), false;
  if (!fs::is_regular_file(file)) return problems.add(input, file, "no such file (" + what + ")"), false;
  return true;
}

void checkSynthetic(const ProjectInputs& in, ProblemList& problems) {
  const bool folder = requireFolder("synthetic_images", in.synthetic_images, "folder of still images", problems);
  if (!requireFile("synthetic_annotations", in.synthetic_annotations, "COCO JSON of pseudo-masks", problems)) return;
  problems.guard("synthetic_annotations", in.synthetic_annotations, [&] {
    const CocoDataset coco = loadCocoDataset(in.synthetic_annotations);
    if (coco.images.empty()) throw Error("lists no images", atKey(in.synthetic_annotations.string(), "images"));
    if (coco.annotations.empty()) {
      throw Error("has no pseudo-masks", atKey(in.synthetic_annotations.string(), "annotations"));
    }
    if (!folder) return;
    std::vector<std::string> names;
    for (const CocoImage& image : coco.images) names.push_back(image.file_name);
    checkFilesExist("synthetic_images", in.synthetic_images, names, "images", problems);
  });
}

void checkVideos(const std::string& prefix, const fs::path& frames, const fs::path& json, bool need_annotations,
                 ProblemList& problems) {
  const bool folder = requireFolder(prefix + "_frames", frames, "frame folder (JPEGImages)", problems);
  if (!requireFile(prefix + "_videos", json, "YouTube-VIS JSON", problems)) return;
  problems.guard(prefix + "_videos", json, [&] {
    const YtvisDataset dataset = loadYtvisDataset(json);
    if (dataset.videos.empty()) throw Error("lists no videos", atKey(json.string(), "videos"));
    if (need_annotations && dataset.annotations.empty()) {
      throw Error("has no annotations: a validation set needs ground truth", atKey(json.string(), "annotations"));
    }
    if (!folder) return;
    std::vector<std::string> names;
    for (const YtvisVideo& video : dataset.videos) names.insert(names.end(), video.file_names.begin(), video.file_names.end());
    checkFilesExist(prefix + "_frames", frames, names, "frames", problems);
  });
}

// Every file must open through FFmpeg with at least one frame (decoding them all is the import's job).
void checkVideoFolder(const ProjectInputs& in, ProblemList& problems) {
  if (!in.unlabeled_frames.empty() || !in.unlabeled_videos.empty()) {
    problems.add("unlabeled_video_folder", in.unlabeled_video_folder,
                 "give either a folder of video files or a YouTube-VIS frame folder and JSON, not both");
  }
  if (!requireFolder("unlabeled_video_folder", in.unlabeled_video_folder, "folder of video files", problems)) return;
  const std::vector<fs::path> files = videoFilesIn(in.unlabeled_video_folder);
  if (files.empty()) {
    problems.add("unlabeled_video_folder", in.unlabeled_video_folder, "holds no video files (mp4, avi, mov, mkv, webm, ...)");
  }
  for (const fs::path& file : files) {
    problems.guard("unlabeled_video_folder", file, [&] {
      if (openVideoSource(file)->frameCount() <= 0) throw Error("the video has no frames", inFile(file.string()));
    });
  }
}

void checkWeights(const fs::path& weights, ProblemList& problems) {
  if (weights.empty()) return;
  if (!requireFile("initial_weights", weights, "initial weights", problems)) return;
  const std::string ext = weights.extension().string();
  if (ext == ".pth") {
    // The safe reader decodes the pickle without executing anything.
    problems.guard("initial_weights", weights, [&] {
      if (readPthStateDict(weights).empty()) throw Error("holds no tensors", inFile(weights.string()));
    });
  } else if (ext == ".pt") {
    std::ifstream in(weights, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    if (std::string(magic, 4) != std::string("PK\x03\x04", 4)) {
      problems.add("initial_weights", weights, "is not a LibTorch archive (.pt written by autoqvis)");
    }
  } else {
    problems.add("initial_weights", weights, "must be a detectron2 .pth (VideoCutLER, AutoQ-VIS) or a native .pt");
  }
}

void checkChoices(const ProjectInputs& in, ProblemList& problems) {
  const std::vector<std::string> presets = presetNames();
  if (std::find(presets.begin(), presets.end(), in.preset) == presets.end()) {
    problems.add("preset", {}, "unknown preset '" + in.preset + "'");
  }
  if (in.device != "auto" && in.device != "cpu" && in.device != "cuda") {
    problems.add("device", {}, "device must be auto, cpu or cuda, not '" + in.device + "'");
  }
}

// The deepest folder holding every path (for data.root), so the project names its data relatively.
fs::path commonFolder(const std::vector<fs::path>& paths) {
  fs::path common;
  bool first = true;
  for (const fs::path& p : paths) {
    if (p.empty()) continue;
    const fs::path folder = fs::absolute(p).lexically_normal().parent_path();
    if (first) {
      common = folder, first = false;
      continue;
    }
    fs::path shared;
    for (auto a = common.begin(), b = folder.begin(); a != common.end() && b != folder.end() && *a == *b; ++a, ++b) {
      shared /= *a;
    }
    common = shared;
  }
  return common;
}

std::string relativeTo(const fs::path& root, const fs::path& path) {
  if (path.empty()) return {};
  return fs::absolute(path).lexically_normal().lexically_relative(root).generic_string();
}

}  // namespace

// The data paths of `in`, relative to their common folder (data.root).
static Config dataConfig(Config config, const ProjectInputs& in);

std::string InputProblem::text() const { return file.empty() ? message : file + ": " + message; }

std::vector<InputProblem> checkProjectInputs(const ProjectInputs& in) {
  ProblemList problems;
  checkWorkspaceFolder(in.workspace, problems);
  checkChoices(in, problems);
  if (!in.toy_world) {
    checkSynthetic(in, problems);
    if (in.unlabeled_video_folder.empty()) {
      checkVideos("unlabeled", in.unlabeled_frames, in.unlabeled_videos, false, problems);
    } else {
      checkVideoFolder(in, problems);
    }
    if (!in.val_frames.empty() || !in.val_videos.empty()) checkVideos("val", in.val_frames, in.val_videos, true, problems);
  }
  checkWeights(in.initial_weights, problems);
  return problems.take();
}

Config projectConfig(const ProjectInputs& in) {
  Config config = parseConfig(presetYaml(in.preset), in.preset);
  config.runtime.device = in.device;
  if (in.toy_world) {
    config.data = DataOptions{};
    config.data.root = (fs::absolute(in.workspace).lexically_normal() / "data").string();
    if (!in.initial_weights.empty()) config.data.initial_weights = fs::absolute(in.initial_weights).lexically_normal().string();
    return config;
  }
  ProjectInputs data_in = in;
  if (!in.unlabeled_video_folder.empty()) {
    const ImportedVideoFiles imported{importedVideosRoot(in)};
    data_in.unlabeled_frames = imported.frames();
    data_in.unlabeled_videos = imported.videos();
  }
  return dataConfig(std::move(config), data_in);
}

static Config dataConfig(Config config, const ProjectInputs& in) {
  const fs::path root = commonFolder({in.synthetic_images / "x", in.synthetic_annotations, in.unlabeled_frames / "x",
                                      in.unlabeled_videos, in.val_frames.empty() ? fs::path() : in.val_frames / "x",
                                      in.val_videos, in.initial_weights});
  DataOptions& data = config.data;
  data.root = root.string();
  data.synthetic_images = relativeTo(root, in.synthetic_images);
  data.synthetic_annotations = relativeTo(root, in.synthetic_annotations);
  data.unlabeled_frames = relativeTo(root, in.unlabeled_frames);
  data.unlabeled_videos = relativeTo(root, in.unlabeled_videos);
  data.unlabeled_ground_truth.clear();  // analysis only; a person's unlabeled videos have none
  data.val_frames = relativeTo(root, in.val_frames);
  data.val_videos = relativeTo(root, in.val_videos);
  data.initial_weights = relativeTo(root, in.initial_weights);
  return config;
}

fs::path importedVideosRoot(const ProjectInputs& in) {
  return fs::absolute(in.workspace).lexically_normal() / "data" / "unlabeled";
}

std::vector<std::string> headlessImportArguments(const ProjectInputs& in) {
  if (in.toy_world || in.unlabeled_video_folder.empty()) return {};
  return {"--headless", "import-videos", "--videos", fs::absolute(in.unlabeled_video_folder).lexically_normal().string(),
          "--out", importedVideosRoot(in).string()};
}

std::vector<std::string> headlessInitArguments(const ProjectInputs& in) {
  const Config config = projectConfig(in);
  std::vector<std::string> args = {"--headless", "init", "--workspace", fs::absolute(in.workspace).lexically_normal().string(),
                                   "--config", in.preset, "--set", "runtime.device=" + config.runtime.device};
  const DataOptions defaults = parseConfig(presetYaml(in.preset), in.preset).data;
  // Only the data keys that differ from the preset's, each as a YAML string.
  const auto set = [&](const char* key, const std::string& value, const std::string& preset_value) {
    if (value != preset_value) args.insert(args.end(), {"--set", std::string("data.") + key + "='" + value + "'"});
  };
  set("root", config.data.root, defaults.root);
  set("synthetic_images", config.data.synthetic_images, defaults.synthetic_images);
  set("synthetic_annotations", config.data.synthetic_annotations, defaults.synthetic_annotations);
  set("unlabeled_frames", config.data.unlabeled_frames, defaults.unlabeled_frames);
  set("unlabeled_videos", config.data.unlabeled_videos, defaults.unlabeled_videos);
  set("unlabeled_ground_truth", config.data.unlabeled_ground_truth, defaults.unlabeled_ground_truth);
  set("val_frames", config.data.val_frames, defaults.val_frames);
  set("val_videos", config.data.val_videos, defaults.val_videos);
  set("initial_weights", config.data.initial_weights, defaults.initial_weights);
  return args;
}

Workspace createProject(const ProjectInputs& inputs) {
  const std::vector<InputProblem> problems = checkProjectInputs(inputs);
  if (!problems.empty()) {
    std::string text = "the project was not created:";
    for (const InputProblem& p : problems) text += "\n  " + p.text();
    throw Error(text);
  }
  return Workspace::create(inputs.workspace, projectConfig(inputs));
}

}  // namespace autoqvis
