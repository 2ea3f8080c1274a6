#include <algorithm>
#include <filesystem>

#include "app/headless/command.h"
#include "core/config/presets.h"
#include "core/util/log.h"
#include "core/util/torch_runtime.h"

#include <nlohmann/json.hpp>

namespace autoqvis::cli {

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"demo", "the main job: the whole method (stage 1, the self-training rounds) on the built-in toy world",
       "options:\n  --out DIR              workspace folder (default demo-out; the toy world goes to DIR/data)\n"
       "  --until STAGE          stop after this stage (initial, round-1 .. round-N, final)\n"
       "  --from STAGE           redo this stage and every later one\n",
       {"out", "until", "from"}, {}, runDemo},
      {"make-base-model", "the toy VideoCutLER: train the VIS model on the toy world's stills only (the demo starts from it)",
       "options:\n  --out DIR              writes DIR/data (the world), DIR/train, DIR/toy_videocutler_r50.pth and its\n"
       "                         sidecar .json (config, seed, iterations, wall time, machine, sha256, validation AP)\n"
       "  (default config: the toy-videocutler preset; a rerun resumes the training)\n",
       {"out"}, {}, runMakeBaseModel},
      {"ablate", "the paper's ablation tables (2-5) on the toy world: one workspace per cell and seed, ablation.md + plots",
       "options:\n  --out DIR              ablation folder: stage1/, cells/<cell>-seed<k>/, ablation.md, ablation.json, PNGs\n"
       "  --seeds N              seeds of the rounds' training per cell (default 2)\n"
       "  --tables LIST          which tables, e.g. 3,4 (default 2,3,4,5)\n"
       "  --device D             cpu, cuda or auto (runtime.device)\n"
       "  --data-root DIR        existing data to use (default: the toy world, written to DIR/data)\n"
       "  --report               only rewrite ablation.md/json and the plots from the finished cells\n"
       "  (a rerun continues where a stopped one ended)\n",
       {"out", "seeds", "tables", "device", "data-root"}, {"report"}, runAblate},
      {"make-toy-data", "generate the toy world (stills with pseudo-masks, unlabeled videos, labelled val set)",
       "options:\n  --out DIR              data root to write (overrides data.root)\n", {"out"}, {}, runMakeToyData},
      {"import-videos", "a folder of video files as unlabeled videos: frames at 6 fps, JPEGImages/ + videos.json",
       "options:\n  --videos DIR           folder of video files (mp4, avi, mov, mkv, webm, ...)\n"
       "  --out DIR              writes DIR/JPEGImages/<video>/00000.jpg ... and DIR/videos.json\n"
       "  --fps F                sampled frame rate (default 6, YouTube-VIS's)\n",
       {"videos", "out", "fps"}, {}, runImportVideos},
      {"info", "statistics of a YouTube-VIS dataset, a COCO image set, a data root or a video",
       "options (one of):\n  --dataset FILE.json    YouTube-VIS dataset\n  --results FILE.json    YouTube-VIS results list (with --dataset)\n"
       "  --coco FILE.json       COCO-style image annotations\n  --data-root DIR        every part of a data root (default: data.root)\n"
       "  --video PATH           a video file or frame folder: frames, size, fps\n"
       "  --check                with --video: decode every frame (finds truncated or damaged files)\n"
       "  --json                 print one JSON object instead of text\n",
       {"dataset", "results", "coco", "data-root", "video"}, {"json", "check"}, runInfo},
      {"export-davis", "write per-frame instance masks as DAVIS palette PNGs",
       "options:\n  --dataset FILE.json    YouTube-VIS dataset (its annotations are exported unless --results)\n"
       "  --results FILE.json    export this results list instead\n  --out DIR              output folder\n"
       "  --min-score S          leave out results scored below S (default 0)\n",
       {"dataset", "results", "out", "min-score"}, {}, runExportDavis},
      {"preview", "render frames of a dataset with its masks overlaid into one PNG",
       "options:\n  --dataset FILE.json    YouTube-VIS dataset with annotations (default: data.val_videos)\n"
       "  --frames DIR           its frame root (default: data.val_frames)\n  --out FILE.png         output image\n"
       "  --videos N             videos to show (default 4)\n  --per-video N          frames per video (default 4)\n",
       {"dataset", "frames", "out", "videos", "per-video"}, {}, runPreview},
      {"evaluate", "YouTube-VIS AP/AR of a results file: the official numbers (class-agnostic by default)",
       "options:\n  --gt FILE.json         ground truth (YouTube-VIS dataset with annotations)\n"
       "  --results FILE.json    results list [{video_id, score, category_id, segmentations}]\n"
       "  --protocol P           videocutler (default: GT untouched, useCats=0), autoq (GT categories\n"
       "                         collapsed to 1, useCats=1) or classaware\n"
       "  --threads N            worker threads (default: runtime.threads; 0 = all cores)\n"
       "  --out FILE.json        also write the metrics there as one JSON object\n"
       "  --json                 print one JSON object of fractions instead of the x100 table\n",
       {"gt", "results", "protocol", "threads", "out"}, {"json"}, runEvaluate},
      {"analyze-quality", "true mask IoU of predictions vs confidence and quality (Spearman, Pearson), oracle selection",
       "options:\n  --gt FILE.json         ground truth\n"
       "  --results FILE.json    predictions with score and per-frame pred_iou\n"
       "  --pred-iou-key KEY     per-frame predicted-IoU field (default pred_iou)\n"
       "  --threshold T          practical limit: keep frames whose true IoU >= T (default 0.5)\n"
       "  --oracle-out FILE.json write the practical-limit pseudo-labels (YouTube-VIS, frame_values true_iou)\n"
       "  --threads N            worker threads (default: runtime.threads; 0 = all cores)\n"
       "  --json                 print one JSON object instead of text\n",
       {"gt", "results", "pred-iou-key", "threshold", "oracle-out", "threads"}, {"json"}, runAnalyzeQuality},
      {"pseudo-labels", "one self-training round's pseudo-label selection: NMS, tau, merge into the previous state",
       "options:\n  --dataset FILE.json    the videos (YouTube-VIS dataset; frame names relative to its frame root)\n"
       "  --results FILE.json    this round's predictions (from predict: score and per-frame pred_iou)\n"
       "  --previous-state FILE  the previous round's state (object_based_results_<r>.json; none in round 0)\n"
       "  --tau T                quality threshold (default: the --overrides file's tau, else\n"
       "                         selftrain.quality_threshold)\n"
       "  --overrides FILE       selection file: tau and a person's accept/reject decisions\n"
       "  --round N              round number recorded in the outputs\n"
       "  --keep-marked-over-empty  a merge keeps a marked old mask where the new prediction is empty\n"
       "  --out FILE.json        pseudo-label dataset to write\n"
       "  --state-out FILE.json  round state to write\n",
       {"dataset", "results", "previous-state", "tau", "overrides", "round", "out", "state-out"},
       {"keep-marked-over-empty"}, runPseudoLabels},
      {"predict", "run the VIS model over videos: a YouTube-VIS results list with per-frame pred_iou and quality",
       "options:\n  --weights FILE         model weights: detectron2 .pth (model options from --config) or native .pt\n"
       "  --dataset FILE.json    predict every video of a YouTube-VIS dataset ...\n"
       "  --frames DIR           ... whose frames are under DIR (default: JPEGImages beside the JSON);\n"
       "                         without --dataset: one video stored as a folder of frames\n"
       "  --video FILE           one video file\n"
       "  --out FILE.json        results list to write\n"
       "  --top-k N              instances per video (default 10)\n"
       "  --chunk-frames N       frames per backbone pass and per mask pass (memory vs speed; default 8)\n"
       "  device: --set runtime.device=auto|cpu|cuda; threads: --set runtime.threads=N\n",
       {"weights", "dataset", "frames", "video", "out", "top-k", "chunk-frames"}, {}, runPredict},
      {"train", "train one stage: initial (VIS model + quality head on synthetic videos) or a round (pseudo-labels)",
       "options:\n  --workdir DIR          metrics.jsonl, checkpoints/ and model_final.{pth,pt} go here\n"
       "  --stage S              initial (default; initial_training options) or round (round_training)\n"
       "  --weights FILE         start from these weights (.pth or .pt), e.g. a VideoCutLER checkpoint\n"
       "  --resume               continue exactly from the last checkpoint in --workdir\n"
       "  --pseudo-labels FILE   round: YouTube-VIS pseudo-label dataset (mixed with synthetic videos)\n"
       "  --frames DIR           round: frame root of the pseudo-labelled videos (default: data.unlabeled_frames)\n"
       "  --nproc N              data-parallel: N processes on this machine (Gloo on CPU, NCCL on GPUs);\n"
       "                         batch_size is the total over processes\n"
       "  --rank R --world-size W --master-addr A --master-port P\n"
       "                         one process of a multi-machine job (default: RANK, WORLD_SIZE, MASTER_ADDR,\n"
       "                         MASTER_PORT, LOCAL_RANK from the environment)\n",
       {"workdir", "stage", "weights", "pseudo-labels", "frames", "nproc", "rank", "world-size", "master-addr",
        "master-port"}, {"resume"}, runTrain},
      {"convert-weights", "convert model weights between detectron2 .pth and the native .pt format",
       "options:\n  --weights FILE         weights to read (.pth or .pt)\n"
       "  --out FILE             weights to write; the extension picks the format (.pth or .pt)\n",
       {"weights", "out"}, {}, runConvertWeights},
      {"run", "run a workspace's remaining stages: stage 1, the self-training rounds, the final pseudo-labels",
       "options:\n  --workspace DIR        the project folder (created from --config / --set when missing)\n"
       "  --until STAGE          stop after this stage (initial, round-1 .. round-N, final)\n"
       "  --from STAGE           redo this stage and every later one (needed to change the\n"
       "                         configuration under a finished stage)\n"
       "  --nproc N              data-parallel: N processes on this machine (prediction sharded,\n"
       "                         training as train --nproc)\n"
       "  --rank R --world-size W --master-addr A --master-port P   one process of a multi-machine job\n",
       {"workspace", "until", "from", "nproc", "rank", "world-size", "master-addr", "master-port"}, {}, runRun},
      {"export", "write a workspace stage's pseudo-labelled set (YouTube-VIS JSON or DAVIS palette PNGs)",
       "options:\n  --workspace DIR        the project folder\n"
       "  --stage S              the stage (default: the latest with pseudo-labels, final when done)\n"
       "  --format F             ytvis (one JSON; frame names relative to data.unlabeled_frames) or davis\n"
       "  --out PATH             the JSON file (ytvis) or folder (davis) to write\n",
       {"workspace", "stage", "format", "out"}, {}, runExport},
      {"init", "create a workspace (project folder with project.yaml and state.json) from a config",
       "options:\n  --workspace DIR        folder to create (must not hold a project yet)\n", {"workspace"}, {}, runInit},
      {"status", "a workspace's stages: finished steps, accepted pseudo-labels, validation AP, best round",
       "options:\n  --workspace DIR        the workspace\n  --json                 print one JSON object\n", {"workspace"},
       {"json"}, runStatus},
      {"config", "print (or write) the effective configuration as commented YAML",
       "options:\n  --out FILE.yaml        write it there instead of printing\n", {"out"}, {}, runConfig},
  };
  return table;
}

Config loadConfigFromArguments(const Arguments& args, const std::string& default_preset) {
  const std::string name = args.value("config").value_or(default_preset);
  Config config;
  const auto presets = presetNames();
  if (std::filesystem::is_regular_file(name)) {
    config = loadConfig(name);
  } else if (std::find(presets.begin(), presets.end(), name) != presets.end()) {
    config = parseConfig(presetYaml(name), "preset " + name);
  } else if (std::filesystem::exists(name)) {
    throw Error("not a config file", inFile(name));
  } else {
    std::string known;
    for (const auto& preset : presets) known += " " + preset;
    throw Error("no such config file or built-in preset (presets:" + known + ")", inFile(name));
  }
  for (const auto& assignment : args.values("set")) applyOverride(config, assignment);
  setLogLevel(parseLogLevel(config.runtime.log_level));
  if (auto level = args.value("log-level")) setLogLevel(parseLogLevel(*level));
  setTorchThreads(config.runtime.threads);
  return config;
}

namespace {

// Each controller event becomes one --progress=jsonl line (schema in the README); the command's own
// handlers (e.g. a metrics printer) still run first.
JobEvents consoleEvents(JobEvents own, ConsoleProgress& console) {
  JobEvents events = own;
  auto line = [&console](nlohmann::json object) {
    console.event(object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  };
  events.started = [own, line](const std::string& job) {
    if (own.started) own.started(job);
    line({{"event", "started"}, {"job", job}});
  };
  events.progress = [own, progress = console.callback()](const Progress& p) {
    if (own.progress) own.progress(p);
    progress(p);
  };
  events.metrics = [own, line](const IterationMetrics& m) {
    if (own.metrics) own.metrics(m);
    nlohmann::json object = iterationMetricsToJson(m);
    object["event"] = "metrics";
    line(object);
  };
  events.artifact = [own, line](const std::filesystem::path& path) {
    if (own.artifact) own.artifact(path);
    line({{"event", "artifact"}, {"path", path.string()}});
  };
  return events;
}

}  // namespace

void runController(Controller& controller, Environment& env) {
  JobEvents events = consoleEvents(controller.events(), env.progress);
  const std::string job = controller.jobName();
  events.ended = [&env, job](const JobResult& result) {
    env.progress.finish();
    nlohmann::json object = {{"event", outcomeName(result.outcome)}, {"job", job}};
    if (!result.message.empty()) object["message"] = result.message;
    env.progress.event(object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  };
  const JobEvents own = controller.events();
  controller.setEvents(events);
  controller.setStopToken(env.stop);
  const JobResult result = controller.execute();
  controller.setEvents(own);
  if (result.outcome == JobOutcome::Stopped) throw StoppedError();
  if (result.outcome == JobOutcome::Failed) throw JobFailed(result.message);
}

int runConfig(const Arguments& args, Environment&) {
  const Config config = loadConfigFromArguments(args);
  if (auto out = args.value("out")) {
    saveConfig(config, *out);
    logInfo("wrote " + *out);
  } else {
    std::fputs(configToYaml(config).c_str(), stdout);
  }
  return 0;
}

}  // namespace autoqvis::cli
