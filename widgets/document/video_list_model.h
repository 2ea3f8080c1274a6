// The videos of the open document with their counts (frames, tracks, masks), for the video list.
#pragma once

#include <QAbstractTableModel>
#include <memory>

#include "widgets/document/viewer_document.h"

namespace autoqvis::widgets {

class VideoListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Role { VideoIdRole = Qt::UserRole + 1, SortRole };
  enum Column { NameColumn = 0, FramesColumn, TracksColumn, MasksColumn, ColumnCount };

  explicit VideoListModel(QObject* parent = nullptr);

  void setDocument(std::shared_ptr<const ViewerDocument> document);
  const ViewerDocument* document() const { return document_.get(); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  std::shared_ptr<const ViewerDocument> document_;
};

}  // namespace autoqvis::widgets
