// `autoqvis`: the desktop application, or with --headless the same jobs without a display.
// The mode is decided before any Qt application object exists: a QApplication needs a display,
// a QCoreApplication does not, and a headless-only build links no Qt at all.
#include <cstring>
#include <string>
#include <vector>

#include "app/headless/headless_main.h"

#ifdef AUTOQVIS_WITH_GUI
#include <QApplication>
#include <QCoreApplication>

#include "app/gui/gui_main.h"
#include "app/headless/command.h"
#include "widgets/experiments/ablation_plots.h"
#endif

namespace {

bool wantsHeadless(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--headless") == 0) return true;
  }
  // Version and help need no window either.
  return argc > 1 && (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "--help") == 0 ||
                      std::strcmp(argv[1], "-h") == 0);
}

// `ablate` draws its plots with QCustomPlot, a widget: it gets a QApplication on the offscreen
// platform, so it still needs no display.
bool drawsPlots(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "ablate") == 0) return true;
  }
  return false;
}

std::vector<std::string> argumentsWithoutHeadless(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--headless") != 0) args.emplace_back(argv[i]);
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef AUTOQVIS_WITH_GUI
  if (!wantsHeadless(argc, argv)) return autoqvis::gui::runGui(argc, argv);
  if (drawsPlots(argc, argv)) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    autoqvis::cli::setAblationPlotter(autoqvis::renderAblationPlots);
    return autoqvis::cli::runHeadless(argumentsWithoutHeadless(argc, argv));
  }
  QCoreApplication app(argc, argv);
#else
  (void)wantsHeadless;
#endif
  return autoqvis::cli::runHeadless(argumentsWithoutHeadless(argc, argv));
}
