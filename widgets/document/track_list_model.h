// The tracks of the current video as an item model, one row per track: the labels table shows its
// columns, the timeline paints each row's spans (and, when asked, a per-frame value such as quality)
// through the custom roles. Rows keep the order of the file; sort with a proxy.
#pragma once

#include <QAbstractTableModel>
#include <QColor>
#include <QList>
#include <QStringList>
#include <vector>

#include "core/dataset/ytvis_json.h"
#include "widgets/document/track_summary.h"

namespace autoqvis::widgets {

class TrackListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Role {
    TrackKeyRole = Qt::UserRole + 1,  ///< qlonglong: the track's id (TrackSummary::key)
    ColorRole,                        ///< QColor: the track's colour (trackColor)
    SpansRole,                        ///< QList<QPoint>: runs of frames with a mask, (first, last) inclusive
    FrameValuesRole,                  ///< QVariantHash: value name -> QList<float> per frame (NaN = none)
    SortRole,                         ///< a number (or text) to sort the column by
  };
  enum Column { TrackColumn = 0, FramesColumn, AreaColumn, ScoreColumn, FirstValueColumn };
  /// Whether any track has a score (ground truth has none).
  bool hasScores() const;

  /// What the review says of a row: its frames in the pseudo-label set, who decided, which round.
  struct ReviewInfo {
    int accepted_frames = 0;
    bool by_person = false;  ///< a person's decision on the object or one of its frames
    int round = -1;          ///< the official round that predicted it; -1 unknown
  };
  /// Review mode adds the columns Accepted, Source and Round after the value columns (set it before
  /// setTracks: switching resets the model).
  void setReviewMode(bool on);
  bool reviewMode() const { return review_mode_; }
  int reviewFirstColumn() const { return FirstValueColumn + static_cast<int>(value_names_.size()); }
  /// One entry per row; changes only the review columns' data.
  void setReviewInfo(std::vector<ReviewInfo> info);

  explicit TrackListModel(QObject* parent = nullptr);

  /// Shows `tracks` (keys[i] is the id of tracks[i]) of a video with `frame_count` frames.
  void setTracks(const std::vector<const YtvisTrack*>& tracks, const std::vector<int64_t>& keys,
                 int frame_count);
  void clear();

  int frameCount() const { return frame_count_; }
  const TrackSummary& summary(int row) const { return rows_.at(static_cast<size_t>(row)).summary; }
  QColor color(int row) const { return rows_.at(static_cast<size_t>(row)).color; }
  /// The row of the track with this key, or -1.
  int rowForKey(qint64 key) const;
  /// Names of the per-frame value columns, e.g. {"pred_iou", "quality"}.
  QStringList valueNames() const { return value_names_; }
  /// "Pred. IoU" for pred_iou, "Quality" for quality, the name otherwise.
  static QString valueTitle(const QString& name);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    TrackSummary summary;
    QColor color;
    QVariantHash frame_values;
    QList<QPoint> spans;
  };
  QVariant displayData(const Row& row, int column) const;
  QVariant sortData(const Row& row, int column) const;

  QVariant reviewData(int row, int column, int role) const;

  std::vector<Row> rows_;
  QStringList value_names_;
  bool review_mode_ = false;
  std::vector<ReviewInfo> review_;
  int frame_count_ = 0;
};

}  // namespace autoqvis::widgets
