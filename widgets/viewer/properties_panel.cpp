#include "widgets/viewer/properties_panel.h"

#include <QHeaderView>

namespace autoqvis::widgets {

PropertiesPanel::PropertiesPanel(QWidget* parent) : QTreeWidget(parent) {
  setObjectName("propertiesPanel");
  setColumnCount(2);
  setHeaderLabels({"Property", "Value"});
  setRootIsDecorated(true);
  setUniformRowHeights(true);
  setSelectionMode(NoSelection);
  setFocusPolicy(Qt::NoFocus);
  setAlternatingRowColors(true);
  header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
  header()->setStretchLastSection(true);
  setTextElideMode(Qt::ElideMiddle);  // long paths keep both ends readable
}

QTreeWidgetItem* PropertiesPanel::section(const QString& title) const {
  for (int i = 0; i < topLevelItemCount(); ++i) {
    if (topLevelItem(i)->text(0) == title) return topLevelItem(i);
  }
  return nullptr;
}

int PropertiesPanel::insertPosition(const QString& title) const {
  const int rank = order_.indexOf(title);
  if (rank < 0) return topLevelItemCount();
  int position = 0;
  while (position < topLevelItemCount()) {
    const int other = order_.indexOf(topLevelItem(position)->text(0));
    if (other < 0 || other > rank) break;
    ++position;
  }
  return position;
}

void PropertiesPanel::setSection(const QString& title, const Rows& rows) {
  QTreeWidgetItem* item = section(title);
  if (!item) {
    item = new QTreeWidgetItem(QStringList{title});
    insertTopLevelItem(insertPosition(title), item);
    item->setFirstColumnSpanned(true);
    QFont font = item->font(0);
    font.setBold(true);
    item->setFont(0, font);
    item->setExpanded(true);
  }
  // Update rows in place when the shape is unchanged: no flicker at playback rate.
  if (item->childCount() != rows.size()) {
    qDeleteAll(item->takeChildren());
    for (int i = 0; i < rows.size(); ++i) new QTreeWidgetItem(item);
  }
  for (int i = 0; i < rows.size(); ++i) {
    QTreeWidgetItem* child = item->child(i);
    if (child->text(0) != rows[i].first) child->setText(0, rows[i].first);
    if (child->text(1) != rows[i].second) {
      child->setText(1, rows[i].second);
      child->setToolTip(1, rows[i].second);
    }
  }
}

void PropertiesPanel::removeSection(const QString& title) { delete section(title); }

QString PropertiesPanel::value(const QString& section_title, const QString& property) const {
  const QTreeWidgetItem* item = section(section_title);
  if (!item) return {};
  for (int i = 0; i < item->childCount(); ++i) {
    if (item->child(i)->text(0) == property) return item->child(i)->text(1);
  }
  return {};
}

}  // namespace autoqvis::widgets
