#include "core/experiments/ablation_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/experiments/ablation_plan.h"
#include "core/experiments/paper_numbers.h"

namespace autoqvis {
namespace {

// "41.0 ± 1.4"; a cell with fewer finished seeds than asked for says how many it has.
std::string percentCell(const std::optional<MeanStd>& value, size_t seeds) {
  if (!value) return "not run";
  char text[64];
  if (value->n > 1) std::snprintf(text, sizeof(text), "%.1f ± %.1f", 100 * value->mean, 100 * value->std);
  else std::snprintf(text, sizeof(text), "%.1f", 100 * value->mean);
  std::string cell = text;
  if (value->n < seeds) cell += " (" + std::to_string(value->n) + " of " + std::to_string(seeds) + " seeds)";
  return cell;
}

std::string countCell(const std::optional<MeanStd>& value) {
  if (!value) return "-";
  char text[32];
  std::snprintf(text, sizeof(text), "%.0f", value->mean);
  return text;
}

std::string paperCell(double value) {
  char text[16];
  std::snprintf(text, sizeof(text), "%.1f", value);
  return text;
}

class Tables {
 public:
  explicit Tables(const nlohmann::json& results) : results_(results), seeds_(results["seeds"].get<size_t>()) {}

  void header(const std::string& title, const std::string& note) {
    out_ << "\n## " << title << "\n\n" << note << "\n\n"
         << "| row | cell / stage | AP50 | AP | paper AP50 | paper AP |\n|---|---|---|---|---|---|\n";
  }

  void row(const std::string& label, const std::string& cell, const std::string& stage,
           std::optional<paper::Score> paper_score) {
    out_ << "| " << label << " | " << cell << " / " << stage << " | " << percent(cell, stage, "AP50") << " | "
         << percent(cell, stage, "AP") << " | " << (paper_score ? paperCell(paper_score->ap50) : "-")
         << " | " << (paper_score ? paperCell(paper_score->ap) : "-") << " |\n";
  }

  void tauRow(const std::string& tau, const std::string& cell, paper::Score paper_score) {
    out_ << "| " << tau << " | " << cell << " / round-2 | " << percent(cell, "round-2", "AP50") << " | "
         << percent(cell, "round-2", "AP") << " | " << paperCell(paper_score.ap50) << " | "
         << paperCell(paper_score.ap) << " | " << countCell(metric(cell, "round-1", "objects")) << " / "
         << countCell(metric(cell, "round-1", "frames")) << " |\n";
  }

  std::ostringstream& out() { return out_; }

 private:
  std::optional<MeanStd> metric(const std::string& cell, const std::string& stage, const std::string& name) const {
    if (cell == "stage1" || cell == "base") {
      const nlohmann::json& s = results_.value(cell, nlohmann::json::object());
      if (!s.contains(name)) return std::nullopt;
      return MeanStd{s[name].get<double>(), 0, 1};
    }
    return cellMetric(results_, cell, stage, name);
  }

  std::string percent(const std::string& cell, const std::string& stage, const std::string& name) const {
    // Stage 1 and the base model are shared by every seed: one value, not a spread.
    return percentCell(metric(cell, stage, name), cell == "stage1" || cell == "base" ? 1 : seeds_);
  }

  const nlohmann::json& results_;
  size_t seeds_;
  std::ostringstream out_;
};

}  // namespace

std::optional<MeanStd> cellMetric(const nlohmann::json& results, const std::string& cell, const std::string& stage,
                                  const std::string& metric) {
  if (!results.contains("cells") || !results["cells"].contains(cell)) return std::nullopt;
  std::vector<double> values;
  for (const nlohmann::json& run : results["cells"][cell]["runs"]) {
    const nlohmann::json& stages = run["stages"];
    if (!stages.contains(stage) || !stages[stage].contains(metric)) continue;
    values.push_back(stages[stage][metric].get<double>());
  }
  if (values.empty()) return std::nullopt;
  MeanStd m;
  m.n = values.size();
  for (double v : values) m.mean += v / static_cast<double>(m.n);
  if (m.n > 1) {
    double squares = 0;
    for (double v : values) squares += (v - m.mean) * (v - m.mean);
    m.std = std::sqrt(squares / static_cast<double>(m.n - 1));
  }
  return m;
}

std::string ablationMarkdown(const nlohmann::json& results) {
  Tables t(results);
  const auto& tables = results["tables"];
  auto wants = [&tables](int table) { return std::find(tables.begin(), tables.end(), table) != tables.end(); };
  std::ostringstream& out = t.out();
  out << "# Ablations on the embedded toy world\n\n"
      << "Validation AP50 and AP in percent (class-agnostic YouTube-VIS protocol) on the toy world's validation videos, "
      << "mean ± sample standard deviation over " << results["seeds"].get<int>() << " seed(s) of the rounds' training "
      << "(every cell starts from the same stage-1 model). The paper's numbers are YouTube-VIS 2019 val "
      << "(arXiv:2512.06864v1, Tables 2-5; its VideoCutLER starting point: " << paperCell(paper::kVideoCutler.ap50)
      << " AP50 / " << paperCell(paper::kVideoCutler.ap) << " AP): compare the "
      << "directions, not the values. Compute: " << static_cast<int>(results.value("compute_seconds", 0.0) / 60)
      << " min of stage time in total.\n";
  if (wants(2)) {
    t.header("Table 2: practical and theoretical limits",
             "Practical limit: the same selection with Q replaced by the true IoU against the unlabeled videos' ground "
             "truth (τ 0.5); theoretical limit: one round trained on that ground truth itself.");
    t.row("base model (paper: VideoCutLER)", "base", "start", paper::kVideoCutler);
    t.row("stage 1", "stage1", "initial", std::nullopt);
    t.row("theoretical limit", "ground_truth", "round-1", paper::kTheoreticalLimit);
    t.row("practical limit", "oracle_iou", "round-2", paper::kPracticalLimit);
    t.row("AutoQ-VIS", "full", "round-2", paper::kAutoQVis);
  }
  if (wants(3)) {
    t.header("Table 3: components", "Each row changes one thing of the full method (2 rounds, τ 0.75).");
    t.row("w/o quality predictor (s, τ 0.85)", "no_quality", "round-2", paper::kWithoutQuality);
    t.row("w/o DropLoss", "no_droploss", "round-2", paper::kWithoutDropLoss);
    t.row("w/o resetting each round", "no_reset", "round-2", paper::kWithoutReset);
    t.row("AutoQ-VIS", "full", "round-2", paper::kAutoQVis);
    t.row("stage 1", "stage1", "initial", std::nullopt);
    t.row("base model (paper: VideoCutLER)", "base", "start", paper::kVideoCutler);
  }
  if (wants(4)) {
    t.header("Table 4: self-training rounds", "The full method's rounds, one run per seed.");
    t.row("base model (paper: VideoCutLER)", "base", "start", paper::kVideoCutler);
    t.row("0 (stage 1)", "stage1", "initial", std::nullopt);
    t.row("1", "full", "round-1", paper::kRounds[0]);
    t.row("2", "full", "round-2", paper::kRounds[1]);
    t.row("3", "full", "round-3", paper::kRounds[2]);
  }
  if (wants(5)) {
    out << "\n## Table 5: quality threshold τ\n\nThe full method at four τ; the last column is what round 1 accepted "
        << "(objects / frames, mean over seeds).\n\n"
        << "| τ | cell / stage | AP50 | AP | paper AP50 | paper AP | round-1 accepted |\n|---|---|---|---|---|---|---|\n";
    for (const TauCell& c : kTable5Cells) t.tauRow(c.tau, c.cell, c.paper);
  }
  return out.str();
}

}  // namespace autoqvis
