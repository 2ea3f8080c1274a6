// Paints one timeline row: the track's colour swatch and id in the left gutter, and a bar over the
// frames where the track has a mask. With a value name set (e.g. "quality") the bar becomes a heat
// strip of that per-frame value, red (0) through yellow to green (1). With the review's label marks,
// frames left out of the pseudo-label set are faded and hatched.
#pragma once

#include <QStyledItemDelegate>

#include "widgets/viewer/label_marks.h"
#include "widgets/viewer/timeline_scale.h"

namespace autoqvis::widgets {

class TimelineDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  explicit TimelineDelegate(QObject* parent = nullptr);

  /// The time axis of the view; the view owns it and sets it once.
  void setScale(const TimelineScale* scale) { scale_ = scale; }
  void setGutterWidth(int width) { gutter_width_ = width; }
  /// Colour the bars by this per-frame value (TrackListModel::FrameValuesRole); empty: track colour.
  void setValueName(const QString& name) { value_name_ = name; }
  QString valueName() const { return value_name_; }
  /// The review's decisions: accepted frames solid, left-out frames faded and hatched. Null: all solid.
  void setLabelMarks(LabelMarksPtr marks) { marks_ = std::move(marks); }

  void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

  /// Heat colour of a value in [0, 1].
  static QColor heatColor(double value);

 private:
  void paintGutter(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const;
  void paintBars(QPainter* painter, const QRect& bar_area, const QModelIndex& index, bool selected) const;
  void paintValues(QPainter* painter, const QRectF& span_rect, int first, int last,
                   const QList<float>& values) const;
  void paintRejected(QPainter* painter, const QRectF& span_rect, int row, int first, int last) const;

  const TimelineScale* scale_ = nullptr;
  int gutter_width_ = 72;
  QString value_name_;
  LabelMarksPtr marks_;
};

}  // namespace autoqvis::widgets
