// `pseudo-labels`: one self-training round's selection (method.md §7) from a results list and the
// previous round's state: the pseudo-label dataset and the new state, written atomically.
#include <iostream>

#include "app/headless/command.h"
#include "core/selftrain/pseudo_labels.h"
#include "core/selftrain/selection_file.h"
#include "core/util/log.h"

namespace autoqvis::cli {
int runPseudoLabels(const Arguments& args, Environment& env) {
  const Config config = loadConfigFromArguments(args);
  SelectionOptions options = selectionOptionsFor(config.selftrain);
  const std::string dataset_path = args.required("dataset");
  const std::string results_path = args.required("results");
  const std::string out_path = args.required("out");
  const std::string state_out_path = args.required("state-out");
  const YtvisDataset dataset = loadYtvisDataset(dataset_path);
  const std::vector<YtvisTrack> results = loadYtvisResults(results_path, &dataset);
  RoundState previous;
  SelectionInputs inputs{&dataset, dataset_path, &results, results_path, nullptr, ""};
  if (auto path = args.value("previous-state")) {
    previous = loadRoundState(*path, dataset);
    inputs.previous = &previous;
    inputs.previous_source = *path;
    options.round = 1;
  }
  // tau: --tau, else the selection file's, else selftrain.quality_threshold.
  SelectionFile selection;
  const std::string overrides_path = args.value("overrides").value_or("");
  if (!overrides_path.empty()) {
    selection = loadSelectionFile(overrides_path);
    options.tau = selection.tau;
    options.round = selection.round;
  }
  options.tau = args.doubleValue("tau", options.tau);
  if (!(options.tau >= 0.0 && options.tau <= 1.0)) throw UsageError("--tau must be between 0 and 1");
  options.round = args.intValue("round", options.round);
  options.keep_marked_over_empty = args.flag("keep-marked-over-empty");

  const PseudoLabelRound round = selectPseudoLabels(inputs, options, selection.overrides, overrides_path);
  savePseudoLabelRound(round, out_path, state_out_path);
  logInfo("wrote " + out_path + " and " + state_out_path);
  const SelectionResult::Counts& c = round.selection.counts;
  std::cout << "tau " << options.tau << ": accepted " << c.objects << " objects / " << c.frames << " frames / " << c.videos
            << " videos / " << c.labels << " labels; state " << c.state_videos << " videos / " << c.state_objects
            << " objects\n";
  return 0;
}

}  // namespace autoqvis::cli
