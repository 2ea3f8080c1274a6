#include "widgets/review/workspace_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <cmath>

namespace autoqvis::widgets {
namespace {

constexpr int kKindRole = Qt::UserRole + 1;
constexpr int kStageRole = Qt::UserRole + 2;

QString percent(const std::optional<double>& value) {
  if (!value || *value < 0) return "–";
  return QString::number(*value * 100.0, 'f', 1);
}

QString count(const std::optional<size_t>& value) { return value ? QString::number(*value) : QString("–"); }

}  // namespace

WorkspacePanel::WorkspacePanel(QWidget* parent) : QWidget(parent) {
  setObjectName("workspacePanel");
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  title_ = new QLabel("No workspace open. File → Open workspace… (Ctrl+Shift+W)");
  title_->setWordWrap(true);
  layout->addWidget(title_);
  stages_ = new QTableWidget(0, 7);
  stages_->setObjectName("stageTable");
  stages_->setHorizontalHeaderLabels({"Stage", "Status", "τ", "Objects", "Frames", "Videos", "AP50"});
  stages_->verticalHeader()->hide();
  stages_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  stages_->setSelectionMode(QAbstractItemView::NoSelection);
  stages_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  stages_->setToolTip("Each stage of the project: its finished steps, the τ its selection used, what it accepted, "
                      "and its validation AP50 (%)");
  layout->addWidget(stages_, 1);
  tree_ = new QTreeWidget;
  tree_->setObjectName("workspaceItems");
  tree_->setHeaderLabel("Open (double-click)");
  tree_->setRootIsDecorated(false);
  connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
    emit itemActivated(static_cast<ItemKind>(item->data(0, kKindRole).toInt()), item->data(0, kStageRole).toString());
  });
  layout->addWidget(tree_, 2);
}

void WorkspacePanel::setWorkspace(const QString& dir, const std::vector<StageSummary>& stages,
                                  const std::vector<Item>& items) {
  title_->setText(dir.isEmpty() ? "No workspace open." : "<b>Workspace</b> " + dir.toHtmlEscaped());
  fillStages(stages);
  tree_->clear();
  for (const Item& item : items) {
    auto* row = new QTreeWidgetItem(tree_, {item.title});
    row->setData(0, kKindRole, static_cast<int>(item.kind));
    row->setData(0, kStageRole, item.stage);
    row->setToolTip(0, item.detail);
  }
}

void WorkspacePanel::fillStages(const std::vector<StageSummary>& stages) {
  stages_->setRowCount(static_cast<int>(stages.size()));
  for (size_t r = 0; r < stages.size(); ++r) {
    const StageSummary& s = stages[r];
    QString status = s.complete ? "done" : s.steps_done.empty() ? "–" : QString::fromStdString(s.steps_done.back());
    const QStringList cells = {QString::fromStdString(s.stage), status,
                               s.tau ? QString::number(*s.tau, 'f', 2) : QString("–"), count(s.objects),
                               count(s.frames), count(s.videos), percent(s.AP50)};
    for (int c = 0; c < cells.size(); ++c) {
      auto* cell = new QTableWidgetItem(cells[c]);
      if (c >= 2) cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      stages_->setItem(static_cast<int>(r), c, cell);
    }
  }
}

void WorkspacePanel::setCurrent(ItemKind kind, const QString& stage) {
  for (int i = 0; i < tree_->topLevelItemCount(); ++i) {
    QTreeWidgetItem* item = tree_->topLevelItem(i);
    QFont font = item->font(0);
    font.setBold(item->data(0, kKindRole).toInt() == static_cast<int>(kind) && item->data(0, kStageRole).toString() == stage);
    item->setFont(0, font);
  }
}


}  // namespace autoqvis::widgets
