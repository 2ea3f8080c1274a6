// File > Open: a YouTube-VIS dataset (JSON + frames folder) or a plain video file, optionally with a
// results or pseudo-label JSON on top. Remembers the last paths (QSettings).
#pragma once

#include <QDialog>

#include "widgets/document/viewer_document.h"

class QLineEdit;
class QRadioButton;
class QLabel;
class QDialogButtonBox;
class QFormLayout;

namespace autoqvis::widgets {

class OpenDialog : public QDialog {
  Q_OBJECT

 public:
  enum class Mode { Dataset, VideoFile };

  explicit OpenDialog(QWidget* parent = nullptr, Mode mode = Mode::Dataset);

  /// Prefills the fields (e.g. with what is open now).
  void setRequest(const OpenRequest& request);
  OpenRequest request() const;

  void accept() override;

 private:
  QWidget* pathRow(QLineEdit* edit, const QString& title, bool directory, const QString& filter);
  void updateMode();
  void updateFramesHint();
  QString problem() const;

  QRadioButton* dataset_mode_ = nullptr;
  QRadioButton* video_mode_ = nullptr;
  QLineEdit* dataset_edit_ = nullptr;
  QLineEdit* frames_edit_ = nullptr;
  QLineEdit* video_edit_ = nullptr;
  QLineEdit* results_edit_ = nullptr;
  QLabel* error_label_ = nullptr;
  QFormLayout* form_ = nullptr;
};

}  // namespace autoqvis::widgets
