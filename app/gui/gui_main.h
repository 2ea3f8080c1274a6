// Starts the desktop application (QApplication + main window) and runs its event loop.
#pragma once

namespace autoqvis::gui {

int runGui(int argc, char** argv);

}  // namespace autoqvis::gui
