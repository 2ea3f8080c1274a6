// `evaluate` (YouTube-VIS AP/AR, the official numbers) and `analyze-quality` (true IoU vs confidence and
// quality, the oracle practical-limit selection) as headless commands.
#include <iostream>

#include "app/headless/command.h"
#include "core/eval/quality_analysis.h"
#include "core/eval/ytvis_eval.h"
#include "core/util/atomic_file.h"
#include "core/util/log.h"

namespace autoqvis::cli {
namespace {

EvalProtocol protocolArgument(const Arguments& args) {
  const std::string name = args.value("protocol").value_or("videocutler");
  try {
    return parseEvalProtocol(name);
  } catch (const Error&) {
    throw UsageError("--protocol must be videocutler, autoq or classaware, got '" + name + "'");
  }
}

// --threads, defaulting to runtime.threads of the config (0 = every core).
int threadsArgument(const Arguments& args, const Config& config) {
  const int threads = args.intValue("threads", config.runtime.threads);
  if (threads < 0) throw UsageError("--threads must be 0 (all cores) or more");
  return threads;
}

}  // namespace

int runEvaluate(const Arguments& args, Environment& env) {
  const Config config = loadConfigFromArguments(args);
  const EvalProtocol protocol = protocolArgument(args);
  const int threads = threadsArgument(args, config);
  const std::string gt_path = args.required("gt");
  const std::string results_path = args.required("results");
  const YtvisDataset gt = loadYtvisDataset(gt_path);
  // Official tolerance: results shorter or longer than their video, or of another mask size, are
  // compared on their common frames exactly as the official evaluator does.
  const std::vector<YtvisTrack> results = loadYtvisResults(results_path, &gt, ResultsCheck::Official);

  YtvisEvaluator evaluator(gt, results, {protocol, threads});
  runController(evaluator, env);
  const std::string json = metricsToJson(evaluator.metrics());
  if (auto out = args.value("out")) {
    writeFileAtomically(*out, json + "\n");
    logInfo("wrote " + *out);
  }
  if (args.flag("json")) {
    std::cout << json << "\n";
  } else {
    std::cout << formatMetricsTable(
        evaluator.metrics(), results_path + " (" + std::to_string(results.size()) + " results, protocol " +
                                 protocolName(protocol) + ")");
  }
  return 0;
}

int runAnalyzeQuality(const Arguments& args, Environment& env) {
  const Config config = loadConfigFromArguments(args);
  QualityAnalysisOptions options;
  options.threads = threadsArgument(args, config);
  options.pred_iou_key = args.value("pred-iou-key").value_or(options.pred_iou_key);
  options.oracle_threshold = args.doubleValue("threshold", options.oracle_threshold);
  if (!(options.oracle_threshold >= 0.0 && options.oracle_threshold <= 1.0)) {
    throw UsageError("--threshold must be between 0 and 1");
  }
  const YtvisDataset gt = loadYtvisDataset(args.required("gt"));
  const std::vector<YtvisTrack> predictions =
      loadYtvisResults(args.required("results"), &gt, ResultsCheck::Official);

  QualityAnalyzer analyzer(gt, predictions, options);
  runController(analyzer, env);
  if (auto out = args.value("oracle-out")) {
    const YtvisDataset labels =
        selectPracticalLimit(gt, predictions, analyzer.result(), options.oracle_threshold);
    saveYtvisDataset(labels, *out);
    logInfo("wrote " + std::to_string(labels.annotations.size()) + " practical-limit pseudo-labels to " +
            *out);
  }
  if (args.flag("json")) {
    std::cout << qualityAnalysisToJson(analyzer.result(), options) << "\n";
  } else {
    std::cout << formatQualityAnalysis(analyzer.result(), options);
  }
  return 0;
}

}  // namespace autoqvis::cli
