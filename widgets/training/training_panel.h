// The training dock's contents: the run actions (Run stage 1, Run next round, Run all rounds, Stop, and
// Continue after a review pause) as QActions that the window's Run menu shares, the training curves with
// their layout toggle and smoothing slider, the AP-per-stage plot (when a validation set exists) and the
// progress line. It only shows and asks: the page that owns it runs the jobs.
#pragma once

#include <QWidget>

class QAction;
class QCheckBox;
class QLabel;
class QSlider;
class QSplitter;

namespace autoqvis::widgets {

class StageApPlot;
class TrainingCurves;
class TrainingProgress;

class TrainingPanel : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingPanel(QWidget* parent = nullptr);

  QAction* runStage1Action() const { return run_stage1_; }
  QAction* runNextRoundAction() const { return run_next_; }
  QAction* runAllAction() const { return run_all_; }
  QAction* stopAction() const { return stop_; }
  QAction* continueAction() const { return continue_; }

  TrainingCurves* curves() const { return curves_; }
  StageApPlot* apPlot() const { return ap_plot_; }
  TrainingProgress* progress() const { return progress_; }
  QCheckBox* overlayToggle() const { return overlay_; }
  QSlider* smoothingSlider() const { return smoothing_; }

  /// The workspace line above the curves, e.g. "demo-out · next: round-1".
  void setSummary(const QString& text);
  /// Shows or hides the AP plot (only meaningful with a validation set).
  void setValidationAvailable(bool available);

 private:
  QAction* makeAction(const QString& text, const QString& name, const QString& tip);

  QAction* run_stage1_ = nullptr;
  QAction* run_next_ = nullptr;
  QAction* run_all_ = nullptr;
  QAction* stop_ = nullptr;
  QAction* continue_ = nullptr;
  QLabel* summary_ = nullptr;
  QCheckBox* overlay_ = nullptr;
  QCheckBox* log_scale_ = nullptr;
  QSlider* smoothing_ = nullptr;
  QLabel* smoothing_label_ = nullptr;
  QSplitter* plots_ = nullptr;
  TrainingCurves* curves_ = nullptr;
  StageApPlot* ap_plot_ = nullptr;
  TrainingProgress* progress_ = nullptr;
};

}  // namespace autoqvis::widgets
