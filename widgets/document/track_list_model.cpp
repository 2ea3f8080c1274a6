#include "widgets/document/track_list_model.h"

#include <QPoint>
#include <algorithm>
#include <cmath>
#include <limits>

#include "widgets/common/track_colors.h"
#include "core/dataset/frame_fields.h"

namespace autoqvis::widgets {

namespace {

QColor toQColor(TrackRgb rgb) { return QColor(rgb.r, rgb.g, rgb.b); }

QString formatValue(double value) { return QString::number(value, 'f', 3); }

}  // namespace

TrackListModel::TrackListModel(QObject* parent) : QAbstractTableModel(parent) {}

QString TrackListModel::valueTitle(const QString& name) {
  if (name == frame_fields::kPredIou) return "Pred. IoU";
  if (name == frame_fields::kQuality) return "Quality";
  return name;
}

void TrackListModel::setTracks(const std::vector<const YtvisTrack*>& tracks, const std::vector<int64_t>& keys,
                               int frame_count) {
  beginResetModel();
  rows_.clear();
  value_names_.clear();
  frame_count_ = frame_count;
  for (const std::string& name : frameValueNames(tracks)) value_names_.append(QString::fromStdString(name));
  rows_.reserve(tracks.size());
  for (size_t i = 0; i < tracks.size(); ++i) {
    Row row;
    row.summary = summarizeTrack(*tracks[i], i < keys.size() ? keys[i] : static_cast<int64_t>(i) + 1);
    row.color = toQColor(trackColor(row.summary.key));
    for (const FrameSpan& span : row.summary.spans) row.spans.append(QPoint(span.first, span.last));
    for (const auto& [name, values] : tracks[i]->frame_values) {
      QList<float> per_frame(static_cast<int>(values.size()), std::numeric_limits<float>::quiet_NaN());
      for (size_t f = 0; f < values.size(); ++f) {
        if (values[f]) per_frame[static_cast<int>(f)] = static_cast<float>(*values[f]);
      }
      row.frame_values.insert(QString::fromStdString(name), QVariant::fromValue(per_frame));
    }
    rows_.push_back(std::move(row));
  }
  endResetModel();
}

void TrackListModel::clear() { setTracks({}, {}, 0); }

bool TrackListModel::hasScores() const {
  return std::any_of(rows_.begin(), rows_.end(),
                     [](const Row& row) { return row.summary.score.has_value(); });
}

int TrackListModel::rowForKey(qint64 key) const {
  for (size_t i = 0; i < rows_.size(); ++i) {
    if (rows_[i].summary.key == key) return static_cast<int>(i);
  }
  return -1;
}

int TrackListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int TrackListModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : FirstValueColumn + static_cast<int>(value_names_.size());
}

QVariant TrackListModel::displayData(const Row& row, int column) const {
  const TrackSummary& s = row.summary;
  switch (column) {
    case TrackColumn:
      return QString("#%1").arg(s.key);
    case FramesColumn:
      return s.frames_present;
    case AreaColumn:
      return QString::number(std::lround(s.mean_area));
    case ScoreColumn:
      return s.score ? formatValue(*s.score) : QString();
    default:
      break;
  }
  const auto it = s.mean_values.find(value_names_.value(column - FirstValueColumn).toStdString());
  return it == s.mean_values.end() ? QString() : formatValue(it->second);
}

QVariant TrackListModel::sortData(const Row& row, int column) const {
  const TrackSummary& s = row.summary;
  switch (column) {
    case TrackColumn:
      return static_cast<qlonglong>(s.key);
    case FramesColumn:
      return s.frames_present;
    case AreaColumn:
      return s.mean_area;
    case ScoreColumn:
      return s.score.value_or(-1.0);
    default:
      break;
  }
  const auto it = s.mean_values.find(value_names_.value(column - FirstValueColumn).toStdString());
  return it == s.mean_values.end() ? -1.0 : it->second;
}

QVariant TrackListModel::data(const QModelIndex& index, int role) const {
  if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
  const Row& row = rows_[static_cast<size_t>(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      return displayData(row, index.column());
    case Qt::DecorationRole:
      return index.column() == TrackColumn ? QVariant(row.color) : QVariant();
    case Qt::TextAlignmentRole:
      return index.column() == TrackColumn ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole:
      return QString("Track #%1: mask on %2 of %3 frames")
          .arg(row.summary.key)
          .arg(row.summary.frames_present)
          .arg(frame_count_);
    case TrackKeyRole:
      return static_cast<qlonglong>(row.summary.key);
    case ColorRole:
      return row.color;
    case SpansRole:
      return QVariant::fromValue(row.spans);
    case FrameValuesRole:
      return row.frame_values;
    case SortRole:
      return sortData(row, index.column());
    default:
      return {};
  }
}

QVariant TrackListModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || section < 0 || section >= columnCount()) return {};
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case FramesColumn:
        return "Frames where the track has a mask";
      case AreaColumn:
        return "Mean mask area in pixels over the frames present";
      case ScoreColumn:
        return "Video-level confidence of the prediction";
      default:
        return section >= FirstValueColumn ? "Mean over the frames present" : QVariant();
    }
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case TrackColumn:
      return "Track";
    case FramesColumn:
      return "Frames";
    case AreaColumn:
      return "Mean area";
    case ScoreColumn:
      return "Score";
    default:
      return valueTitle(value_names_.value(section - FirstValueColumn));
  }
}

}  // namespace autoqvis::widgets
