// Starts the desktop application (QApplication + main window) and runs its event loop.
//
//   autoqvis [DATASET.json | VIDEO_FILE] [--results RESULTS.json] [--frames DIR] [--video ID|NAME]
//            [--frame F] [--track ID]
//
// opens the window on that dataset (frames from DATASET.json's sibling JPEGImages unless --frames
// says otherwise) or video file, at that video and frame, with that track selected.
#pragma once

namespace autoqvis::gui {

int runGui(int argc, char** argv);

}  // namespace autoqvis::gui
