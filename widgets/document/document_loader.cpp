#include "widgets/document/document_loader.h"

#include <QCoreApplication>
#include <QMetaObject>
#include <exception>
#include <thread>

namespace autoqvis::widgets {

DocumentLoader::DocumentLoader(QObject* parent) : QObject(parent) {}

DocumentLoader::~DocumentLoader() { *alive_ = false; }

void DocumentLoader::load(const OpenRequest& request) {
  const uint64_t id = ++latest_;
  loading_ = true;
  std::thread([this, id, request, alive = alive_] {
    std::shared_ptr<const ViewerDocument> document;
    QString error;
    try {
      document = loadViewerDocument(request);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
    // The result goes to the application object's (GUI) thread, which checks there that this loader
    // still exists before handing it over; a closed window simply drops it.
    QCoreApplication* app = QCoreApplication::instance();
    if (!app) return;
    QMetaObject::invokeMethod(
        app, [this, id, document, error, alive] {
          if (*alive) finish(id, document, error);
        },
        Qt::QueuedConnection);
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
