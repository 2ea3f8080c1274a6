#include "widgets/training/plot_legend.h"

#include <qcustomplot.h>

namespace autoqvis::widgets {

void placeLegendAbove(QCustomPlot* plot, int font_size) {
  QCPLegend* legend = plot->legend;
  legend->setVisible(true);
  legend->setFont(QFont(plot->font().family(), font_size));
  legend->setBorderPen(Qt::NoPen);
  legend->setBrush(Qt::NoBrush);
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  legend->setWrap(8);
  legend->setRowSpacing(0);
  legend->setMargins(QMargins(2, 0, 2, 0));
  plot->axisRect()->insetLayout()->take(legend);
  plot->axisRect()->insetLayout()->simplify();
  plot->plotLayout()->insertRow(0);
  plot->plotLayout()->addElement(0, 0, legend);
  plot->plotLayout()->setRowStretchFactor(0, 0.001);
  plot->plotLayout()->setRowSpacing(0);
}

}  // namespace autoqvis::widgets
