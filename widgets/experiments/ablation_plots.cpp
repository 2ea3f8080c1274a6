#include "widgets/experiments/ablation_plots.h"

#include <qcustomplot.h>

#include <optional>
#include <string>

#include "core/experiments/ablation_report.h"
#include "core/util/error.h"

namespace autoqvis {
namespace {

struct Point {
  double x;
  std::optional<MeanStd> ours;
  double paper;
};

std::optional<MeanStd> stage1AP50(const nlohmann::json& results) {
  const nlohmann::json& s = results.value("stage1", nlohmann::json::object());
  if (!s.contains("AP50")) return std::nullopt;
  return MeanStd{s["AP50"].get<double>(), 0, 1};
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

std::filesystem::path savePlot(const std::vector<Point>& points, const QString& title, const QString& x_label,
                               const std::filesystem::path& file) {
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
                                     {1, cellMetric(results, "full", "round-1", "AP50"), 51.3},
                                     {2, cellMetric(results, "full", "round-2", "AP50"), 52.6},
                                     {3, cellMetric(results, "full", "round-3", "AP50"), 52.0}};
  if (asked(results, 4) && anyOurs(rounds)) {
    written.push_back(savePlot(rounds, "AP50 per self-training round (0 = stage 1)", "rounds",
                               folder / "ablation_rounds.png"));
  }
  const std::vector<Point> taus = {{0.50, cellMetric(results, "tau_0.50", "round-2", "AP50"), 52.4},
                                   {0.75, cellMetric(results, "full", "round-2", "AP50"), 52.6},
                                   {0.85, cellMetric(results, "tau_0.85", "round-2", "AP50"), 48.8},
                                   {0.95, cellMetric(results, "tau_0.95", "round-2", "AP50"), 48.7}};
  if (asked(results, 5) && anyOurs(taus)) {
    written.push_back(savePlot(taus, "AP50 after 2 rounds per quality threshold τ", "τ", folder / "ablation_tau.png"));
  }
  return written;
}

}  // namespace autoqvis
