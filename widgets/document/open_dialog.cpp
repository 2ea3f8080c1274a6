#include "widgets/document/open_dialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QVBoxLayout>

namespace autoqvis::widgets {

namespace {

const char kJsonFilter[] = "JSON files (*.json);;All files (*)";
const char kVideoFilter[] = "Videos (*.mp4 *.mkv *.avi *.mov *.webm *.m4v *.mpg *.mpeg);;All files (*)";

QString toQString(const std::filesystem::path& path) { return QString::fromStdString(path.string()); }
std::filesystem::path toPath(const QString& text) {
  return std::filesystem::path(text.trimmed().toStdString());
}

}  // namespace

OpenDialog::OpenDialog(QWidget* parent, Mode mode) : QDialog(parent) {
  setWindowTitle("Open");
  setObjectName("openDialog");
  auto* layout = new QVBoxLayout(this);
  dataset_mode_ = new QRadioButton("A YouTube-VIS dataset (JSON + frame folders)");
  video_mode_ = new QRadioButton("A video file");
  layout->addWidget(dataset_mode_);
  layout->addWidget(video_mode_);

  dataset_edit_ = new QLineEdit;
  dataset_edit_->setObjectName("datasetEdit");
  frames_edit_ = new QLineEdit;
  frames_edit_->setObjectName("framesEdit");
  video_edit_ = new QLineEdit;
  video_edit_->setObjectName("videoEdit");
  results_edit_ = new QLineEdit;
  results_edit_->setObjectName("resultsEdit");

  // One form, so that the fields line up; rows of the other mode are hidden.
  form_ = new QFormLayout;
  form_->addRow("Dataset JSON:", pathRow(dataset_edit_, "Dataset JSON", false, kJsonFilter));
  form_->addRow("Frames folder:", pathRow(frames_edit_, "Frames folder", true, {}));
  form_->addRow("Video file:", pathRow(video_edit_, "Video file", false, kVideoFilter));
  form_->addRow("Results JSON:", pathRow(results_edit_, "Results or pseudo-label JSON", false, kJsonFilter));
  layout->addLayout(form_);

  error_label_ = new QLabel;
  error_label_->setObjectName("openError");
  error_label_->setStyleSheet("color: #c0392b;");
  error_label_->setWordWrap(true);
  layout->addWidget(error_label_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel);
  connect(buttons, &QDialogButtonBox::accepted, this, &OpenDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);

  QSettings settings;
  dataset_edit_->setText(settings.value("open/dataset").toString());
  frames_edit_->setText(settings.value("open/frames").toString());
  video_edit_->setText(settings.value("open/video").toString());
  results_edit_->setText(settings.value("open/results").toString());
  (mode == Mode::Dataset ? dataset_mode_ : video_mode_)->setChecked(true);
  connect(dataset_mode_, &QRadioButton::toggled, this, &OpenDialog::updateMode);
  connect(dataset_edit_, &QLineEdit::textChanged, this, &OpenDialog::updateFramesHint);
  updateMode();
  updateFramesHint();
  resize(640, sizeHint().height());
}

QWidget* OpenDialog::pathRow(QLineEdit* edit, const QString& title, bool directory, const QString& filter) {
  auto* row = new QWidget;
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit, 1);
  auto* browse = new QPushButton("Browse…");
  layout->addWidget(browse);
  connect(browse, &QPushButton::clicked, this, [this, edit, title, directory, filter] {
    const QString start = edit->text().isEmpty() ? QString() : QFileInfo(edit->text()).absolutePath();
    const QString chosen = directory ? QFileDialog::getExistingDirectory(this, title, edit->text())
                                     : QFileDialog::getOpenFileName(this, title, start, filter);
    if (!chosen.isEmpty()) edit->setText(chosen);
  });
  return row;
}

void OpenDialog::updateMode() {
  const bool dataset = dataset_mode_->isChecked();
  form_->setRowVisible(dataset_edit_->parentWidget(), dataset);
  form_->setRowVisible(frames_edit_->parentWidget(), dataset);
  form_->setRowVisible(video_edit_->parentWidget(), !dataset);
  results_edit_->setPlaceholderText(dataset ? "optional: predictions or pseudo-labels (else the annotations)"
                                            : "optional: results whose video_id names this video");
  error_label_->clear();
}

void OpenDialog::updateFramesHint() {
  const QString dataset = dataset_edit_->text().trimmed();
  frames_edit_->setPlaceholderText(dataset.isEmpty()
                                       ? "default: JPEGImages beside the dataset JSON"
                                       : "default: " + toQString(defaultFramesRoot(toPath(dataset))));
}

void OpenDialog::setRequest(const OpenRequest& request) {
  (request.video_file.empty() ? dataset_mode_ : video_mode_)->setChecked(true);
  if (!request.dataset.empty()) dataset_edit_->setText(toQString(request.dataset));
  frames_edit_->setText(toQString(request.frames_root));
  if (!request.video_file.empty()) video_edit_->setText(toQString(request.video_file));
  results_edit_->setText(toQString(request.results));
}

OpenRequest OpenDialog::request() const {
  OpenRequest request;
  if (dataset_mode_->isChecked()) {
    request.dataset = toPath(dataset_edit_->text());
    request.frames_root = toPath(frames_edit_->text());
  } else {
    request.video_file = toPath(video_edit_->text());
  }
  request.results = toPath(results_edit_->text());
  return request;
}

QString OpenDialog::problem() const {
  auto missing = [](const QLineEdit* edit, bool directory) {
    const QFileInfo info(edit->text().trimmed());
    return !info.exists() || (directory ? !info.isDir() : !info.isFile());
  };
  if (dataset_mode_->isChecked()) {
    if (dataset_edit_->text().trimmed().isEmpty()) return "Choose the dataset JSON.";
    if (missing(dataset_edit_, false)) return "The dataset JSON does not exist: " + dataset_edit_->text();
    if (!frames_edit_->text().trimmed().isEmpty() && missing(frames_edit_, true)) {
      return "The frames folder does not exist: " + frames_edit_->text();
    }
  } else {
    if (video_edit_->text().trimmed().isEmpty()) return "Choose the video file.";
    if (missing(video_edit_, false)) return "The video file does not exist: " + video_edit_->text();
  }
  if (!results_edit_->text().trimmed().isEmpty() && missing(results_edit_, false)) {
    return "The results JSON does not exist: " + results_edit_->text();
  }
  return {};
}

void OpenDialog::accept() {
  const QString why = problem();
  if (!why.isEmpty()) {
    error_label_->setText(why);
    return;
  }
  QSettings settings;
  if (dataset_mode_->isChecked()) {
    settings.setValue("open/dataset", dataset_edit_->text().trimmed());
    settings.setValue("open/frames", frames_edit_->text().trimmed());
  } else {
    settings.setValue("open/video", video_edit_->text().trimmed());
  }
  settings.setValue("open/results", results_edit_->text().trimmed());
  QDialog::accept();
}

}  // namespace autoqvis::widgets
