// Opens a ViewerDocument on a background thread (large JSON files take seconds to parse, and a video
// file is scanned) and hands it to the GUI thread. Only the latest request is answered.
#pragma once

#include <QObject>
#include <QString>
#include <cstdint>
#include <memory>
#include <mutex>

#include "widgets/document/viewer_document.h"

namespace autoqvis::widgets {

class DocumentLoader : public QObject {
  Q_OBJECT

 public:
  explicit DocumentLoader(QObject* parent = nullptr);
  /// Never waits: a load still parsing runs to its end on its own thread and its result is dropped,
  /// so closing the window does not wait for a large JSON file.
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
  /// Where a finished parse posts its result; cleared (under the lock) when this loader is destroyed.
  struct Target {
    std::mutex mutex;
    DocumentLoader* loader = nullptr;
  };
  std::shared_ptr<Target> target_;
};

}  // namespace autoqvis::widgets
