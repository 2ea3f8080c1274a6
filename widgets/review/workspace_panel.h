// The workspace dock: where the open project stands (one row per stage: its steps, tau, accepted
// objects / frames / videos and validation AP50) and what can be opened from it: each round's
// pseudo-labels for review, the validation set with its ground truth or a stage's results, and the
// synthetic stills with their pseudo-masks. It shows what the page gives it; activating an item asks
// the page to open it.
#pragma once

#include <QString>
#include <QWidget>
#include <vector>

#include "core/selftrain/stage_summary.h"

class QLabel;
class QTableWidget;
class QTreeWidget;
class QTreeWidgetItem;

namespace autoqvis::widgets {

class WorkspacePanel : public QWidget {
  Q_OBJECT

 public:
  enum class ItemKind { ReviewStage, ValidationTruth, ValidationResults, SyntheticStills };
  struct Item {
    ItemKind kind = ItemKind::ReviewStage;
    QString stage;  ///< the stage it belongs to (empty for the data sets)
    QString title;
    QString detail;  ///< shown as a tool tip (the file)
  };

  explicit WorkspacePanel(QWidget* parent = nullptr);

  /// Shows a workspace (empty dir: none).
  void setWorkspace(const QString& dir, const std::vector<StageSummary>& stages, const std::vector<Item>& items);
  /// Marks the item that is open now (bold).
  void setCurrent(ItemKind kind, const QString& stage);
  QTableWidget* stageTable() const { return stages_; }
  QTreeWidget* itemTree() const { return tree_; }

 signals:
  void itemActivated(autoqvis::widgets::WorkspacePanel::ItemKind kind, const QString& stage);

 private:
  void fillStages(const std::vector<StageSummary>& stages);
  QLabel* title_ = nullptr;
  QTableWidget* stages_ = nullptr;
  QTreeWidget* tree_ = nullptr;
};

}  // namespace autoqvis::widgets
