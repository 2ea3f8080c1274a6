// How responsive the GUI thread's event loop is: a 10 ms timer on that thread records the largest
// interval between its ticks (a blocked loop shows as a long gap). Shared by the GUI tests.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <algorithm>

namespace autoqvis::testing {

class GapMeter {
 public:
  GapMeter() {
    timer_.setTimerType(Qt::PreciseTimer);
    timer_.setInterval(10);
    QObject::connect(&timer_, &QTimer::timeout, [this] {
      if (clock_.isValid()) largest_ms_ = std::max(largest_ms_, clock_.nsecsElapsed() / 1e6);
      clock_.start();
      ++ticks_;
    });
    timer_.start();
  }
  void stop() { timer_.stop(); }
  double largestMs() const { return largest_ms_; }
  int ticks() const { return ticks_; }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  double largest_ms_ = 0;
  int ticks_ = 0;
};

}  // namespace autoqvis::testing
