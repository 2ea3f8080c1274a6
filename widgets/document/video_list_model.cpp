#include "widgets/document/video_list_model.h"

namespace autoqvis::widgets {

VideoListModel::VideoListModel(QObject* parent) : QAbstractTableModel(parent) {}

void VideoListModel::setDocument(std::shared_ptr<const ViewerDocument> document) {
  beginResetModel();
  document_ = std::move(document);
  endResetModel();
}

int VideoListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !document_ ? 0 : static_cast<int>(document_->videos.size());
}

int VideoListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant VideoListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const ViewerVideo& video = document_->videos[static_cast<size_t>(index.row())];
  const bool is_text = index.column() == NameColumn;
  if (role == Qt::DisplayRole || role == SortRole) {
    switch (index.column()) {
      case NameColumn:
        return QString::fromStdString(video.name);
      case FramesColumn:
        return video.frames;
      case TracksColumn:
        return static_cast<int>(video.tracks.size());
      case MasksColumn:
        return video.masks;
      default:
        return {};
    }
  }
  if (role == Qt::TextAlignmentRole && !is_text) return QVariant(Qt::AlignRight | Qt::AlignVCenter);
  if (role == Qt::ToolTipRole) {
    return QString("video id %1, %2×%3, %4 frames, %5 tracks, %6 masks")
        .arg(video.id)
        .arg(video.width)
        .arg(video.height)
        .arg(video.frames)
        .arg(video.tracks.size())
        .arg(video.masks);
  }
  if (role == VideoIdRole) return static_cast<qlonglong>(video.id);
  return {};
}

QVariant VideoListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn:
      return "Video";
    case FramesColumn:
      return "Frames";
    case TracksColumn:
      return "Tracks";
    case MasksColumn:
      return "Masks";
    default:
      return {};
  }
}

}  // namespace autoqvis::widgets
