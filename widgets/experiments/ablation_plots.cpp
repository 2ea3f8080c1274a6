#include "widgets/experiments/ablation_plots.h"

#include <qcustomplot.h>

#include <optional>
#include <string>

#include "core/experiments/ablation_report.h"
#include "core/experiments/ablation_plan.h"
#include "core/experiments/paper_numbers.h"
#include "core/util/error.h"

namespace autoqvis {
namespace {

struct Point {
  double x;
  std::optional<MeanStd> ours;
  double paper;
};

std::optional<double> storedAP50(const nlohmann::json& results, const char* stage) {
  const nlohmann::json& s = results.value(stage, nlohmann::json::object());
  if (!s.contains("AP50")) return std::nullopt;
  return s["AP50"].get<double>();
}

std::optional<MeanStd> stage1AP50(const nlohmann::json& results) {
  const std::optional<double> ap50 = storedAP50(results, "stage1");
  if (!ap50) return std::nullopt;
  return MeanStd{*ap50, 0, 1};
}

// The starting points as horizontal lines, so a reader sees at a glance whether the rounds beat them
// (the paper's claim is relative to VideoCutLER, ours to the toy base model).
void addReference(QCustomPlot& plot, double ap50_percent, const QString& name, const QPen& pen) {
  const QCPRange x = plot.xAxis->range();
  QCPGraph* graph = plot.addGraph();
  graph->setName(name);
  graph->setPen(pen);
  graph->setData(QVector<double>{x.lower, x.upper}, QVector<double>{ap50_percent, ap50_percent});
}

void addOurs(QCustomPlot& plot, const std::vector<Point>& points) {
  QVector<double> x, y, err;
  for (const Point& p : points) {
    if (!p.ours) continue;
    x << p.x;
    y << 100 * p.ours->mean;
    err << 100 * p.ours->std;
  }
  QCPGraph* graph = plot.addGraph();
  graph->setName("ours: toy world (mean ± std over seeds)");
  graph->setPen(QPen(QColor(31, 119, 180), 2));
  graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 7));
  graph->setData(x, y);
  auto* bars = new QCPErrorBars(plot.xAxis, plot.yAxis);
  bars->removeFromLegend();
  bars->setDataPlottable(graph);
  bars->setData(err);
  bars->setPen(QPen(QColor(31, 119, 180)));
}

void addPaper(QCustomPlot& plot, const std::vector<Point>& points) {
  QVector<double> x, y;
  for (const Point& p : points) {
    if (p.paper < 0) continue;
    x << p.x;
    y << p.paper;
  }
  QCPGraph* graph = plot.addGraph();
  graph->setName("paper: YouTube-VIS 2019 val");
  graph->setPen(QPen(QColor(214, 39, 40), 2, Qt::DashLine));
  graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, 7));
  graph->setData(x, y);
}

bool anyOurs(const std::vector<Point>& points) {
  for (const Point& p : points) {
    if (p.ours) return true;
  }
  return false;
}

bool asked(const nlohmann::json& results, int table) {
  for (const nlohmann::json& t : results.value("tables", nlohmann::json::array())) {
    if (t.get<int>() == table) return true;
  }
  return false;
}

std::filesystem::path savePlot(const std::vector<Point>& points, std::optional<double> base_ap50, const QString& title,
                               const QString& x_label, double x_tick_step, const std::filesystem::path& file) {
  QCustomPlot plot;
  plot.resize(720, 460);
  plot.plotLayout()->insertRow(0);
  plot.plotLayout()->addElement(0, 0, new QCPTextElement(&plot, title, QFont("sans", 11, QFont::Bold)));
  addOurs(plot, points);
  addPaper(plot, points);
  plot.xAxis->setLabel(x_label);
  plot.yAxis->setLabel("validation AP50 (%)");
  plot.rescaleAxes();
  plot.xAxis->scaleRange(1.15, plot.xAxis->range().center());
  auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
  ticker->setTickStep(x_tick_step);
  plot.xAxis->setTicker(ticker);
  if (base_ap50) addReference(plot, 100 * *base_ap50, "ours: toy base model", QPen(QColor(31, 119, 180), 1, Qt::DotLine));
  addReference(plot, paper::kVideoCutler.ap50, "paper: VideoCutLER", QPen(QColor(214, 39, 40), 1, Qt::DotLine));
  plot.yAxis->setRange(0, std::max(60.0, plot.yAxis->range().upper + 8));
  plot.legend->setVisible(true);
  plot.axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
  if (!plot.savePng(QString::fromStdString(file.string()), 720, 460)) throw Error("cannot write the plot", inFile(file.string()));
  return file;
}

}  // namespace

std::vector<std::filesystem::path> renderAblationPlots(const nlohmann::json& results, const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> written;
  const std::vector<Point> rounds = {{0, stage1AP50(results), -1},
                                     {1, cellMetric(results, "full", "round-1", "AP50"), paper::kRounds[0].ap50},
                                     {2, cellMetric(results, "full", "round-2", "AP50"), paper::kRounds[1].ap50},
                                     {3, cellMetric(results, "full", "round-3", "AP50"), paper::kRounds[2].ap50}};
  if (asked(results, 4) && anyOurs(rounds)) {
    written.push_back(savePlot(rounds, storedAP50(results, "base"), "AP50 per self-training round (0 = stage 1)",
                               "rounds", 1.0, folder / "ablation_rounds.png"));
  }
  std::vector<Point> taus;
  for (const TauCell& c : kTable5Cells) {
    taus.push_back({c.value, cellMetric(results, c.cell, "round-2", "AP50"), c.paper.ap50});
  }
  if (asked(results, 5) && anyOurs(taus)) {
    written.push_back(savePlot(taus, storedAP50(results, "base"), "AP50 after 2 rounds per quality threshold τ", "τ",
                               0.05, folder / "ablation_tau.png"));
  }
  return written;
}

}  // namespace autoqvis
