#include "app/gui/main_window.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include "core/util/blas_info.h"
#include "core/util/log.h"
#include "core/util/torch_runtime.h"
#include "core/util/version.h"
#include "widgets/log_view.h"

namespace autoqvis::gui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle("AutoQ-VIS Studio");
  resize(1280, 800);
  auto* placeholder = new QLabel(
      "<h2>AutoQ-VIS Studio</h2><p>Unsupervised video instance segmentation by quality-guided self-training.</p>"
      "<p>The video viewer, quality panel and training dock are being built; the engine runs today with<br>"
      "<code>autoqvis --headless demo</code> (see <i>Help &rarr; About</i> for the runtime).</p>");
  placeholder->setAlignment(Qt::AlignCenter);
  placeholder->setObjectName("welcome");
  setCentralWidget(placeholder);
  buildDocks();
  buildMenus();
  const TorchRuntimeInfo torch = torchRuntimeInfo();
  const BlasInfo blas = detectBlas();
  device_label_ = new QLabel(QString("%1 | BLAS: %2")
                                 .arg(torch.cuda_available ? "CUDA" : "CPU")
                                 .arg(QString::fromStdString(blas.name)));
  statusBar()->addPermanentWidget(device_label_);
  statusBar()->showMessage("Ready");
  logInfo("AutoQ-VIS Studio " + versionString() + " started; BLAS: " + describeBlas(blas));
  restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildDocks() {
  auto* dock = new QDockWidget("Log", this);
  dock->setObjectName("logDock");
  log_view_ = new widgets::LogView(dock);
  dock->setWidget(log_view_);
  addDockWidget(Qt::BottomDockWidgetArea, dock);
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);
  QMenu* view = menuBar()->addMenu("&View");
  for (QDockWidget* dock : findChildren<QDockWidget*>()) view->addAction(dock->toggleViewAction());
  QMenu* help = menuBar()->addMenu("&Help");
  help->addAction("&About", this, &MainWindow::showAbout);
}

void MainWindow::showAbout() {
  QMessageBox::about(this, "About AutoQ-VIS Studio", QString::fromStdString(buildReport()).toHtmlEscaped().replace("\n", "<br>"));
}

void MainWindow::restoreLayout() {
  QSettings settings;
  restoreGeometry(settings.value("mainWindow/geometry").toByteArray());
  restoreState(settings.value("mainWindow/state").toByteArray());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  QSettings settings;
  settings.setValue("mainWindow/geometry", saveGeometry());
  settings.setValue("mainWindow/state", saveState());
  event->accept();
}

}  // namespace autoqvis::gui
