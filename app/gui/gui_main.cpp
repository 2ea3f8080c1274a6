#include "app/gui/gui_main.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <cstdio>

#include "app/gui/main_window.h"
#include "core/util/version.h"

namespace autoqvis::gui {

namespace {

struct StartupRequest {
  widgets::OpenRequest open;
  QString video;
  int frame = 0;
  qint64 track = 0;
  bool has_input = false;
  QString workspace;  ///< a workspace folder to open instead of a document
  QString stage;      ///< the workspace's stage to review
};

// Returns false (after printing why) for a malformed command line.
bool parseCommandLine(const QStringList& arguments, StartupRequest& startup) {
  QCommandLineParser parser;
  parser.setApplicationDescription("AutoQ-VIS Studio: review videos with their instance masks and a workspace's pseudo-labels.");
  parser.addHelpOption();
  parser.addPositionalArgument("input",
                               "A workspace folder (with project.yaml), a YouTube-VIS dataset JSON, or a video file "
                               "(mp4, avi, ...).",
                               "[input]");
  const QCommandLineOption results("results", "Results or pseudo-label JSON shown on the videos.", "file");
  const QCommandLineOption frames("frames", "Frames folder (default: JPEGImages beside the dataset JSON).",
                                  "dir");
  const QCommandLineOption video("video",
                                 "Video to show: its id or folder name; for a video file, the results' "
                                 "video_id that names it.",
                                 "id");
  const QCommandLineOption frame("frame", "Frame to show first (0-based).", "index", "0");
  const QCommandLineOption track("track", "Track to select (its id as shown in the labels table).", "id");
  const QCommandLineOption stage("stage", "With a workspace: the stage to review (round-1 ... final).", "name");
  parser.addOptions({results, frames, video, frame, track, stage});
  if (!parser.parse(arguments)) {
    std::fprintf(stderr, "autoqvis: %s\n", qPrintable(parser.errorText()));
    return false;
  }
  if (parser.isSet("help")) parser.showHelp(0);
  const QStringList inputs = parser.positionalArguments();
  if (inputs.size() > 1) {
    std::fprintf(stderr, "autoqvis: one dataset or video at a time (got %lld)\n",
                 static_cast<long long>(inputs.size()));
    return false;
  }
  bool frame_ok = false;
  startup.frame = parser.value(frame).toInt(&frame_ok);
  if (!frame_ok || startup.frame < 0) {
    std::fprintf(stderr, "autoqvis: --frame needs a frame index >= 0, got '%s'\n",
                 qPrintable(parser.value(frame)));
    return false;
  }
  if (parser.isSet(track)) {
    bool track_ok = false;
    startup.track = parser.value(track).toLongLong(&track_ok);
    if (!track_ok || startup.track == 0) {
      std::fprintf(stderr, "autoqvis: --track needs a track id, got '%s'\n", qPrintable(parser.value(track)));
      return false;
    }
  }
  startup.video = parser.value(video);
  startup.open.results = parser.value(results).toStdString();
  startup.open.frames_root = parser.value(frames).toStdString();
  if (inputs.isEmpty()) {
    if (parser.isSet(results) || parser.isSet(frames) || parser.isSet(video) || parser.isSet(stage)) {
      std::fprintf(stderr, "autoqvis: --results, --frames and --video need a dataset JSON or a video file\n");
      return false;
    }
    return true;
  }
  const QString input = inputs.front();
  if (QFileInfo(input).isDir()) {
    if (!QFileInfo(QDir(input).filePath("project.yaml")).isFile()) {
      std::fprintf(stderr, "autoqvis: %s is a folder without project.yaml (not a workspace)\n", qPrintable(input));
      return false;
    }
    if (parser.isSet(results) || parser.isSet(frames)) {
      std::fprintf(stderr, "autoqvis: --results and --frames go with a dataset or a video, not a workspace\n");
      return false;
    }
    startup.workspace = input;
    startup.stage = parser.value(stage);
    return true;
  }
  if (parser.isSet(stage)) {
    std::fprintf(stderr, "autoqvis: --stage goes with a workspace folder\n");
    return false;
  }
  startup.has_input = true;
  if (QFileInfo(input).suffix().compare("json", Qt::CaseInsensitive) == 0) {
    startup.open.dataset = input.toStdString();
  } else {
    startup.open.video_file = input.toStdString();
    bool numeric = false;
    const qlonglong id = startup.video.toLongLong(&numeric);
    if (numeric) startup.open.video_id = id;
    startup.video.clear();  // a video file is the document's only video
  }
  return true;
}

}  // namespace

int runGui(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName("AutoQ-VIS");
  QApplication::setApplicationName("AutoQ-VIS Studio");
  QApplication::setApplicationVersion(QString::fromStdString(versionString()));
  StartupRequest startup;
  if (!parseCommandLine(QApplication::arguments(), startup)) return 2;
  MainWindow window;
  window.show();
  if (!startup.workspace.isEmpty()) window.openWorkspace(startup.workspace, startup.video, startup.frame, startup.track, startup.stage);
  if (startup.has_input) window.openDocument(startup.open, startup.video, startup.frame, startup.track);
  return app.exec();
}

}  // namespace autoqvis::gui
