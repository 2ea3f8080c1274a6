#include "widgets/viewer/video_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <vector>

namespace autoqvis::widgets {

namespace {

constexpr double kMinZoom = 0.02;
constexpr double kMaxZoom = 64.0;
constexpr int kPendingHintDelayMs = 150;  // shorter waits (normal seeks) would only flicker
const QColor kBackground(32, 33, 36);

}  // namespace

VideoView::VideoView(QWidget* parent) : QWidget(parent) {
  setObjectName("videoView");
  setFocusPolicy(Qt::ClickFocus);
  setMouseTracking(false);
  setMinimumSize(160, 120);
  setAttribute(Qt::WA_OpaquePaintEvent);
  pending_hint_timer_.setSingleShot(true);
  pending_hint_timer_.setInterval(kPendingHintDelayMs + 10);
  connect(&pending_hint_timer_, &QTimer::timeout, this, qOverload<>(&QWidget::update));
}

void VideoView::setFrameSize(QSize size) {
  frame_size_ = size;
  packet_.reset();
  pending_frame_ = -1;
  fitToWindow();
}

void VideoView::setPacket(FramePacketPtr packet) {
  if (!packet) return;
  packet_ = std::move(packet);
  if (pending_frame_ == packet_->index) pending_frame_ = -1;
  update();
}

void VideoView::setPendingFrame(int frame) {
  if (packet_ && packet_->index == frame) {
    pending_frame_ = -1;
    return;
  }
  if (pending_frame_ < 0) pending_clock_.start();
  pending_frame_ = frame;
  pending_hint_timer_.start();
}

void VideoView::setSelectedTrack(int row) {
  if (row == selected_track_) return;
  selected_track_ = row;
  update();
}

void VideoView::setTrackColors(QVector<QColor> colors) {
  colors_ = std::move(colors);
  update();
}

void VideoView::setPlaceholder(const QString& text) {
  placeholder_ = text;
  update();
}

void VideoView::setShowLabels(bool show) {
  show_labels_ = show;
  update();
}

void VideoView::setShowMasks(bool show) {
  show_masks_ = show;
  update();
}

void VideoView::setLabelMarks(LabelMarksPtr marks) {
  marks_ = std::move(marks);
  update();
}

QColor VideoView::trackColor(int row) const {
  return row >= 0 && row < colors_.size() ? colors_[row] : QColor(Qt::white);
}

int VideoView::trackAt(QPointF widget_point) const {
  if (!packet_ || !show_masks_) return -1;
  const QPointF p = widgetToImage(widget_point);
  const QPoint pixel(static_cast<int>(std::floor(p.x())), static_cast<int>(std::floor(p.y())));
  for (auto it = packet_->masks.rbegin(); it != packet_->masks.rend(); ++it) {
    if (it->box.contains(pixel) && qAlpha(it->tint.pixel(pixel - it->box.topLeft())) > 0) return it->track;
  }
  return -1;
}

void VideoView::fitToWindow() {
  fitted_ = true;
  if (frame_size_.isEmpty()) {
    zoom_ = 1.0;
    offset_ = QPointF();
  } else {
    zoom_ =
        std::clamp(std::min(width() / double(frame_size_.width()), height() / double(frame_size_.height())),
                   kMinZoom, kMaxZoom);
    offset_ =
        QPointF((width() - frame_size_.width() * zoom_) / 2, (height() - frame_size_.height() * zoom_) / 2);
  }
  emit zoomChanged(zoom_);
  update();
}

void VideoView::zoomBy(double factor, QPointF anchor) {
  if (frame_size_.isEmpty() || !(factor > 0)) return;
  const double zoom = std::clamp(zoom_ * factor, kMinZoom, kMaxZoom);
  offset_ = anchor - (anchor - offset_) * (zoom / zoom_);
  zoom_ = zoom;
  fitted_ = false;
  emit zoomChanged(zoom_);
  update();
}

void VideoView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), kBackground);
  if (frame_size_.isEmpty()) {
    painter.setPen(QColor(200, 200, 200));
    painter.drawText(rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
    return;
  }
  painter.save();
  painter.translate(offset_);
  painter.scale(zoom_, zoom_);
  // Smooth when shrinking (readable footage); nearest when enlarging, so mask edges show real pixels.
  painter.setRenderHint(QPainter::SmoothPixmapTransform, zoom_ < 1.5);
  if (packet_ && !packet_->image.isNull()) {
    painter.drawImage(QPointF(0, 0), packet_->image);
  } else {
    painter.fillRect(QRectF(QPointF(0, 0), QSizeF(frame_size_)), QColor(48, 49, 54));
  }
  if (packet_ && show_masks_) paintMasks(painter);
  painter.restore();
  if (packet_ && show_masks_ && show_labels_) paintLabels(painter);
  paintFrameNote(painter);
  paintStatus(painter);
}

void VideoView::paintMasks(QPainter& painter) const {
  const bool has_selection = selected_track_ >= 0;
  // Tints have hard edges anyway; nearest scaling halves their cost.
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  for (const MaskOverlay& mask : packet_->masks) {
    const bool selected = mask.track == selected_track_;
    const bool rejected = marks_ && marks_->at(mask.track, packet_->index) == LabelMarks::Rejected;
    painter.setOpacity((has_selection && !selected ? 0.55 : 1.0) * (rejected ? 0.35 : 1.0));
    painter.drawImage(mask.box.topLeft(), mask.tint);
    if (rejected) paintHatch(painter, mask);
  }
  painter.setOpacity(1.0);
  painter.setRenderHint(QPainter::Antialiasing, true);
  painter.setBrush(Qt::NoBrush);
  for (const MaskOverlay& mask : packet_->masks) {
    const bool selected = mask.track == selected_track_;
    // Cosmetic: the same thickness at every zoom. Exactly 1 px takes QPainter's fast path (a wider
    // pen goes through the stroker, ten times slower: it would halve the playback rate with 10 masks).
    QPen pen(selected ? QColor(Qt::white) : trackColor(mask.track).lighter(125), selected ? 2.5 : 1.0);
    pen.setCosmetic(true);
    pen.setJoinStyle(Qt::RoundJoin);
    painter.setPen(pen);
    for (const QPolygonF& polygon : mask.contour) painter.drawPolygon(polygon);
  }
}

// Diagonal lines in the track's colour over a left-out mask: visible at any zoom, and unlike a faded
// tint alone they cannot be mistaken for a low-contrast accepted mask.
void VideoView::paintHatch(QPainter& painter, const MaskOverlay& mask) const {
  QPainterPath outline;
  outline.setFillRule(Qt::OddEvenFill);
  for (const QPolygonF& polygon : mask.contour) outline.addPolygon(polygon);
  QBrush hatch(trackColor(mask.track).lighter(140), Qt::BDiagPattern);
  hatch.setTransform(QTransform::fromScale(1.0 / zoom_, 1.0 / zoom_).scale(1.5, 1.5));
  painter.save();
  painter.setOpacity(1.0);
  painter.setPen(Qt::NoPen);
  painter.setBrush(hatch);
  painter.drawPath(outline);
  painter.restore();
}

void VideoView::paintLabels(QPainter& painter) const {
  if (!label_function_) return;
  QFont font = painter.font();
  const QFontMetrics normal(font);
  painter.setRenderHint(QPainter::Antialiasing, true);
  std::vector<QRectF> placed;
  for (const MaskOverlay& mask : packet_->masks) {
    // A mask panned or zoomed out of sight keeps no label at the view's edge.
    if (!QRectF(imageToWidget(mask.box.topLeft()), QSizeF(mask.box.size()) * zoom_).intersects(rect()))
      continue;
    const QString text = label_function_(mask.track, packet_->index);
    if (text.isEmpty()) continue;
    const bool selected = mask.track == selected_track_;
    font.setBold(selected);
    painter.setFont(font);
    const QFontMetrics metrics(font);
    const int width = metrics.horizontalAdvance(text) + 12;
    const int height = normal.height() + 4;
    QPointF anchor = imageToWidget(mask.box.topLeft());
    // Above the mask when there is room, inside it otherwise; never outside the view.
    double y = anchor.y() - height - 2;
    if (y < 2) y = anchor.y() + 2;
    const double x =
        std::clamp(anchor.x(), 2.0, std::max(2.0, static_cast<double>(this->width() - width - 2)));
    y = std::clamp(y, 2.0, std::max(2.0, static_cast<double>(this->height() - height - 2)));
    QRectF box(x, y, width, height);
    // Labels of touching masks would cover each other: push a label below those already placed.
    for (int attempt = 0; attempt < 32; ++attempt) {
      const auto hit =
          std::find_if(placed.begin(), placed.end(), [&](const QRectF& r) { return r.intersects(box); });
      if (hit == placed.end()) break;
      box.moveTop(hit->bottom() + 2);
    }
    placed.push_back(box);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, selected ? 215 : 165));
    painter.drawRoundedRect(box, 3, 3);
    painter.fillRect(QRectF(box.left(), box.top() + 2, 4, box.height() - 4), trackColor(mask.track));
    painter.setPen(Qt::white);
    painter.drawText(box.adjusted(8, 0, -2, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
  }
}

void VideoView::paintStatus(QPainter& painter) const {
  painter.setRenderHint(QPainter::Antialiasing, true);
  if (packet_ && packet_->image.isNull()) {
    const QRectF image_rect(offset_, QSizeF(frame_size_) * zoom_);
    painter.setPen(QColor(255, 160, 150));
    painter.drawText(image_rect.adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap,
                     QString("Frame %1 could not be read:\n%2").arg(packet_->index).arg(packet_->error));
  }
  const bool waiting =
      pending_frame_ >= 0 && pending_clock_.isValid() && pending_clock_.elapsed() >= kPendingHintDelayMs;
  if (waiting || (!packet_ && pending_frame_ >= 0)) {
    const QString text = QString("Decoding frame %1…").arg(pending_frame_);
    const int width = painter.fontMetrics().horizontalAdvance(text) + 16;
    const QRectF chip(this->width() - width - 8, 8, width, painter.fontMetrics().height() + 6);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 180));
    painter.drawRoundedRect(chip, 4, 4);
    painter.setPen(Qt::white);
    painter.drawText(chip, Qt::AlignCenter, text);
  }
}

// A frame the review leaves out says why, across the top of the picture.
void VideoView::paintFrameNote(QPainter& painter) const {
  if (!marks_ || !packet_) return;
  const QString note = marks_->note(packet_->index);
  if (note.isEmpty()) return;
  const QFontMetrics metrics = painter.fontMetrics();
  const QRectF band(0, 0, width(), metrics.height() + 10);
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(120, 40, 30, 200));
  painter.drawRect(band);
  painter.setPen(Qt::white);
  painter.drawText(band.adjusted(10, 0, -10, 0), Qt::AlignVCenter | Qt::AlignLeft,
                   metrics.elidedText(note, Qt::ElideRight, width() - 20));
}

void VideoView::resizeEvent(QResizeEvent*) {
  if (fitted_) {
    fitToWindow();
  }
}

void VideoView::wheelEvent(QWheelEvent* event) {
  const int delta = event->angleDelta().y();
  if (delta != 0) zoomBy(std::pow(1.25, delta / 120.0), event->position());
  event->accept();
}

void VideoView::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton && event->button() != Qt::MiddleButton) return;
  pressed_ = true;
  dragging_ = false;
  press_pos_ = event->position().toPoint();
  press_offset_ = offset_;
}

void VideoView::mouseMoveEvent(QMouseEvent* event) {
  if (!pressed_) return;
  const QPoint delta = event->position().toPoint() - press_pos_;
  if (!dragging_ && delta.manhattanLength() < 4) return;
  if (!dragging_) {
    dragging_ = true;
    setCursor(Qt::ClosedHandCursor);
  }
  offset_ = press_offset_ + delta;
  fitted_ = false;
  update();
}

void VideoView::mouseReleaseEvent(QMouseEvent* event) {
  if (!pressed_) return;
  pressed_ = false;
  if (dragging_) {
    dragging_ = false;
    unsetCursor();
    return;
  }
  if (event->button() == Qt::LeftButton) emit trackClicked(trackAt(event->position()));
}

void VideoView::mouseDoubleClickEvent(QMouseEvent*) { fitToWindow(); }

}  // namespace autoqvis::widgets
