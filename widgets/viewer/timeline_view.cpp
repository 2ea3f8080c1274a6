#include "widgets/viewer/timeline_view.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

#include "widgets/viewer/timeline_delegate.h"
#include "widgets/document/track_list_model.h"

namespace autoqvis::widgets {

TimelineView::TimelineView(QWidget* parent) : QAbstractItemView(parent) {
  delegate_ = new TimelineDelegate(this);
  delegate_->setScale(&scale_);
  delegate_->setGutterWidth(gutter_width_);
  setItemDelegate(delegate_);
  setSelectionBehavior(SelectRows);
  setSelectionMode(SingleSelection);
  setEditTriggers(NoEditTriggers);
  setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
  setMouseTracking(true);
  row_height_ = std::max(20, fontMetrics().height() + 8);
  ruler_height_ = std::max(20, fontMetrics().height() + 8);
  setMinimumHeight(ruler_height_ + 2 * row_height_);
  scale_.setArea(gutter_width_, 200);
}

void TimelineView::setFrameCount(int frames) {
  has_video_ = frames > 0;
  scale_.setFrameCount(frames);
  scale_.fit();
  playhead_ = std::clamp(playhead_, 0, scale_.frameCount() - 1);
  updateGeometries();
  viewport()->update();
}

int TimelineView::rowAt(int y) const {
  if (!model() || y < ruler_height_) return -1;
  const int row = (y - ruler_height_ + verticalOffset()) / row_height_;
  return row < model()->rowCount(rootIndex()) ? row : -1;
}

void TimelineView::zoomAbout(double x, double factor) {
  scale_.zoomAbout(x, factor);
  syncHorizontalBar();
  viewport()->update();
}

void TimelineView::fitTime() {
  scale_.fit();
  syncHorizontalBar();
  viewport()->update();
}

QModelIndex TimelineView::indexAt(const QPoint& point) const {
  const int row = rowAt(point.y());
  return row < 0 ? QModelIndex() : model()->index(row, 0, rootIndex());
}

QRect TimelineView::visualRect(const QModelIndex& index) const {
  if (!index.isValid()) return {};
  return QRect(0, ruler_height_ + index.row() * row_height_ - verticalOffset(), viewport()->width(),
               row_height_);
}

void TimelineView::scrollTo(const QModelIndex& index, ScrollHint) {
  if (!index.isValid()) return;
  const QRect rect = visualRect(index);
  const int area = viewport()->height() - ruler_height_;
  if (rect.top() < ruler_height_) {
    verticalScrollBar()->setValue(index.row() * row_height_);
  } else if (rect.bottom() >= ruler_height_ + area) {
    verticalScrollBar()->setValue((index.row() + 1) * row_height_ - area);
  }
}

void TimelineView::reset() {
  QAbstractItemView::reset();
  updateGeometries();
  viewport()->update();
}

void TimelineView::setPlayhead(int frame) {
  const int clamped = std::clamp(frame, 0, scale_.frameCount() - 1);
  if (clamped == playhead_) return;
  playhead_ = clamped;
  if (!scrubbing_ && !scale_.isVisible(playhead_)) {
    scale_.ensureVisible(playhead_);
    syncHorizontalBar();
  }
  viewport()->update();
}

QModelIndex TimelineView::moveCursor(CursorAction action, Qt::KeyboardModifiers) {
  if (!model()) return {};
  const int rows = model()->rowCount(rootIndex());
  if (rows == 0) return {};
  int row = currentIndex().isValid() ? currentIndex().row() : -1;
  const int page = std::max(1, (viewport()->height() - ruler_height_) / row_height_);
  switch (action) {
    case MoveUp:
      row = std::max(0, row - 1);
      break;
    case MoveDown:
      row = std::min(rows - 1, row + 1);
      break;
    case MovePageUp:
      row = std::max(0, row - page);
      break;
    case MovePageDown:
      row = std::min(rows - 1, row + page);
      break;
    case MoveHome:
      row = 0;
      break;
    case MoveEnd:
      row = rows - 1;
      break;
    default:
      return currentIndex();
  }
  return model()->index(std::max(0, row), 0, rootIndex());
}

int TimelineView::horizontalOffset() const { return horizontalScrollBar()->value(); }

int TimelineView::verticalOffset() const { return verticalScrollBar()->value(); }

bool TimelineView::isIndexHidden(const QModelIndex& index) const { return index.column() != 0; }

void TimelineView::setSelection(const QRect& rect, QItemSelectionModel::SelectionFlags command) {
  if (!model() || !selectionModel()) return;
  const QRect normalized = rect.normalized();
  int first = rowAt(std::max(normalized.top(), ruler_height_));
  int last = rowAt(normalized.bottom());
  if (first < 0 && last < 0) {
    selectionModel()->select(QItemSelection(), command);
    return;
  }
  if (first < 0) first = last;
  if (last < 0) last = model()->rowCount(rootIndex()) - 1;
  const int last_column = std::max(0, model()->columnCount(rootIndex()) - 1);
  const QItemSelection selection(model()->index(first, 0, rootIndex()),
                                 model()->index(last, last_column, rootIndex()));
  selectionModel()->select(selection, command);
}

QRegion TimelineView::visualRegionForSelection(const QItemSelection& selection) const {
  QRegion region;
  for (const QItemSelectionRange& range : selection) {
    for (int row = range.top(); row <= range.bottom(); ++row)
      region += visualRect(model()->index(row, 0, rootIndex()));
  }
  return region;
}

void TimelineView::updateGeometries() {
  scale_.setArea(gutter_width_, std::max(1, viewport()->width() - gutter_width_));
  const int rows = model() ? model()->rowCount(rootIndex()) : 0;
  const int area = std::max(0, viewport()->height() - ruler_height_);
  verticalScrollBar()->setSingleStep(row_height_);
  verticalScrollBar()->setPageStep(area);
  verticalScrollBar()->setRange(0, std::max(0, rows * row_height_ - area));
  syncHorizontalBar();
  QAbstractItemView::updateGeometries();
}

void TimelineView::syncHorizontalBar() {
  syncing_bar_ = true;
  QScrollBar* bar = horizontalScrollBar();
  const int hidden = static_cast<int>(std::ceil(scale_.contentWidth() - scale_.width()));
  bar->setRange(0, std::max(0, hidden));
  bar->setPageStep(static_cast<int>(scale_.width()));
  bar->setSingleStep(std::max(1, static_cast<int>(scale_.pixelsPerFrame())));
  bar->setValue(static_cast<int>(std::lround(scale_.firstVisibleFrame() * scale_.pixelsPerFrame())));
  syncing_bar_ = false;
}

void TimelineView::scrollContentsBy(int, int) {
  if (!syncing_bar_) scale_.setFirstVisibleFrame(horizontalScrollBar()->value() / scale_.pixelsPerFrame());
  viewport()->update();
}

void TimelineView::dataChanged(const QModelIndex& top_left, const QModelIndex& bottom_right,
                               const QList<int>& roles) {
  QAbstractItemView::dataChanged(top_left, bottom_right, roles);
  viewport()->update();
}

int TimelineView::tickStep() const {
  // Labels at least ~64 px apart, on 1-2-5 steps.
  const double min_frames = 64.0 / scale_.pixelsPerFrame();
  for (int magnitude = 1;; magnitude *= 10) {
    for (int m : {1, 2, 5}) {
      if (m * magnitude >= min_frames) return m * magnitude;
    }
  }
}

void TimelineView::paintEvent(QPaintEvent*) {
  QPainter painter(viewport());
  painter.fillRect(viewport()->rect(), palette().color(QPalette::Base));
  if (!has_video_) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(viewport()->rect(), Qt::AlignCenter, "The tracks of the open video appear here");
    return;
  }
  if (model()) {
    const int rows = model()->rowCount(rootIndex());
    const int first = std::max(0, verticalOffset() / row_height_);
    const int last =
        std::min(rows - 1, (verticalOffset() + viewport()->height() - ruler_height_) / row_height_);
    for (int row = first; row <= last; ++row) {
      const QModelIndex index = model()->index(row, 0, rootIndex());
      QStyleOptionViewItem option;
      initViewItemOption(&option);
      option.rect = visualRect(index);
      if (selectionModel() && selectionModel()->isRowSelected(row, rootIndex()))
        option.state |= QStyle::State_Selected;
      delegate_->paint(&painter, option, index);
    }
    if (rows == 0) {
      painter.setPen(palette().color(QPalette::PlaceholderText));
      painter.drawText(viewport()->rect().adjusted(gutter_width_, ruler_height_, 0, 0), Qt::AlignCenter,
                       "No tracks in this video");
    }
  }
  paintRuler(painter);
  paintPlayhead(painter);
}

void TimelineView::setLabelMarks(LabelMarksPtr marks) {
  marks_ = marks;
  delegate_->setLabelMarks(std::move(marks));
  viewport()->update();
}

void TimelineView::paintRuler(QPainter& painter) const {
  const QRect ruler(0, 0, viewport()->width(), ruler_height_);
  painter.fillRect(ruler, palette().color(QPalette::Window));
  painter.setPen(palette().color(QPalette::Mid));
  painter.drawLine(ruler.bottomLeft(), ruler.bottomRight());
  painter.setPen(palette().color(QPalette::WindowText));
  painter.drawText(QRect(6, 0, gutter_width_ - 8, ruler_height_), Qt::AlignVCenter | Qt::AlignLeft, "Frame");
  painter.save();
  painter.setClipRect(QRect(gutter_width_, 0, viewport()->width() - gutter_width_, ruler_height_));
  const int step = tickStep();
  const int first = static_cast<int>(std::floor(scale_.firstVisibleFrame() / step)) * step;
  const int last = std::min(scale_.frameCount() - 1, scale_.frameAt(scale_.left() + scale_.width()));
  if (marks_) {
    // Frames the pseudo-label set drops: a dark band under their numbers.
    for (int f = std::max(0, static_cast<int>(scale_.firstVisibleFrame())); f <= last; ++f) {
      if (!marks_->dropped(f)) continue;
      const double x0 = scale_.xForFrame(f);
      painter.fillRect(QRectF(x0, 0, std::max(1.0, scale_.xForFrame(f + 1) - x0), ruler_height_ - 1),
                       QColor(150, 150, 150, 110));
    }
  }
  const bool every_frame = scale_.pixelsPerFrame() >= 6;
  if (every_frame) {
    painter.setPen(palette().color(QPalette::Mid));
    for (int f = std::max(0, static_cast<int>(scale_.firstVisibleFrame())); f <= last; ++f) {
      const int x = static_cast<int>(scale_.xForFrame(f));
      painter.drawLine(x, ruler.bottom() - 3, x, ruler.bottom());
    }
  }
  painter.setPen(palette().color(QPalette::WindowText));
  const QRectF tag = scale_.isVisible(playhead_) ? playheadTag(painter.fontMetrics()) : QRectF();
  for (int f = std::max(0, first); f <= last; f += step) {
    const int x = static_cast<int>(scale_.xForFrame(f));
    painter.drawLine(x, ruler.bottom() - 7, x, ruler.bottom());
    const QString label = QString::number(f);
    const QRect label_rect(x + 3, 0, painter.fontMetrics().horizontalAdvance(label), ruler_height_ - 4);
    if (!tag.intersects(label_rect)) painter.drawText(label_rect, Qt::AlignVCenter | Qt::AlignLeft, label);
  }
  painter.restore();
}

void TimelineView::paintPlayhead(QPainter& painter) const {
  if (!scale_.isVisible(playhead_)) return;
  painter.save();
  painter.setClipRect(QRect(gutter_width_, 0, viewport()->width() - gutter_width_, viewport()->height()));
  const double x0 = scale_.xForFrame(playhead_);
  const double x1 = scale_.xForFrame(playhead_ + 1);
  const QColor color(230, 60, 40);
  if (x1 - x0 >= 4) {
    QColor band = color;
    band.setAlpha(40);
    painter.fillRect(QRectF(x0, ruler_height_, x1 - x0, viewport()->height() - ruler_height_), band);
  }
  const double x = (x0 + x1) / 2;
  painter.setPen(QPen(color, 1.5));
  painter.drawLine(QPointF(x, 0), QPointF(x, viewport()->height()));
  const QRectF tag = playheadTag(painter.fontMetrics());
  painter.setRenderHint(QPainter::Antialiasing, true);
  painter.setBrush(color);
  painter.setPen(Qt::NoPen);
  painter.drawRoundedRect(tag, 3, 3);
  painter.setPen(Qt::white);
  painter.drawText(tag, Qt::AlignCenter, QString::number(playhead_));
  painter.restore();
}

QRectF TimelineView::playheadTag(const QFontMetrics& metrics) const {
  // The frame number in a tag centred on the playhead, kept inside the view.
  const double x = (scale_.xForFrame(playhead_) + scale_.xForFrame(playhead_ + 1)) / 2;
  const int width = metrics.horizontalAdvance(QString::number(playhead_)) + 10;
  const double left = std::clamp(
      x - width / 2.0, static_cast<double>(gutter_width_),
      std::max(static_cast<double>(gutter_width_), static_cast<double>(viewport()->width() - width)));
  return QRectF(left, 2, width, ruler_height_ - 5);
}

void TimelineView::resizeEvent(QResizeEvent* event) {
  QAbstractItemView::resizeEvent(event);
  updateGeometries();
}

void TimelineView::mousePressEvent(QMouseEvent* event) {
  const QPoint pos = event->position().toPoint();
  if (event->button() != Qt::LeftButton) {
    QAbstractItemView::mousePressEvent(event);
    return;
  }
  const bool in_time_area = pos.x() >= gutter_width_;
  if (!has_video_) return;
  if (pos.y() < ruler_height_) {
    if (in_time_area) {
      scrubbing_ = true;
      emit seekRequested(scale_.frameAt(pos.x()));
    }
    return;
  }
  if (!indexAt(pos).isValid()) {
    if (selectionModel()) selectionModel()->clearSelection();  // a click below the rows deselects
    return;
  }
  QAbstractItemView::mousePressEvent(event);  // selects the row
  if (in_time_area) {
    scrubbing_ = true;
    emit seekRequested(scale_.frameAt(pos.x()));
  }
}

void TimelineView::mouseMoveEvent(QMouseEvent* event) {
  if (scrubbing_) {
    emit seekRequested(scale_.frameAt(event->position().x()));
    return;  // no rubber-band selection while scrubbing
  }
  QAbstractItemView::mouseMoveEvent(event);
}

void TimelineView::mouseReleaseEvent(QMouseEvent* event) {
  scrubbing_ = false;
  QAbstractItemView::mouseReleaseEvent(event);
}

void TimelineView::wheelEvent(QWheelEvent* event) {
  const QPointF pos = event->position();
  const QPoint delta = event->angleDelta();
  const bool over_gutter = pos.x() < gutter_width_ && pos.y() >= ruler_height_;
  if (over_gutter || (event->modifiers() & Qt::ControlModifier)) {
    verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y() * row_height_ / 120);
  } else if ((event->modifiers() & Qt::ShiftModifier) || delta.x() != 0) {
    const int d = delta.x() != 0 ? delta.x() : delta.y();
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() -
                                    d * static_cast<int>(scale_.width()) / 1200);
  } else if (delta.y() != 0) {
    zoomAbout(pos.x(), std::pow(1.25, delta.y() / 120.0));
  }
  event->accept();
}

bool TimelineView::viewportEvent(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = toolTipAt(help->pos());
    if (text.isEmpty()) {
      QToolTip::hideText();
    } else {
      QToolTip::showText(help->globalPos(), text, viewport());
    }
    return true;
  }
  return QAbstractItemView::viewportEvent(event);
}

QString TimelineView::toolTipAt(const QPoint& point) const {
  if (point.x() < gutter_width_ && point.y() < ruler_height_) return {};
  if (point.y() < ruler_height_) {
    const int frame = scale_.frameAt(point.x());
    const QString note = marks_ ? marks_->note(frame) : QString();
    return QString("Frame %1 — click or drag to seek").arg(frame) + (note.isEmpty() ? "" : "\n" + note);
  }
  const QModelIndex index = indexAt(point);
  if (!index.isValid()) return {};
  if (point.x() < gutter_width_) return index.data(Qt::ToolTipRole).toString();
  const int frame = scale_.frameAt(point.x());
  bool present = false;
  for (const QPoint& span : index.data(TrackListModel::SpansRole).value<QList<QPoint>>()) {
    present = present || (frame >= span.x() && frame <= span.y());
  }
  QString text =
      QString("%1, frame %2: %3").arg(index.data().toString()).arg(frame).arg(present ? "mask" : "no mask");
  const QVariantHash values = index.data(TrackListModel::FrameValuesRole).toHash();
  for (auto it = values.begin(); it != values.end(); ++it) {
    const auto per_frame = it.value().value<QList<float>>();
    if (frame < per_frame.size() && !std::isnan(per_frame[frame])) {
      text += QString(", %1 %2").arg(TrackListModel::valueTitle(it.key())).arg(per_frame[frame], 0, 'f', 3);
    }
  }
  if (marks_ && present) {
    const LabelMarks::Mark mark = marks_->at(index.row(), frame);
    if (mark != LabelMarks::None) text += mark == LabelMarks::Accepted ? " — accepted" : " — left out";
  }
  return text;
}

}  // namespace autoqvis::widgets
