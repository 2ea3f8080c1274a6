// What the review shows, as pure functions of the workspace, the round's catalog and the selection at
// the current tau (a ReviewSnapshot), so the wording and the marks are computed without a window: the
// workspace dock's items, the current video's
// marks and labels-table columns, its Q histogram, the counters, the scatter's points and caption, a
// histogram bin's labels, the properties panel's "Review" section, and a person's decision as an override.
#pragma once

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

#include "core/selftrain/selection_file.h"
#include "widgets/document/track_list_model.h"
#include "widgets/review/quality_panel.h"
#include "widgets/review/review_session.h"
#include "widgets/review/workspace_panel.h"
#include "widgets/viewer/label_marks.h"
#include "widgets/viewer/properties_panel.h"

namespace autoqvis::gui {

/// What the workspace dock offers to open: each reviewable stage, the validation set with its ground
/// truth and each stage's predictions on it, the synthetic stills (those whose files exist).
std::vector<widgets::WorkspacePanel::Item> workspaceItems(const Workspace& workspace);

/// The current video's labels as the views paint them, and the labels table's review columns.
struct VideoMarks {
  widgets::LabelMarksPtr marks;
  std::vector<widgets::TrackListModel::ReviewInfo> info;  ///< per track row
};
VideoMarks videoMarks(const widgets::ReviewCatalog& catalog, const widgets::ReviewSnapshot& snapshot, int video,
                      const std::vector<Override>& overrides, int min_frames);

/// This round's labels of one video per Q bin, and how many of them are accepted.
void videoHistogram(const widgets::ReviewCatalog& catalog, const widgets::ReviewSnapshot& snapshot, int video,
                    std::vector<uint32_t>& total, std::vector<uint32_t>& accepted);

/// The counters: now, at the committed tau, the change, the decisions and whether they are committed.
QString countersText(const widgets::ReviewSnapshot& snapshot, double committed_tau,
                     const SelectionResult::Counts& committed, size_t decisions, bool uncommitted);

/// The scatter of this round's labels (every label up to `max_points`, else an even sample): x is Q or
/// s, y the true IoU when the catalog has it, else the predicted IoU; `caption` gets Spearman's rho.
widgets::QualityPanel::ScatterPoints scatterPoints(const widgets::ReviewCatalog& catalog,
                                                   const widgets::ReviewSnapshot& snapshot, bool by_quality,
                                                   size_t max_points, QString& caption);

/// The labels of Q bin `bin` (of `video`, or all with -1), best Q first, at most `limit` of them.
struct BinLabels {
  std::vector<uint32_t> entries;  ///< what each line stands for
  QStringList lines;
  QString title;
};
BinLabels binLabels(const widgets::ReviewCatalog& catalog, const widgets::ReviewSnapshot& snapshot, int bin,
                    int video, size_t limit);

/// The properties panel's "Review" section for the track in `row` of `video` at `frame` (-1: none).
widgets::PropertiesPanel::Rows reviewProperties(const widgets::ReviewCatalog& catalog,
                                                const widgets::ReviewSnapshot& snapshot, const QString& stage,
                                                int video, int row, int frame, const std::vector<Override>& overrides);

/// A person's decision on the track in `row` of `video` (its label at `frame`, or the whole object),
/// with its provenance; nullopt when that frame has no mask.
std::optional<Override> decisionOn(const widgets::ReviewCatalog& catalog, const widgets::ReviewSnapshot& snapshot,
                                   int video, int row, Decision decision, std::optional<int> frame,
                                   const std::string& user, const std::string& time);

/// `overrides` with `decision` in force: it replaces an earlier decision on the same target.
std::vector<Override> withDecision(std::vector<Override> overrides, const Override& decision);
/// `overrides` without the decision on `target`'s target; false when there was none.
bool removeDecision(std::vector<Override>& overrides, const Override& target);

}  // namespace autoqvis::gui
