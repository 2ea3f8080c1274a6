// File → New project…: asks for the synthetic source (stills + COCO pseudo-masks), the unlabeled videos
// (a YouTube-VIS frame folder + JSON, or a folder of video files imported through FFmpeg), an optional labelled validation set, the initial weights (.pth or
// .pt, or none), a preset and the device — or the embedded toy world instead of the data. "Create" checks
// every input off the GUI thread (checkProjectInputs) and accepts only when nothing is wrong; each problem
// names its file and is shown beside its field. The equivalent `autoqvis --headless init` line is shown
// as the person types.
#pragma once

#include <QDialog>
#include <QMap>
#include <vector>

#include "core/selftrain/project_setup.h"

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QGroupBox;

namespace autoqvis::widgets {

class NewProjectDialog : public QDialog {
  Q_OBJECT

 public:
  explicit NewProjectDialog(QWidget* parent = nullptr);

  ProjectInputs inputs() const;
  void setInputs(const ProjectInputs& inputs);
  /// The problems of the last check (empty after a successful one).
  const std::vector<InputProblem>& problems() const { return problems_; }
  bool isChecking() const { return checking_; }

 public slots:
  /// Checks the inputs in the background; accepts the dialog when there is no problem.
  void checkAndAccept();

 signals:
  /// A check ended (ok: no problem).
  void checked(bool ok);

 private:
  QLineEdit* addPathRow(QFormLayout* form, const QString& label, const QString& input, bool folder,
                        const QString& filter);
  void updateModeAndCommand();
  void showProblems();

  QLineEdit* workspace_ = nullptr;
  QRadioButton* toy_world_ = nullptr;
  QRadioButton* own_data_ = nullptr;
  QGroupBox* data_box_ = nullptr;
  QMap<QString, QLineEdit*> paths_;  ///< by ProjectInputs field name
  QComboBox* preset_ = nullptr;
  QComboBox* device_ = nullptr;
  QLabel* command_ = nullptr;
  QLabel* problems_label_ = nullptr;
  QPushButton* create_ = nullptr;
  std::vector<InputProblem> problems_;
  bool checking_ = false;
};

}  // namespace autoqvis::widgets
