#include "widgets/viewer/timeline_delegate.h"

#include <QPainter>
#include <QPoint>
#include <algorithm>
#include <cmath>

#include "widgets/document/track_list_model.h"

namespace autoqvis::widgets {

TimelineDelegate::TimelineDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

QSize TimelineDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const {
  return QSize(gutter_width_ + 200, std::max(20, option.fontMetrics.height() + 6));
}

QColor TimelineDelegate::heatColor(double value) {
  const double v = std::clamp(value, 0.0, 1.0);
  // Red -> yellow -> green in HSV hue, equally bright, so that low quality stands out.
  return QColor::fromHsvF(static_cast<float>(v / 3.0), 0.85f, 0.9f);
}

void TimelineDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
  painter->save();
  const bool selected = option.state & QStyle::State_Selected;
  const QPalette& palette = option.palette;
  QColor background =
      (index.row() % 2) ? palette.color(QPalette::AlternateBase) : palette.color(QPalette::Base);
  if (selected) {
    QColor highlight = palette.color(QPalette::Highlight);
    highlight.setAlpha(70);
    painter->fillRect(option.rect, background);
    background = highlight;
  }
  painter->fillRect(option.rect, background);
  paintGutter(painter, option, index);
  const QRect bar_area(option.rect.left() + gutter_width_, option.rect.top(),
                       option.rect.width() - gutter_width_, option.rect.height());
  paintBars(painter, bar_area, index, selected);
  painter->restore();
}

void TimelineDelegate::paintGutter(QPainter* painter, const QStyleOptionViewItem& option,
                                   const QModelIndex& index) const {
  const QRect gutter(option.rect.left(), option.rect.top(), gutter_width_, option.rect.height());
  const QColor color = index.data(TrackListModel::ColorRole).value<QColor>();
  const int swatch = std::min(12, gutter.height() - 8);
  const QRect swatch_rect(gutter.left() + 6, gutter.center().y() - swatch / 2, swatch, swatch);
  painter->setRenderHint(QPainter::Antialiasing, true);
  painter->setPen(color.darker(160));
  painter->setBrush(color);
  painter->drawRoundedRect(swatch_rect, 2, 2);
  QFont font = option.font;
  font.setBold(option.state & QStyle::State_Selected);
  painter->setFont(font);
  painter->setPen(option.palette.color(QPalette::Text));
  const QRect text_rect = gutter.adjusted(swatch_rect.right() + 6 - gutter.left(), 0, -4, 0);
  painter->drawText(text_rect, Qt::AlignVCenter | Qt::AlignLeft, index.data(Qt::DisplayRole).toString());
  painter->setPen(option.palette.color(QPalette::Mid));
  painter->drawLine(gutter.topRight(), gutter.bottomRight());
}

void TimelineDelegate::paintBars(QPainter* painter, const QRect& bar_area, const QModelIndex& index,
                                 bool selected) const {
  if (!scale_) return;
  painter->setClipRect(bar_area);
  const QColor color = index.data(TrackListModel::ColorRole).value<QColor>();
  const auto spans = index.data(TrackListModel::SpansRole).value<QList<QPoint>>();
  QList<float> values;
  if (!value_name_.isEmpty()) {
    values = index.data(TrackListModel::FrameValuesRole).toHash().value(value_name_).value<QList<float>>();
  }
  const double top = bar_area.top() + 4;
  const double height = bar_area.height() - 8;
  painter->setRenderHint(QPainter::Antialiasing, false);
  for (const QPoint& span : spans) {
    const double x0 = scale_->xForFrame(span.x());
    const double x1 = scale_->xForFrame(span.y() + 1);
    if (x1 < bar_area.left() || x0 > bar_area.right()) continue;
    // At least one pixel, so that one-frame spans stay visible on a long video.
    const QRectF rect(x0, top, std::max(1.0, x1 - x0), height);
    if (values.isEmpty()) {
      painter->fillRect(rect, selected ? color.lighter(115) : color);
    } else {
      paintValues(painter, rect, span.x(), span.y(), values);
    }
    if (marks_) paintRejected(painter, rect, index.row(), span.x(), span.y());
    if (selected || rect.width() > 3) {
      painter->setPen(QPen(selected ? QColor(Qt::white) : color.darker(150), selected ? 1.5 : 1.0));
      painter->setBrush(Qt::NoBrush);
      painter->drawRect(rect.adjusted(0, 0, -1, -1));
    }
  }
}

void TimelineDelegate::paintValues(QPainter* painter, const QRectF& span_rect, int first, int last,
                                   const QList<float>& values) const {
  for (int f = first; f <= last; ++f) {
    const double x0 = scale_->xForFrame(f);
    const double x1 = scale_->xForFrame(f + 1);
    const float v = f < values.size() ? values[f] : NAN;
    const QColor color = std::isnan(v) ? QColor(Qt::gray) : heatColor(v);
    painter->fillRect(QRectF(x0, span_rect.top(), std::max(1.0, x1 - x0), span_rect.height()), color);
  }
}

// Left-out frames: the bar behind shows through a wash of the background, with dark diagonal lines.
void TimelineDelegate::paintRejected(QPainter* painter, const QRectF& span_rect, int row, int first,
                                     int last) const {
  const QBrush hatch(QColor(40, 40, 40, 200), Qt::BDiagPattern);
  int f = first;
  while (f <= last) {
    if (marks_->at(row, f) != LabelMarks::Rejected) {
      ++f;
      continue;
    }
    int end = f;
    while (end + 1 <= last && marks_->at(row, end + 1) == LabelMarks::Rejected) ++end;
    const double x0 = scale_->xForFrame(f);
    const double x1 = scale_->xForFrame(end + 1);
    const QRectF rect(x0, span_rect.top(), std::max(1.0, x1 - x0), span_rect.height());
    painter->fillRect(rect, QColor(255, 255, 255, 150));
    painter->fillRect(rect, hatch);
    f = end + 1;
  }
}

}  // namespace autoqvis::widgets
