// The main window: docks around a central area, menus, and a status bar that says what the engine
// runs on. The viewer, quality panel and training dock arrive with their own issues; for now the
// window hosts the log dock and the About/shortcut information.
#pragma once

#include <QMainWindow>

class QLabel;

namespace autoqvis::widgets {
class LogView;
}

namespace autoqvis::gui {

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildMenus();
  void buildDocks();
  void showAbout();
  void restoreLayout();

  widgets::LogView* log_view_ = nullptr;
  QLabel* device_label_ = nullptr;
};

}  // namespace autoqvis::gui
