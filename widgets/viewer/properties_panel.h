// The properties/info panel: named sections of "property: value" rows (the open files, the video, the
// current frame, the selected track). Each section is replaced as a whole when its subject changes.
#pragma once

#include <QPair>
#include <QString>
#include <QStringList>
#include <QTreeWidget>
#include <QVector>

namespace autoqvis::widgets {

class PropertiesPanel : public QTreeWidget {
  Q_OBJECT

 public:
  using Rows = QVector<QPair<QString, QString>>;

  explicit PropertiesPanel(QWidget* parent = nullptr);

  /// Sections named here keep this order whenever they are created; others go at the end.
  void setSectionOrder(const QStringList& titles) { order_ = titles; }

  /// Replaces the rows of section `title` (created at the end on first use, expanded).
  void setSection(const QString& title, const Rows& rows);
  /// Removes the section.
  void removeSection(const QString& title);
  /// The value shown for `property` in `section`, or a null string (for tests).
  QString value(const QString& section, const QString& property) const;

 private:
  QTreeWidgetItem* section(const QString& title) const;
  int insertPosition(const QString& title) const;

  QStringList order_;
};

}  // namespace autoqvis::widgets
