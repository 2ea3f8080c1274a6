// A QCustomPlot legend as one row above the plot instead of a box over the data, so curves and bars
// are never hidden behind it (the training curves and the AP-per-stage bars use it).
#pragma once

class QCustomPlot;

namespace autoqvis::widgets {

void placeLegendAbove(QCustomPlot* plot, int font_size = 8);

}  // namespace autoqvis::widgets
