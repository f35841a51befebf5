#include <gtest/gtest.h>

#include <algorithm>

#include "fixture.hpp"
#include "hipcoach/assessment.hpp"

namespace hipcoach {
namespace {

using testing::Fixture;
using testing::No;
using testing::NotSure;
using testing::Yes;

Answers Base() {
  return {{"fall", No()},
          {"hot_joint", No()},
          {"night_pain", No()},
          {"pain_days", AnswerValue::Number(3)},
          {"pain_trend", AnswerValue::Choice("better")},
          {"pain_site", AnswerValue::Choices({"lateral_hip"})},
          {"painful_side", AnswerValue::Choice("left")},
          {"equipment", AnswerValue::Choices({"none"})},
          {"skin", No()},
          {"age", AnswerValue::Number(50)}};
}

std::vector<std::string> PhaseItems(const Programme& programme, std::size_t phase) {
  std::vector<std::string> ids;
  for (const PlanItem& item : programme.phases.at(phase).items) ids.push_back(item.exercise);
  return ids;
}

bool Has(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

const ExcludedItem* Excluded(const Programme& programme, const std::string& id) {
  for (const ExcludedItem& item : programme.excluded) {
    if (item.id == id) return &item;
  }
  return nullptr;
}

TEST(Programme, NoneWhenTheTriageIsUrgentOrEmergency) {
  Answers answers = Base();
  answers["night_pain"] = Yes();
  const Assessment assessment = testing::MustAssess(Fixture(), answers);
  EXPECT_EQ(assessment.triage.level, TriageLevel::kUrgent);
  EXPECT_FALSE(assessment.programme);
}

TEST(Programme, ContraindicatedExercisesAreLeftOutWithTheirReason) {
  // Lateral pain makes gluteal tendinopathy likely: no pigeon pose.
  const Assessment assessment = testing::MustAssess(Fixture(), Base());
  ASSERT_TRUE(assessment.programme);
  const ExcludedItem* pigeon = Excluded(*assessment.programme, "pigeon_pose");
  ASSERT_NE(pigeon, nullptr);
  EXPECT_EQ(pigeon->reason, "Squeezes sore outer-hip tendons.");
  for (const PhasePlan& phase : assessment.programme->phases) {
    EXPECT_FALSE(
        Has(PhaseItems(*assessment.programme, static_cast<std::size_t>(phase.phase.number - 1)),
            "pigeon_pose"));
  }
}

TEST(Programme, PigeonPoseIsAllowedWhenTendinopathyIsUnlikely) {
  Answers answers = Base();
  answers["pain_site"] = AnswerValue::Choices({"buttock"});
  answers["sitting"] = AnswerValue::Number(10);
  const Assessment assessment = testing::MustAssess(Fixture(), answers);
  ASSERT_TRUE(assessment.programme);
  EXPECT_EQ(Excluded(*assessment.programme, "pigeon_pose"), nullptr);
  EXPECT_TRUE(Has(PhaseItems(*assessment.programme, 0), "pigeon_pose"));
}

TEST(Programme, MissingEquipmentLeavesAnExerciseOut) {
  const Assessment without = testing::MustAssess(Fixture(), Base());
  const ExcludedItem* band = Excluded(*without.programme, "band_walk");
  ASSERT_NE(band, nullptr);
  EXPECT_EQ(band->reason, "Needs equipment you did not list (band).");
  Answers answers = Base();
  answers["equipment"] = AnswerValue::Choices({"band"});
  const Assessment with = testing::MustAssess(Fixture(), answers);
  EXPECT_EQ(Excluded(*with.programme, "band_walk"), nullptr);
  EXPECT_TRUE(Has(PhaseItems(*with.programme, 0), "band_walk"));
}

TEST(Programme, OneRungOfEachLadderEasiestFirstThenHarder) {
  const Assessment assessment = testing::MustAssess(Fixture(), Base());
  const auto phase1 = PhaseItems(*assessment.programme, 0);
  const auto phase2 = PhaseItems(*assessment.programme, 1);
  // bridge_hold and glute_bridge are one ladder; in phase 1 the better-suited rung is chosen
  // (glute_bridge also serves osteoarthritis), never both.
  EXPECT_NE(Has(phase1, "bridge_hold"), Has(phase1, "glute_bridge"));
  EXPECT_TRUE(Has(phase2, "glute_bridge"));
  EXPECT_FALSE(Has(phase2, "bridge_hold"));  // no phase-2 dose
}

TEST(Programme, WeekHasHarderDaysApartAndARestDay) {
  const Assessment assessment = testing::MustAssess(Fixture(), Base());
  const auto& week = assessment.programme->week;
  ASSERT_EQ(week.size(), 7U);
  EXPECT_TRUE(week[6].rest_day);
  for (const PlanDay& day : week) {
    for (const PlanItem& item : day.items) {
      const Dose* dose = Fixture().FindExercise(item.exercise)->DoseFor(1);
      if (dose->days == DoseDays::kStrength) {
        EXPECT_TRUE(day.day == 1 || day.day == 3 || day.day == 5)
            << item.exercise << " on day " << day.day;
      }
      if (day.rest_day) {
        EXPECT_EQ(dose->days, DoseDays::kRestDaysOk) << item.exercise;
      }
    }
  }
}

TEST(Programme, EveryItemSaysWhyAndHasItsDose) {
  const Assessment assessment = testing::MustAssess(Fixture(), Base());
  for (const PhasePlan& phase : assessment.programme->phases) {
    for (const PlanItem& item : phase.items) {
      EXPECT_FALSE(item.why.empty()) << item.exercise;
      EXPECT_FALSE(item.sources.empty()) << item.exercise;
      const Dose* dose = Fixture().FindExercise(item.exercise)->DoseFor(phase.phase.number);
      ASSERT_NE(dose, nullptr);
      EXPECT_EQ(item.sets, dose->sets);
      EXPECT_EQ(item.reps_max, dose->reps_max);
    }
  }
  const PlanItem& first = assessment.programme->phases[0].items.front();
  EXPECT_NE(first.why.find("Chosen for you because of Gluteal tendinopathy"), std::string::npos)
      << first.why;
}

TEST(Programme, PerSideItemsStartWithTheSideThatDoesNotHurt) {
  Answers answers = Base();
  answers["equipment"] = AnswerValue::Choices({"band"});
  const Assessment assessment = testing::MustAssess(Fixture(), answers);
  bool seen = false;
  for (const PlanItem& item : assessment.programme->phases[0].items) {
    if (item.exercise != "band_walk") continue;
    seen = true;
    EXPECT_TRUE(item.per_side);
    EXPECT_NE(item.side_note.find("Start with your right side"), std::string::npos);
  }
  EXPECT_TRUE(seen);
}

TEST(Programme, IceIsNotAdvisedWithNumbSkinOrWhenUnsure) {
  for (const AnswerValue& skin : {Yes(), NotSure()}) {
    Answers answers = Base();
    answers["skin"] = skin;
    const Assessment assessment = testing::MustAssess(Fixture(), answers);
    ASSERT_EQ(assessment.programme->self_care.size(), 1U);
    EXPECT_FALSE(assessment.programme->self_care[0].allowed);
    EXPECT_EQ(assessment.programme->self_care[0].note, "You might not feel a cold burn.");
  }
  const Assessment fine = testing::MustAssess(Fixture(), Base());
  EXPECT_TRUE(fine.programme->self_care[0].allowed);
}

TEST(Programme, RoutineTriageKeepsTheProgrammeAndSaysToBook) {
  Answers answers = Base();
  answers["pain_days"] = AnswerValue::Number(20);
  answers["pain_trend"] = AnswerValue::Choice("same");
  const Assessment assessment = testing::MustAssess(Fixture(), answers);
  EXPECT_EQ(assessment.triage.level, TriageLevel::kRoutine);
  ASSERT_TRUE(assessment.programme);
  EXPECT_NE(assessment.programme->notes.back().text.find("Book a GP or physiotherapist"),
            std::string::npos);
}

TEST(MedicationCautions, ShownWhenTheyApplyOrMightApply) {
  EXPECT_TRUE(testing::MustAssess(Fixture(), Base()).medication_cautions.empty());
  Answers answers = Base();
  answers["age"] = AnswerValue::Number(70);
  ASSERT_EQ(testing::MustAssess(Fixture(), answers).medication_cautions.size(), 1U);
  answers["age"] = NotSure();
  EXPECT_EQ(testing::MustAssess(Fixture(), answers).medication_cautions.size(), 1U);
}

}  // namespace
}  // namespace hipcoach
