// Validation AP50 and AP per stage (QCustomPlot bars, percent), shown when the workspace has a labelled
// validation set: how the rounds compare at a glance.
#pragma once

#include <QString>
#include <QWidget>
#include <optional>
#include <vector>

class QCustomPlot;
class QShowEvent;

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
  /// Sets one stage's score (a stage just evaluated); a new stage goes after the others.
  void setScore(const StageScore& score);
  const std::vector<StageScore>& scores() const { return scores_; }
  QCustomPlot* plot() const { return plot_; }

 protected:
  /// A plot changed while hidden (a dock tab in the back) is drawn when it is shown.
  void showEvent(QShowEvent* event) override;

 private:
  QCustomPlot* plot_ = nullptr;
  std::vector<StageScore> scores_;
};

}  // namespace autoqvis::widgets
