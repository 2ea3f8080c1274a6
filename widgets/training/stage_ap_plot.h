// Validation AP50 and AP per stage (QCustomPlot bars, percent), shown when the workspace has a labelled
// validation set: how the rounds compare at a glance.
#pragma once

#include <QString>
#include <QWidget>
#include <optional>
#include <vector>

class QCustomPlot;

namespace autoqvis::widgets {

struct StageScore {
  QString stage;
  std::optional<double> AP50, AP;  ///< fractions in [0, 1]; absent until the stage is evaluated
};

class StageApPlot : public QWidget {
  Q_OBJECT

 public:
  explicit StageApPlot(QWidget* parent = nullptr);
  void setScores(std::vector<StageScore> scores);
  const std::vector<StageScore>& scores() const { return scores_; }
  QCustomPlot* plot() const { return plot_; }

 private:
  QCustomPlot* plot_ = nullptr;
  std::vector<StageScore> scores_;
};

}  // namespace autoqvis::widgets
