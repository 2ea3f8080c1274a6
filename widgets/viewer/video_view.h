// The centre of the viewer: the current frame with each track's mask blended in its colour, a thin
// outline and a label (id, score, predicted IoU, quality). Wheel zooms about the cursor, dragging
// pans, fitToWindow() (F) shows the whole frame; while fitted the frame follows the window size.
// Clicking on a mask selects its track. It only paints FramePackets; it never decodes.
#pragma once

#include <QElapsedTimer>
#include <QPointF>
#include <QTimer>
#include <QWidget>
#include <functional>

#include "widgets/viewer/frame_packet.h"
#include "widgets/viewer/label_marks.h"

namespace autoqvis::widgets {

class VideoView : public QWidget {
  Q_OBJECT

 public:
  /// Text of the label of track `row` at `frame` (empty: no label).
  using LabelFunction = std::function<QString(int row, int frame)>;

  explicit VideoView(QWidget* parent = nullptr);

  /// The size of the video's frames: sets the image coordinate system and fits the view.
  void setFrameSize(QSize size);
  QSize frameSize() const { return frame_size_; }
  /// Shows `packet`; null keeps the previous picture (dimmed after a moment) until the next arrives.
  void setPacket(FramePacketPtr packet);
  FramePacketPtr packet() const { return packet_; }
  /// Marks that the frame being waited for is `frame` (shown in the "loading" hint).
  void setPendingFrame(int frame);
  void setLabelFunction(LabelFunction function) { label_function_ = std::move(function); }
  /// Highlights the track in this row (-1: none).
  void setSelectedTrack(int row);
  int selectedTrack() const { return selected_track_; }
  /// Per-track colours (for outlines and labels), indexed by row.
  void setTrackColors(QVector<QColor> colors);
  /// A message drawn over the view when there is no picture (e.g. how to open a dataset).
  void setPlaceholder(const QString& text);
  void setShowLabels(bool show);
  void setShowMasks(bool show);
  /// The review's decisions: accepted masks solid, the others hatched and faded; a dropped frame's
  /// note is shown over the picture. Null: every mask solid.
  void setLabelMarks(LabelMarksPtr marks);
  const LabelMarks* labelMarks() const { return marks_.get(); }

  double zoom() const { return zoom_; }
  bool isFitted() const { return fitted_; }
  QPointF imageToWidget(QPointF point) const { return offset_ + point * zoom_; }
  QPointF widgetToImage(QPointF point) const { return (point - offset_) / zoom_; }
  /// The row of the topmost mask at a widget position, or -1.
  int trackAt(QPointF widget_point) const;

 public slots:
  void fitToWindow();
  /// Multiplies the zoom by `factor`, keeping the image point under `anchor` (widget coords) fixed.
  void zoomBy(double factor, QPointF anchor);
  void zoomIn() { zoomBy(1.25, rect().center()); }
  void zoomOut() { zoomBy(0.8, rect().center()); }
  /// One image pixel per screen pixel.
  void zoomActualSize() { zoomBy(1.0 / zoom_, rect().center()); }

 signals:
  void trackClicked(int row);
  void zoomChanged(double zoom);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void wheelEvent(QWheelEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;

 private:
  void paintMasks(QPainter& painter) const;
  void paintLabels(QPainter& painter) const;
  void paintStatus(QPainter& painter) const;
  void paintHatch(QPainter& painter, const MaskOverlay& mask) const;
  void paintFrameNote(QPainter& painter) const;
  QColor trackColor(int row) const;

  QSize frame_size_;
  FramePacketPtr packet_;
  int pending_frame_ = -1;
  QElapsedTimer pending_clock_;
  QTimer pending_hint_timer_;  // repaints once a wait has become long enough to mention
  LabelFunction label_function_;
  QVector<QColor> colors_;
  LabelMarksPtr marks_;
  QString placeholder_;
  int selected_track_ = -1;
  bool show_labels_ = true;
  bool show_masks_ = true;

  double zoom_ = 1.0;
  QPointF offset_;  // widget position of image point (0, 0)
  bool fitted_ = true;
  QPoint press_pos_;
  QPointF press_offset_;
  bool dragging_ = false;
  bool pressed_ = false;
};

}  // namespace autoqvis::widgets
