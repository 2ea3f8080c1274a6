#include "widgets/training/training_panel.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include "widgets/training/stage_ap_plot.h"
#include "widgets/training/training_curves.h"
#include "widgets/training/training_progress.h"

namespace autoqvis::widgets {

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
  setObjectName("trainingPanel");
  run_stage1_ = makeAction("Run stage &1", "runStage1",
                           "Train the VIS model and the quality head on the synthetic videos (stage 1)");
  run_next_ = makeAction("Run &next round", "runNextRound",
                         "Run up to the end of the next self-training round (predict, select, train, evaluate)");
  run_all_ = makeAction("Run &all rounds", "runAll", "Run every remaining stage unattended, as headless `run` does");
  stop_ = makeAction("&Stop", "stop", "Stop at the next step; the stage resumes exactly where it stopped");
  continue_ = makeAction("&Continue", "continue", "Commit the reviewed selection and train the round on it");
  continue_->setVisible(false);

  auto* buttons = new QHBoxLayout;
  for (QAction* action : {run_stage1_, run_next_, run_all_, stop_, continue_}) {
    auto* button = new QToolButton;
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    buttons->addWidget(button);
  }
  buttons->addSpacing(12);
  overlay_ = new QCheckBox("Overlay stages by iteration");
  overlay_->setObjectName("overlayStages");
  overlay_->setChecked(QSettings().value("training/overlay", false).toBool());
  buttons->addWidget(overlay_);
  log_scale_ = new QCheckBox("Log scale");
  log_scale_->setObjectName("logScale");
  log_scale_->setChecked(QSettings().value("training/logScale", true).toBool());
  buttons->addWidget(log_scale_);
  buttons->addSpacing(12);
  buttons->addWidget(new QLabel("Smoothing"));
  smoothing_ = new QSlider(Qt::Horizontal);
  smoothing_->setObjectName("smoothing");
  smoothing_->setRange(0, 99);
  smoothing_->setMinimumWidth(90);
  smoothing_->setMaximumWidth(140);
  smoothing_->setValue(QSettings().value("training/smoothing", 60).toInt());
  smoothing_label_ = new QLabel;
  smoothing_label_->setMinimumWidth(32);
  buttons->addWidget(smoothing_);
  buttons->addWidget(smoothing_label_);
  buttons->addStretch(1);

  summary_ = new QLabel("No workspace open: File → New project… or Open workspace…");
  summary_->setObjectName("trainingSummary");
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  curves_ = new TrainingCurves;
  ap_plot_ = new StageApPlot;
  plots_ = new QSplitter(Qt::Horizontal);
  plots_->addWidget(curves_);
  plots_->addWidget(ap_plot_);
  ap_plot_->setMinimumWidth(260);
  ap_plot_->setMaximumWidth(380);
  plots_->setStretchFactor(0, 3);
  plots_->setStretchFactor(1, 1);
  progress_ = new TrainingProgress;

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(buttons);
  layout->addWidget(summary_);
  layout->addWidget(plots_, 1);
  layout->addWidget(progress_);

  const auto apply_layout = [this](bool overlay) {
    curves_->setLayout(overlay ? TrainingCurves::Layout::Overlaid : TrainingCurves::Layout::Sequential);
    QSettings().setValue("training/overlay", overlay);
  };
  connect(overlay_, &QCheckBox::toggled, this, apply_layout);
  apply_layout(overlay_->isChecked());
  const auto apply_log = [this](bool on) {
    curves_->setLogScale(on);
    QSettings().setValue("training/logScale", on);
  };
  connect(log_scale_, &QCheckBox::toggled, this, apply_log);
  apply_log(log_scale_->isChecked());
  const auto apply_smoothing = [this](int value) {
    curves_->setSmoothing(value / 100.0);
    smoothing_label_->setText(QString::number(value / 100.0, 'f', 2));
    QSettings().setValue("training/smoothing", value);
  };
  connect(smoothing_, &QSlider::valueChanged, this, apply_smoothing);
  apply_smoothing(smoothing_->value());
  setValidationAvailable(false);
}

QAction* TrainingPanel::makeAction(const QString& text, const QString& name, const QString& tip) {
  auto* action = new QAction(text, this);
  action->setObjectName(name);
  action->setToolTip(tip);
  action->setStatusTip(tip);
  action->setEnabled(false);
  return action;
}

void TrainingPanel::setSummary(const QString& text) { summary_->setText(text); }

void TrainingPanel::setValidationAvailable(bool available) { ap_plot_->setVisible(available); }

}  // namespace autoqvis::widgets
