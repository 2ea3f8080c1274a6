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
  review_.clear();
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

void TrackListModel::setReviewMode(bool on) {
  if (on == review_mode_) return;
  beginResetModel();
  review_mode_ = on;
  review_.clear();
  endResetModel();
}

void TrackListModel::setReviewInfo(std::vector<ReviewInfo> info) {
  review_ = std::move(info);
  if (!review_mode_ || rows_.empty()) return;
  emit dataChanged(index(0, reviewFirstColumn()), index(rowCount() - 1, columnCount() - 1));
}

// Accepted frames, Source, Round.
QVariant TrackListModel::reviewData(int row, int column, int role) const {
  if (static_cast<size_t>(row) >= review_.size()) return {};
  const ReviewInfo& info = review_[static_cast<size_t>(row)];
  const int which = column - reviewFirstColumn();
  if (role == SortRole) {
    if (which == 0) return info.accepted_frames;
    if (which == 1) return info.by_person ? 1 : 0;
    return info.round;
  }
  if (role == Qt::ToolTipRole && which == 1) {
    return info.by_person ? "A person decided on this object or one of its frames" : "The τ rule decided";
  }
  if (role != Qt::DisplayRole) return {};
  if (which == 0) return QString("%1/%2").arg(info.accepted_frames).arg(rows_[static_cast<size_t>(row)].summary.frames_present);
  if (which == 1) return info.by_person ? "person" : "model";
  return info.round < 0 ? QString("–") : QString::number(info.round);
}

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
  return parent.isValid() ? 0 : reviewFirstColumn() + (review_mode_ ? 3 : 0);
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
  if (review_mode_ && index.column() >= reviewFirstColumn() &&
      (role == Qt::DisplayRole || role == Qt::ToolTipRole || role == SortRole)) {
    return reviewData(index.row(), index.column(), role);
  }
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
        if (review_mode_ && section >= reviewFirstColumn()) {
          const char* tips[] = {"Frames of this track in the pseudo-label set at the current τ",
                                "Who decided: the τ rule (model) or a person", "The self-training round that predicted it"};
          return tips[section - reviewFirstColumn()];
        }
        return section >= FirstValueColumn ? "Mean over the frames present" : QVariant();
    }
  }
  if (role != Qt::DisplayRole) return {};
  if (review_mode_ && section >= reviewFirstColumn()) {
    const char* titles[] = {"Accepted", "Source", "Round"};
    return titles[section - reviewFirstColumn()];
  }
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
