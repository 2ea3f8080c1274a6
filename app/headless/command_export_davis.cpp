#include "app/headless/command.h"
#include "core/export/davis_export.h"
#include "core/util/log.h"

namespace autoqvis::cli {

int runExportDavis(const Arguments& args, Environment& env) {
  loadConfigFromArguments(args);
  const YtvisDataset dataset = loadYtvisDataset(args.required("dataset"));
  const std::string out = args.required("out");
  std::vector<YtvisTrack> results;
  const bool from_results = args.value("results").has_value();
  if (from_results) results = loadYtvisResults(*args.value("results"), &dataset);
  DavisExportOptions options;
  options.min_score = args.doubleValue("min-score", 0.0);
  DavisExporter exporter(dataset, from_results ? results : dataset.annotations, out, options);
  runController(exporter, env);
  logInfo("wrote " + std::to_string(exporter.framesWritten()) + " palette PNGs of " +
          std::to_string(exporter.tracksWritten()) + " tracks to " + out);
  return 0;
}

}  // namespace autoqvis::cli
