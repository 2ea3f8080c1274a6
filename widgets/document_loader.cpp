#include "widgets/document_loader.h"

#include <QMetaObject>
#include <exception>

namespace autoqvis::widgets {

DocumentLoader::DocumentLoader(QObject* parent) : QObject(parent) {}

DocumentLoader::~DocumentLoader() {
  for (auto& entry : threads_) entry.second.join();
}

void DocumentLoader::load(const OpenRequest& request) {
  const uint64_t id = ++latest_;
  loading_ = true;
  threads_.emplace(id, std::thread([this, id, request] {
                     std::shared_ptr<const ViewerDocument> document;
                     QString error;
                     try {
                       document = loadViewerDocument(request);
                     } catch (const std::exception& e) {
                       error = QString::fromStdString(e.what());
                     }
                     // The destructor joins this thread, so `this` outlives the posted call or the call is
                     // dropped with the object's pending events.
                     QMetaObject::invokeMethod(
                         this, [this, id, document, error] { finish(id, document, error); },
                         Qt::QueuedConnection);
                   }));
}

void DocumentLoader::finish(uint64_t id, std::shared_ptr<const ViewerDocument> document,
                            const QString& error) {
  auto thread = threads_.find(id);
  if (thread != threads_.end()) {
    thread->second.join();  // it has posted its result and is returning
    threads_.erase(thread);
  }
  if (id != latest_) return;
  loading_ = false;
  if (document) {
    emit loaded(std::move(document));
  } else {
    emit failed(error);
  }
}

}  // namespace autoqvis::widgets
