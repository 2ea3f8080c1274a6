// Why each label is in or out of the pseudo-label set (the review's solid / hatched masks): on a
// synthetic round merged into a previous state, at many tau, the accepted statuses are exactly the
// labels the selection counts, each status agrees with the rule it names, the accepted-label histogram
// sums to this round's accepted labels, and a person's rejects show as such. Also the same statuses on
// one thread and on several.
#include <QtTest>

#include "core/selftrain/label_status.h"
#include "tests/support/synthetic_round.h"

using namespace autoqvis;

class TestLabelStatus : public QObject {
  Q_OBJECT

 private slots:
  void statusesAgreeWithTheSelection() {
    const auto inputs = test::syntheticRoundInputs(40);
    SelectionOptions options;
    options.round = 1;
    const SelectionIndex index = SelectionIndex::build(inputs->view(), options);
    for (double tau : {0.0, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95, 1.0}) {
      const SelectionResult result = index.evaluate(tau);
      std::vector<LabelStatus> statuses;
      std::vector<uint32_t> bins(20, 0);
      computeLabelStatuses(index, result, statuses, &bins);
      QCOMPARE(statuses.size(), index.numEntries());
      size_t accepted = 0, accepted_predictions = 0;
      for (uint32_t s = 0; s < index.objectSlots().size(); ++s) {
        const auto& slot = index.objectSlots()[s];
        for (int f = 0; f < index.videos()[slot.video].frames; ++f) {
          const uint32_t e = slot.first_entry + f;
          const LabelStatus status = statuses[e];
          QCOMPARE(status == LabelStatus::Empty, index.empty(e));
          const bool marked = tau <= index.threshold(e);
          if (status == LabelStatus::Accepted || status == LabelStatus::FrameDropped ||
              status == LabelStatus::VideoDropped || status == LabelStatus::ObjectFiltered) {
            QVERIFY(marked);
          }
          if (status == LabelStatus::BelowTau || status == LabelStatus::DropsFrame) QVERIFY(!marked);
          if (status == LabelStatus::Accepted) {
            ++accepted;
            accepted_predictions += slot.kind == SelectionIndex::SlotKind::Prediction;
          }
        }
      }
      QCOMPARE(accepted, result.counts.labels);
      size_t binned = 0;
      for (uint32_t b : bins) binned += b;
      QCOMPARE(binned, accepted_predictions);
      std::vector<LabelStatus> single;
      computeLabelStatuses(index, result, single, nullptr, 1);
      QVERIFY(single == statuses);
    }
  }

  void aPersonsRejectShows() {
    const auto inputs = test::syntheticRoundInputs(5);
    SelectionOptions options;
    options.round = 1;
    SelectionIndex index = SelectionIndex::build(inputs->view(), options);
    uint32_t target = 0;
    while (index.objectSlots()[target].kind != SelectionIndex::SlotKind::Prediction) ++target;
    const auto& slot = index.objectSlots()[target];
    Override object{index.videos()[slot.video].id, OverrideTarget::Prediction, slot.id, std::nullopt, {Decision::Reject}};
    index.applyOverrides({object}, "test");
    std::vector<LabelStatus> statuses;
    computeLabelStatuses(index, index.evaluate(0.3), statuses);
    for (int f = 0; f < index.videos()[slot.video].frames; ++f) {
      const LabelStatus status = statuses[slot.first_entry + f];
      QVERIFY(status == LabelStatus::Empty || status == LabelStatus::RejectedByPerson);
    }
    // A frame's reject marks only that frame.
    Override frame = object;
    frame.frame = 3;
    index.applyOverrides({frame}, "test");
    computeLabelStatuses(index, index.evaluate(0.0), statuses);
    if (!index.empty(slot.first_entry + 3)) QCOMPARE(statuses[slot.first_entry + 3], LabelStatus::RejectedByPerson);
    QVERIFY(statuses[slot.first_entry + 2] != LabelStatus::RejectedByPerson);
  }
};

QTEST_MAIN(TestLabelStatus)
#include "test_label_status.moc"
