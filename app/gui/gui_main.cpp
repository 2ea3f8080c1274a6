#include "app/gui/gui_main.h"

#include <QApplication>

#include "app/gui/main_window.h"
#include "core/util/version.h"

namespace autoqvis::gui {

int runGui(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName("AutoQ-VIS");
  QApplication::setApplicationName("AutoQ-VIS Studio");
  QApplication::setApplicationVersion(QString::fromStdString(versionString()));
  MainWindow window;
  window.show();
  return app.exec();
}

}  // namespace autoqvis::gui
