// The track timeline: a ruler of frame numbers on top, one row per track of the model (painted by
// TimelineDelegate), and the playhead across them. Click or drag in the ruler to seek; click a row to
// select its track (and seek to the frame clicked); the wheel zooms in time about the cursor,
// Shift+wheel scrolls in time, Ctrl+wheel (or the wheel over the track ids) scrolls the rows.
#pragma once

#include <QAbstractItemView>

#include "widgets/viewer/label_marks.h"
#include "widgets/viewer/timeline_scale.h"

namespace autoqvis::widgets {

class TimelineDelegate;

class TimelineView : public QAbstractItemView {
  Q_OBJECT

 public:
  explicit TimelineView(QWidget* parent = nullptr);

  /// Frames of the video; 0 = no video (the view then shows only a hint).
  void setFrameCount(int frames);
  int frameCount() const { return has_video_ ? scale_.frameCount() : 0; }
  int playhead() const { return playhead_; }
  const TimelineScale& scale() const { return scale_; }
  TimelineDelegate* timelineDelegate() const { return delegate_; }
  /// The review's decisions: passed to the delegate; frames the set drops are shaded on the ruler.
  void setLabelMarks(LabelMarksPtr marks);

  int rulerHeight() const { return ruler_height_; }
  int rowHeight() const { return row_height_; }
  int gutterWidth() const { return gutter_width_; }
  /// The row at viewport y, or -1 (the ruler, or below the last row).
  int rowAt(int y) const;

  /// Zooms the time axis by `factor` keeping the frame under viewport x in place.
  void zoomAbout(double x, double factor);
  void fitTime();

  QModelIndex indexAt(const QPoint& point) const override;
  QRect visualRect(const QModelIndex& index) const override;
  void scrollTo(const QModelIndex& index, ScrollHint hint = EnsureVisible) override;
  void reset() override;

 public slots:
  /// Moves the playhead; scrolls in time when it leaves the visible range.
  void setPlayhead(int frame);

 signals:
  void seekRequested(int frame);

 protected:
  QModelIndex moveCursor(CursorAction action, Qt::KeyboardModifiers modifiers) override;
  int horizontalOffset() const override;
  int verticalOffset() const override;
  bool isIndexHidden(const QModelIndex& index) const override;
  void setSelection(const QRect& rect, QItemSelectionModel::SelectionFlags command) override;
  QRegion visualRegionForSelection(const QItemSelection& selection) const override;
  void updateGeometries() override;
  void scrollContentsBy(int dx, int dy) override;
  void dataChanged(const QModelIndex& top_left, const QModelIndex& bottom_right,
                   const QList<int>& roles = QList<int>()) override;

  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  bool viewportEvent(QEvent* event) override;

 private:
  void paintRuler(QPainter& painter) const;
  void paintPlayhead(QPainter& painter) const;
  void syncHorizontalBar();
  int tickStep() const;
  /// Where the playhead's frame-number tag sits on the ruler.
  QRectF playheadTag(const QFontMetrics& metrics) const;
  QString toolTipAt(const QPoint& point) const;

  TimelineScale scale_;
  TimelineDelegate* delegate_ = nullptr;
  int playhead_ = 0;
  int ruler_height_ = 22;
  int row_height_ = 22;
  int gutter_width_ = 76;
  bool has_video_ = false;
  bool scrubbing_ = false;
  bool syncing_bar_ = false;
  LabelMarksPtr marks_;
};

}  // namespace autoqvis::widgets
