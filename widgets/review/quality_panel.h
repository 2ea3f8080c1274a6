// The quality panel of the review: a histogram of Q over the round's per-frame labels (accepted part
// stacked under the left-out part) with a vertical tau line that can be dragged, bound both ways to a
// slider and a spin box; the live counters; the labels of a clicked bin (choosing one asks to show
// it); a scatter of s or Q against the true (or predicted) IoU with Spearman's rho; and the rounds
// compared (Q histograms overlaid, accepted-set size per round). It only shows what it is given.
#pragma once

#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>
#include <cstdint>
#include <vector>

class QCPBars;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCustomPlot;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QMouseEvent;
class QSlider;
class QTabWidget;

namespace autoqvis::widgets {

class QualityPanel : public QWidget {
  Q_OBJECT

 public:
  explicit QualityPanel(QWidget* parent = nullptr);

  /// Moves the tau line, slider and spin box without emitting tauChanged.
  void setTau(double tau);
  double tau() const { return tau_; }
  /// The tau that is committed, drawn as a dashed line.
  void setCommittedTau(double tau);
  /// Per Q bin (equal bins over [0, 1]): labels, and how many of them are accepted.
  void setHistogram(const std::vector<uint32_t>& total, const std::vector<uint32_t>& accepted);
  /// Rich text of the counters.
  void setCounters(const QString& html);
  /// The labels of the clicked bin, one line each (the page keeps what each line stands for).
  void setBinLabels(const QString& title, const QStringList& lines);
  bool showsCurrentVideo() const;

  struct ScatterPoints {
    QVector<double> x, y;        ///< accepted labels
    QVector<double> x_out, y_out;  ///< left-out labels
  };
  /// The scatter tab: `x_title` against `y_title`, with a caption (Spearman's rho).
  void setScatter(const ScatterPoints& points, const QString& x_title, const QString& y_title,
                  const QString& caption);
  /// Whether the scatter's x axis is Q (else the confidence s).
  bool scatterShowsQuality() const;
  /// Whether the scatter tab is the one shown (its points need not be kept current otherwise).
  bool isScatterVisible() const;

  struct RoundSeries {
    QString stage;
    std::vector<double> fraction;  ///< per Q bin, share of the round's labels
    size_t objects = 0, frames = 0, videos = 0;
    double tau = 0;
  };
  /// The rounds tab.
  void setRounds(const std::vector<RoundSeries>& rounds);

  QCustomPlot* histogramPlot() const { return histogram_; }
  QDoubleSpinBox* spinBox() const { return spin_; }
  QLabel* counters() const { return counters_; }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 signals:
  /// A person moved tau (line, slider, spin box).
  void tauChanged(double tau);
  void binClicked(int bin);
  /// Line `row` of the bin list was chosen.
  void binLabelChosen(int row);
  /// Whole set / current video.
  void scopeChanged();
  /// The scatter's x axis was switched.
  void scatterAxisChanged();
  /// Another tab was shown.
  void tabShown();

 private:
  QWidget* buildHistogramTab();
  QWidget* buildScatterTab();
  QWidget* buildRoundsTab();
  void moveTauLines();
  void histogramPress(QMouseEvent* event);
  void histogramMove(QMouseEvent* event);
  void histogramRelease(QMouseEvent* event);
  void userTau(double tau);

  double tau_ = 0.75;
  double committed_tau_ = -1;
  bool updating_ = false;
  bool dragging_ = false;
  QTabWidget* tabs_ = nullptr;
  QCustomPlot* histogram_ = nullptr;
  QCPBars* accepted_bars_ = nullptr;
  QCPBars* rejected_bars_ = nullptr;
  QCPItemStraightLine* tau_line_ = nullptr;
  QCPItemStraightLine* committed_line_ = nullptr;
  QCPItemText* tau_label_ = nullptr;
  QComboBox* scope_ = nullptr;
  QSlider* slider_ = nullptr;
  QDoubleSpinBox* spin_ = nullptr;
  QLabel* counters_ = nullptr;
  QLabel* bin_title_ = nullptr;
  QListWidget* bin_list_ = nullptr;
  QCustomPlot* scatter_ = nullptr;
  QComboBox* scatter_axis_ = nullptr;
  QCPItemStraightLine* scatter_tau_line_ = nullptr;
  QLabel* scatter_caption_ = nullptr;
  QCustomPlot* rounds_plot_ = nullptr;
  QCustomPlot* sizes_plot_ = nullptr;
};

}  // namespace autoqvis::widgets
