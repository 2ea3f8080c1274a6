#include "widgets/project/new_project_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>
#include <memory>

namespace autoqvis::widgets {

namespace fs = std::filesystem;

namespace {

fs::path pathOf(const QLineEdit* edit) { return fs::path(edit->text().trimmed().toStdString()); }

// A sibling default a person rarely changes: JPEGImages beside a YouTube-VIS JSON, images/ beside the
// stills' COCO JSON.
void fillSibling(QLineEdit* json, QLineEdit* folder, const QString& name) {
  QObject::connect(json, &QLineEdit::editingFinished, folder, [json, folder, name] {
    const QFileInfo info(json->text().trimmed());
    const QString sibling = info.dir().filePath(name);
    if (folder->text().trimmed().isEmpty() && QFileInfo(sibling).isDir()) folder->setText(sibling);
  });
}

}  // namespace

NewProjectDialog::NewProjectDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle("New project");
  setObjectName("newProjectDialog");
  setMinimumWidth(720);
  auto* layout = new QVBoxLayout(this);

  auto* top = new QFormLayout;
  workspace_ = addPathRow(top, "Project folder", "workspace", true, {});
  workspace_->setPlaceholderText("a new or empty folder: the workspace (also for headless run)");
  layout->addLayout(top);

  toy_world_ = new QRadioButton("The embedded toy world (generated in the project folder; runs on a laptop CPU)");
  toy_world_->setObjectName("toyWorld");
  own_data_ = new QRadioButton("My data");
  own_data_->setObjectName("ownData");
  own_data_->setChecked(true);
  layout->addWidget(toy_world_);
  layout->addWidget(own_data_);

  data_box_ = new QGroupBox;
  auto* data = new QFormLayout(data_box_);
  QLineEdit* stills = addPathRow(data, "Synthetic source: still images", "synthetic_images", true, {});
  QLineEdit* masks = addPathRow(data, "… their pseudo-masks (COCO JSON)", "synthetic_annotations", false, "JSON (*.json)");
  QLineEdit* frames = addPathRow(data, "Unlabeled videos: frames (JPEGImages)", "unlabeled_frames", true, {});
  QLineEdit* videos = addPathRow(data, "… their YouTube-VIS JSON", "unlabeled_videos", false, "JSON (*.json)");
  QLineEdit* video_files = addPathRow(data, "… or a folder of video files", "unlabeled_video_folder", true, {});
  video_files->setPlaceholderText("mp4, avi, mov, mkv, webm …: read through FFmpeg, frames at 6 fps into the project");
  QLineEdit* val_frames = addPathRow(data, "Validation (optional): frames", "val_frames", true, {});
  QLineEdit* val_videos = addPathRow(data, "… YouTube-VIS JSON with annotations", "val_videos", false, "JSON (*.json)");
  fillSibling(masks, stills, "images");
  fillSibling(videos, frames, "JPEGImages");
  fillSibling(val_videos, val_frames, "JPEGImages");
  layout->addWidget(data_box_);

  auto* model = new QFormLayout;
  QLineEdit* weights = addPathRow(model, "Initial weights (optional)", "initial_weights", false,
                                  "Weights (*.pth *.pt)");
  weights->setPlaceholderText("a VideoCutLER / AutoQ-VIS .pth or a native .pt; empty: train stage 1 from scratch");
  preset_ = new QComboBox;
  preset_->setObjectName("preset");
  preset_->addItem("demo — small model, short schedules (minutes on a CPU)", "demo");
  preset_->addItem("paper — R50 with the paper's settings (a GPU)", "paper-r50-ytvis19");
  model->addRow("Preset", preset_);
  device_ = new QComboBox;
  device_->setObjectName("device");
  device_->addItem("auto (CUDA when present)", "auto");
  device_->addItem("CPU", "cpu");
  device_->addItem("CUDA", "cuda");
  model->addRow("Device", device_);
  layout->addLayout(model);

  command_ = new QLabel;
  command_->setObjectName("headlessCommand");
  command_->setWordWrap(true);
  command_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  command_->setStyleSheet("color: #555;");
  layout->addWidget(command_);
  problems_label_ = new QLabel;
  problems_label_->setObjectName("problems");
  problems_label_->setWordWrap(true);
  problems_label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  problems_label_->setStyleSheet("color: #b00020;");
  layout->addWidget(problems_label_);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
  create_ = buttons->addButton("Create", QDialogButtonBox::AcceptRole);
  create_->setObjectName("create");
  connect(buttons, &QDialogButtonBox::accepted, this, &NewProjectDialog::checkAndAccept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);

  for (QLineEdit* edit : paths_) connect(edit, &QLineEdit::textChanged, this, &NewProjectDialog::updateModeAndCommand);
  connect(toy_world_, &QRadioButton::toggled, this, &NewProjectDialog::updateModeAndCommand);
  connect(preset_, &QComboBox::currentIndexChanged, this, &NewProjectDialog::updateModeAndCommand);
  connect(device_, &QComboBox::currentIndexChanged, this, &NewProjectDialog::updateModeAndCommand);
  updateModeAndCommand();
}

QLineEdit* NewProjectDialog::addPathRow(QFormLayout* form, const QString& label, const QString& input, bool folder,
                                        const QString& filter) {
  auto* edit = new QLineEdit;
  edit->setObjectName(input);
  auto* browse = new QToolButton;
  browse->setText("…");
  connect(browse, &QToolButton::clicked, this, [this, edit, label, folder, filter] {
    const QString chosen = folder ? QFileDialog::getExistingDirectory(this, label, edit->text())
                                  : QFileDialog::getOpenFileName(this, label, edit->text(), filter);
    if (!chosen.isEmpty()) {
      edit->setText(chosen);
      emit edit->editingFinished();
    }
  });
  auto* row = new QHBoxLayout;
  row->addWidget(edit, 1);
  row->addWidget(browse);
  form->addRow(label, row);
  paths_[input] = edit;
  return edit;
}

ProjectInputs NewProjectDialog::inputs() const {
  ProjectInputs in;
  in.workspace = pathOf(workspace_);
  in.toy_world = toy_world_->isChecked();
  if (!in.toy_world) {
    in.synthetic_images = pathOf(paths_["synthetic_images"]);
    in.synthetic_annotations = pathOf(paths_["synthetic_annotations"]);
    in.unlabeled_frames = pathOf(paths_["unlabeled_frames"]);
    in.unlabeled_videos = pathOf(paths_["unlabeled_videos"]);
    in.unlabeled_video_folder = pathOf(paths_["unlabeled_video_folder"]);
    in.val_frames = pathOf(paths_["val_frames"]);
    in.val_videos = pathOf(paths_["val_videos"]);
  }
  in.initial_weights = pathOf(paths_["initial_weights"]);
  in.preset = preset_->currentData().toString().toStdString();
  in.device = device_->currentData().toString().toStdString();
  return in;
}

void NewProjectDialog::setInputs(const ProjectInputs& in) {
  const auto set = [this](const char* name, const fs::path& path) {
    paths_[name]->setText(QString::fromStdString(path.string()));
  };
  set("workspace", in.workspace);
  set("synthetic_images", in.synthetic_images);
  set("synthetic_annotations", in.synthetic_annotations);
  set("unlabeled_frames", in.unlabeled_frames);
  set("unlabeled_videos", in.unlabeled_videos);
  set("unlabeled_video_folder", in.unlabeled_video_folder);
  set("val_frames", in.val_frames);
  set("val_videos", in.val_videos);
  set("initial_weights", in.initial_weights);
  (in.toy_world ? toy_world_ : own_data_)->setChecked(true);
  preset_->setCurrentIndex(std::max(0, preset_->findData(QString::fromStdString(in.preset))));
  device_->setCurrentIndex(std::max(0, device_->findData(QString::fromStdString(in.device))));
  updateModeAndCommand();
}

void NewProjectDialog::updateModeAndCommand() {
  data_box_->setEnabled(!toy_world_->isChecked());
  const ProjectInputs in = inputs();
  if (in.workspace.empty()) {
    command_->setText("Headless equivalent: choose the project folder first.");
    return;
  }
  const auto command = [](const std::vector<std::string>& args) {
    QStringList words = {"autoqvis"};
    for (const std::string& arg : args) {
      const QString word = QString::fromStdString(arg);
      words << (word.contains(' ') || word.contains('\'') ? "\"" + word + "\"" : word);
    }
    return words.join(' ');
  };
  try {
    QString text = "Headless equivalent: " + command(headlessInitArguments(in));
    if (in.toy_world) text += " && autoqvis --headless make-toy-data --out <project>/data";
    if (!headlessImportArguments(in).empty()) text += " && " + command(headlessImportArguments(in));
    command_->setText(text);
  } catch (const std::exception& e) {
    command_->setText(QString("Headless equivalent: ") + e.what());
  }
}

void NewProjectDialog::checkAndAccept() {
  if (checking_) return;
  checking_ = true;
  create_->setEnabled(false);
  problems_label_->setText("Checking the inputs…");
  // Loading a real dataset's JSON and the weights takes a moment: off the GUI thread. The result comes
  // back through the thread's finished signal (queued to this object's thread).
  auto result = std::make_shared<std::vector<InputProblem>>();
  const ProjectInputs in = inputs();
  QThread* thread = QThread::create([in, result] { *result = checkProjectInputs(in); });
  connect(thread, &QThread::finished, this, [this, thread, result] {
    thread->deleteLater();
    checking_ = false;
    create_->setEnabled(true);
    problems_ = std::move(*result);
    showProblems();
    emit checked(problems_.empty());
    if (problems_.empty()) accept();
  });
  thread->start();
}

void NewProjectDialog::showProblems() {
  for (QLineEdit* edit : paths_) edit->setStyleSheet({});
  QStringList lines;
  for (const InputProblem& p : problems_) {
    lines << QString::fromStdString(p.text()).toHtmlEscaped();
    if (QLineEdit* edit = paths_.value(QString::fromStdString(p.input))) edit->setStyleSheet("border: 1px solid #b00020;");
  }
  problems_label_->setText(lines.isEmpty() ? QString() : "<b>Not created:</b><br>" + lines.join("<br>"));
}

}  // namespace autoqvis::widgets
