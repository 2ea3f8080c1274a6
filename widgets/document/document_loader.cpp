#include "widgets/document/document_loader.h"

#include <QMetaObject>
#include <exception>
#include <thread>

namespace autoqvis::widgets {

DocumentLoader::DocumentLoader(QObject* parent) : QObject(parent), target_(std::make_shared<Target>()) {
  target_->loader = this;
}

// Waits at most for a result being posted (microseconds), never for a parse.
DocumentLoader::~DocumentLoader() {
  std::lock_guard<std::mutex> lock(target_->mutex);
  target_->loader = nullptr;
}

void DocumentLoader::load(const OpenRequest& request) {
  const uint64_t id = ++latest_;
  loading_ = true;
  std::thread([id, request, target = target_] {
    std::shared_ptr<const ViewerDocument> document;
    QString error;
    try {
      document = loadViewerDocument(request);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    } catch (...) {
      error = "unexpected error while opening";
    }
    // Posted to the loader while it is known to exist; the event is dropped with the loader if it is
    // destroyed before the event loop delivers it.
    std::lock_guard<std::mutex> lock(target->mutex);
    if (!target->loader) return;
    DocumentLoader* loader = target->loader;
    QMetaObject::invokeMethod(
        loader, [loader, id, document, error] { loader->finish(id, document, error); }, Qt::QueuedConnection);
  }).detach();
}

void DocumentLoader::finish(uint64_t id, std::shared_ptr<const ViewerDocument> document,
                            const QString& error) {
  if (id != latest_) return;
  loading_ = false;
  if (document) {
    emit loaded(std::move(document));
  } else {
    emit failed(error);
  }
}

}  // namespace autoqvis::widgets
