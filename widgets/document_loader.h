// Opens a ViewerDocument on a background thread (large JSON files take seconds to parse, and a video
// file is scanned) and hands it to the GUI thread. Only the latest request is answered.
#pragma once

#include <QObject>
#include <QString>
#include <cstdint>
#include <map>
#include <memory>
#include <thread>

#include "widgets/viewer_document.h"

namespace autoqvis::widgets {

class DocumentLoader : public QObject {
  Q_OBJECT

 public:
  explicit DocumentLoader(QObject* parent = nullptr);
  /// Waits for loads still running (they cannot be interrupted mid-parse).
  ~DocumentLoader() override;

  /// Starts loading; a load still running is superseded (its result is dropped).
  void load(const OpenRequest& request);
  bool isLoading() const { return loading_; }

 signals:
  void loaded(std::shared_ptr<const ViewerDocument> document);
  /// `message` is the Error's text, naming the file and what was wrong.
  void failed(const QString& message);

 private:
  void finish(uint64_t id, std::shared_ptr<const ViewerDocument> document, const QString& error);

  uint64_t latest_ = 0;
  bool loading_ = false;
  std::map<uint64_t, std::thread> threads_;
};

}  // namespace autoqvis::widgets
