// Running the autoqvis binary from a test and acting on its --progress=jsonl stream: a signal (SIGINT
// for a stop, SIGKILL for a crash) is sent at the first event a predicate picks.
#pragma once

#include <signal.h>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <functional>
#include <vector>

namespace autoqvis::testing {

struct CliRun {
  int exit_code = -1;  ///< -1 when the process did not exit normally (e.g. killed)
  QString err;
  QString out;  ///< everything written to stdout (the jsonl lines too)
  bool signalled = false;
  std::vector<QJsonObject> events;  ///< every jsonl line, in order
};

inline CliRun runAndSignal(const QString& binary, const QStringList& args, int signal,
                           const std::function<bool(const QJsonObject&)>& signal_at) {
  QProcess process;
  process.start(binary, args);
  CliRun run;
  QByteArray pending;
  QElapsedTimer clock;
  clock.start();
  while (process.state() != QProcess::NotRunning && clock.elapsed() < 600000) {
    process.waitForReadyRead(50);
    pending += process.readAllStandardOutput();
    run.err += QString::fromUtf8(process.readAllStandardError());
    for (int newline; (newline = pending.indexOf('\n')) >= 0;) {
      run.out += QString::fromUtf8(pending.left(newline + 1));
      const QJsonObject event = QJsonDocument::fromJson(pending.left(newline)).object();
      pending.remove(0, newline + 1);
      run.events.push_back(event);
      if (!run.signalled && signal_at && signal_at(event)) {
        ::kill(static_cast<pid_t>(process.processId()), signal);
        run.signalled = true;
      }
    }
  }
  process.waitForFinished(60000);
  run.out += QString::fromUtf8(pending + process.readAllStandardOutput());
  run.exit_code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
  run.err += QString::fromUtf8(process.readAllStandardError());
  return run;
}

inline bool isEvent(const QJsonObject& event, const char* name) { return event["event"].toString() == name; }

inline QJsonDocument readJson(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  return QJsonDocument::fromJson(file.readAll());
}

}  // namespace autoqvis::testing
