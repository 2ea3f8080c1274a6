#include "widgets/viewer/transport_bar.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <cmath>

#include "widgets/viewer/playback_controller.h"

namespace autoqvis::widgets {

namespace {

QString formatTime(double seconds) {
  const int minutes = static_cast<int>(seconds / 60);
  return QString("%1:%2").arg(minutes).arg(seconds - minutes * 60, 5, 'f', 2, QChar('0'));
}

}  // namespace

TransportBar::TransportBar(PlaybackController* playback, QWidget* parent)
    : QWidget(parent), playback_(playback) {
  setObjectName("transportBar");
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(6, 2, 6, 2);
  QToolButton* first = button("media-skip-backward", QStyle::SP_MediaSkipBackward, "First frame (Home)");
  QToolButton* previous = button("media-seek-backward", QStyle::SP_MediaSeekBackward, "Previous frame (←)");
  play_button_ = button("media-playback-start", QStyle::SP_MediaPlay, "Play / pause (Space)");
  QToolButton* next = button("media-seek-forward", QStyle::SP_MediaSeekForward, "Next frame (→)");
  QToolButton* last = button("media-skip-forward", QStyle::SP_MediaSkipForward, "Last frame (End)");
  for (QToolButton* b : {first, previous, play_button_, next, last}) layout->addWidget(b);
  slider_ = new QSlider(Qt::Horizontal);
  slider_->setObjectName("frameSlider");
  slider_->setFocusPolicy(Qt::NoFocus);
  slider_->setToolTip("Frame");
  layout->addWidget(slider_, 1);
  position_ = new QLabel;
  position_->setObjectName("positionLabel");
  position_->setMinimumWidth(
      position_->fontMetrics().horizontalAdvance("frame 00000 / 00000   0:00.00   00.0 fps"));
  layout->addWidget(position_);

  connect(first, &QToolButton::clicked, playback_, &PlaybackController::first);
  connect(previous, &QToolButton::clicked, playback_, [this] { playback_->step(-1); });
  connect(play_button_, &QToolButton::clicked, playback_, &PlaybackController::togglePlay);
  connect(next, &QToolButton::clicked, playback_, [this] { playback_->step(1); });
  connect(last, &QToolButton::clicked, playback_, &PlaybackController::last);
  connect(slider_, &QSlider::valueChanged, playback_, &PlaybackController::seek);
  connect(playback_, &PlaybackController::frameChanged, this, &TransportBar::showFrame);
  connect(playback_, &PlaybackController::playingChanged, this, &TransportBar::showPlaying);
  refresh();
}

QToolButton* TransportBar::button(const QString& icon_name, QStyle::StandardPixmap fallback,
                                  const QString& tip) {
  auto* b = new QToolButton;
  b->setIcon(QIcon::fromTheme(icon_name, style()->standardIcon(fallback)));
  b->setToolTip(tip);
  b->setAutoRaise(true);
  b->setFocusPolicy(Qt::NoFocus);
  return b;
}

void TransportBar::refresh() {
  const QSignalBlocker block(slider_);
  slider_->setRange(0, std::max(0, playback_->frameCount() - 1));
  slider_->setValue(playback_->frame());
  setEnabled(playback_->frameCount() > 0);
  showFrame(playback_->frame());
}

QString TransportBar::positionText() const { return position_->text(); }

void TransportBar::showFrame(int frame) {
  {
    const QSignalBlocker block(slider_);
    slider_->setValue(frame);
  }
  const int frames = playback_->frameCount();
  if (frames <= 0) {
    position_->setText("no video");
    return;
  }
  position_->setText(QString("frame %1 / %2   %3   %4 fps")
                         .arg(frame)
                         .arg(frames - 1)
                         .arg(formatTime(frame / playback_->fps()))
                         .arg(playback_->fps(), 0, 'g', 3));
}

void TransportBar::showPlaying(bool playing) {
  play_button_->setIcon(
      playing ? QIcon::fromTheme("media-playback-pause", style()->standardIcon(QStyle::SP_MediaPause))
              : QIcon::fromTheme("media-playback-start", style()->standardIcon(QStyle::SP_MediaPlay)));
}

}  // namespace autoqvis::widgets
