// A new project from a person's choices (the desktop's New project dialog): the synthetic source, the
// unlabeled videos, an optional validation set, the initial weights, a preset and the device. Every
// input is checked before anything is created, and the workspace is the one headless `init` makes with
// the same choices (headlessInitArguments spells them).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/config/config.h"
#include "core/selftrain/workspace.h"

namespace autoqvis {

struct ProjectInputs {
  std::filesystem::path workspace;  ///< the project folder to create (absent or empty)
  /// Generate the embedded toy world under <workspace>/data instead of naming data below.
  bool toy_world = false;
  std::filesystem::path synthetic_images;       ///< folder of still images
  std::filesystem::path synthetic_annotations;  ///< COCO JSON of their pseudo-masks (RLE)
  std::filesystem::path unlabeled_frames;       ///< YouTube-VIS frame root (JPEGImages)
  std::filesystem::path unlabeled_videos;       ///< YouTube-VIS JSON of the unlabeled videos
  /// Instead of the two above: a folder of video files, imported (VideoFolderImport) into
  /// <workspace>/data/unlabeled when the project is created.
  std::filesystem::path unlabeled_video_folder;
  std::filesystem::path val_frames;             ///< optional: both val paths empty disables validation
  std::filesystem::path val_videos;
  std::filesystem::path initial_weights;        ///< optional: a detectron2 .pth or a native .pt
  std::string preset = "demo";                  ///< a built-in preset (presetNames())
  std::string device = "auto";                  ///< runtime.device: auto, cpu or cuda
};

/// One problem with one input: which input (the ProjectInputs field name), the file, and what is wrong.
struct InputProblem {
  std::string input;
  std::string file;
  std::string message;
  std::string text() const;  ///< "FILE: MESSAGE"
};

/// Every problem found, in the order of the inputs; empty when the project can be created. Reads the
/// JSON files and the weights' headers, so it may take a moment on real datasets (call it off the GUI
/// thread).
std::vector<InputProblem> checkProjectInputs(const ProjectInputs& inputs);

/// The configuration: the preset, the device, and the data paths relative to their common folder
/// (data.root), or <workspace>/data for the toy world.
Config projectConfig(const ProjectInputs& inputs);

/// The `autoqvis --headless init` arguments that create the same workspace.
std::vector<std::string> headlessInitArguments(const ProjectInputs& inputs);

/// Where an imported video folder goes: <workspace>/data/unlabeled (JPEGImages/, videos.json).
std::filesystem::path importedVideosRoot(const ProjectInputs& inputs);
/// The `autoqvis --headless import-videos` arguments for a video folder; empty without one.
std::vector<std::string> headlessImportArguments(const ProjectInputs& inputs);

/// Checks the inputs (throws Error listing every problem) and creates the workspace. The toy world's
/// data is not generated here: run a ToyWorldWriter on config.toy_world into data.root (a job); nor is
/// a video folder imported: run a VideoFolderImport into importedVideosRoot (a job).
Workspace createProject(const ProjectInputs& inputs);

}  // namespace autoqvis
