#include "hipcoach/interview.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"

namespace hipcoach {
namespace {

using testing::Fixture;
using testing::No;
using testing::NotSure;
using testing::Yes;

std::string Next(const Answers& answers) {
  const NextStep step = NextQuestion(Fixture(), answers);
  return step.question == nullptr ? "(done: " + step.stop_reason + ")" : step.question->id;
}

TEST(Interview, StartsWithTheLifeThreateningScreen) { EXPECT_EQ(Next({}), "fall"); }

TEST(Interview, NotSureGetsThePlainerFollowUpAtOnce) {
  EXPECT_EQ(Next({{"fall", NotSure()}}), "fall_plain");
  EXPECT_EQ(Next({{"fall", No()}}), "hot_joint");
}

TEST(Interview, AnEmergencyEndsTheInterviewAtOnce) {
  const NextStep step = NextQuestion(Fixture(), {{"fall", Yes()}});
  EXPECT_EQ(step.question, nullptr);
  EXPECT_EQ(step.stop_reason, "danger_sign");
}

TEST(Interview, PartsOfAPatternAreAskedOnlyWhenTheyCanMatter) {
  // Fever is asked only after a hot joint (ask_if), and only then.
  EXPECT_EQ(Next({{"fall", No()}, {"hot_joint", Yes()}}), "fever");
  EXPECT_EQ(Next({{"fall", No()}, {"hot_joint", No()}}), "night_pain");
}

TEST(Interview, CoreQuestionsFollowTheScreen) {
  EXPECT_EQ(Next({{"fall", No()}, {"hot_joint", No()}, {"night_pain", No()}}), "pain_days");
}

TEST(Interview, AnUrgentFlagFinishesTheScreenThenStopsWithoutAdaptiveQuestions) {
  Answers answers{{"fall", No()}, {"hot_joint", No()}, {"night_pain", Yes()}};
  EXPECT_EQ(Next(answers), "pain_days");  // core questions still inform the safety net
  answers["pain_days"] = AnswerValue::Number(3);
  answers["pain_trend"] = AnswerValue::Choice("same");
  EXPECT_EQ(Next(answers), "(done: danger_sign)");
}

TEST(Interview, AdaptiveQuestionsComeByInformationGain) {
  Answers answers{{"fall", No()},
                  {"hot_joint", No()},
                  {"night_pain", No()},
                  {"pain_days", AnswerValue::Number(3)},
                  {"pain_trend", AnswerValue::Choice("better")}};
  EXPECT_EQ(Next(answers), "pain_site");
  answers["pain_site"] = AnswerValue::Choices({"buttock"});
  EXPECT_EQ(Next(answers), "sitting");
}

TEST(Interview, ProgrammeQuestionsOnlyWhenAProgrammeWillBeGiven) {
  Answers answers{{"fall", No()},
                  {"hot_joint", No()},
                  {"night_pain", No()},
                  {"pain_days", AnswerValue::Number(3)},
                  {"pain_trend", AnswerValue::Choice("better")},
                  {"pain_site", AnswerValue::Choices({"lateral_hip"})},
                  {"sitting", AnswerValue::Number(120)}};
  EXPECT_EQ(Next(answers), "painful_side");
  answers["painful_side"] = AnswerValue::Choice("left");
  answers["equipment"] = AnswerValue::Choices({"none"});
  answers["skin"] = No();
  answers["age"] = AnswerValue::Number(50);
  const NextStep step = NextQuestion(Fixture(), answers);
  EXPECT_EQ(step.question, nullptr);
  EXPECT_EQ(step.stop_reason, "complete");
  EXPECT_EQ(step.asked, 11);
}

TEST(Interview, ChangingAnAnswerRecomputesTheNextQuestion) {
  Answers answers{{"fall", No()}, {"hot_joint", Yes()}};
  EXPECT_EQ(Next(answers), "fever");
  answers["hot_joint"] = No();
  EXPECT_EQ(Next(answers), "night_pain");
}

TEST(Interview, AllNotSureEndsAtTheFirstEmergencyAfterItsFollowUp) {
  Answers answers{{"fall", NotSure()}, {"fall_plain", NotSure()}};
  const NextStep step = NextQuestion(Fixture(), answers);
  EXPECT_EQ(step.question, nullptr);
  EXPECT_EQ(step.stop_reason, "danger_sign");
}

TEST(Interview, ProgressCountsAnsweredQuestions) {
  const NextStep step = NextQuestion(Fixture(), {{"fall", No()}, {"hot_joint", No()}});
  EXPECT_EQ(step.asked, 2);
  EXPECT_GT(step.remaining_estimate, 0);
}

}  // namespace
}  // namespace hipcoach
