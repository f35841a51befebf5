#include "hipcoach/interview.hpp"

#include <gtest/gtest.h>

#include "fixture.hpp"
#include "hipcoach/assessment.hpp"

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

TEST(Interview, AfterAnUrgentWarningItKeepsAskingWhatTellsTheCausesApart) {
  Answers answers{{"fall", No()}, {"hot_joint", No()}, {"night_pain", Yes()}};
  EXPECT_EQ(Next(answers), "pain_days");  // core questions still inform the safety net
  answers["pain_days"] = AnswerValue::Number(3);
  answers["pain_trend"] = AnswerValue::Choice("same");
  // Only an emergency ends the interview at once: the causes are still worth telling apart.
  EXPECT_EQ(Next(answers), "pain_site");
  answers["pain_site"] = AnswerValue::Choices({"buttock"});
  answers["sitting"] = AnswerValue::Number(10);
  // No programme follows an urgent result, so no programme questions.
  EXPECT_EQ(Next(answers), "(done: complete)");
}

TEST(Interview, AFollowUpIsAskedOnlyWhileItsQuestionStandsAtNotSure) {
  Answers answers{{"fall", NotSure()}};
  EXPECT_EQ(Next(answers), "fall_plain");
  answers["fall"] = No();  // changed their mind: the plain question no longer applies
  EXPECT_EQ(Next(answers), "hot_joint");
  answers["fall_plain"] = Yes();  // an answer to it is ignored
  EXPECT_EQ(Next(answers), "hot_joint");
  EXPECT_FALSE(DeriveFindings(Fixture(), answers)
                   .applicable[static_cast<std::size_t>(Fixture().QuestionIndex("fall_plain"))]);
}

TEST(Interview, AQuestionWhoseGateWasSkippedIsNotAsked) {
  // fever is gated by hot_joint; with hot_joint answered no, fever's finding is absent, so a
  // question gated by it would not be asked either.
  const FindingState state = DeriveFindings(Fixture(), {{"fall", No()}, {"hot_joint", No()}});
  EXPECT_FALSE(state.applicable[static_cast<std::size_t>(Fixture().QuestionIndex("fever"))]);
}

TEST(FirstUnansweredScreening, NamesTheFirstDangerQuestionTheInterviewWouldStillAsk) {
  const KnowledgeBase& kb = Fixture();
  const Answers complete{{"fall", No()},
                         {"hot_joint", No()},
                         {"night_pain", No()},
                         {"pain_days", AnswerValue::Number(3)},
                         {"pain_trend", AnswerValue::Choice("better")}};
  EXPECT_EQ(FirstUnansweredScreening(kb, complete), nullptr);
  EXPECT_EQ(FirstUnansweredScreening(kb, {}), kb.FindQuestion("fall"));
  Answers partial = complete;
  partial.erase("night_pain");
  EXPECT_EQ(FirstUnansweredScreening(kb, partial), kb.FindQuestion("night_pain"));
  partial = complete;
  partial.erase("pain_trend");  // the safety net reads it
  EXPECT_EQ(FirstUnansweredScreening(kb, partial), kb.FindQuestion("pain_trend"));
  // A "not sure" with its plain follow-up unanswered is not yet an answer.
  partial = complete;
  partial["fall"] = NotSure();
  EXPECT_EQ(FirstUnansweredScreening(kb, partial), kb.FindQuestion("fall_plain"));
  // A hot joint opens the fever question.
  partial = complete;
  partial["hot_joint"] = Yes();
  EXPECT_EQ(FirstUnansweredScreening(kb, partial), kb.FindQuestion("fever"));
  // An emergency ends the screen: nothing else is needed.
  EXPECT_EQ(FirstUnansweredScreening(kb, {{"fall", Yes()}}), nullptr);
}

TEST(Assess, RefusesAnIncompleteDangerScreenAndNamesWhatIsMissing) {
  // An answers file or API request that leaves the danger questions out is not "no danger signs".
  const auto refused = Assess(Fixture(), {{"pain_site", AnswerValue::Choices({"lateral_hip"})}});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(refused.error().message,
            "the danger-sign question fall (\"Did it start with a fall?\") is not answered; "
            "hipcoach checks for danger signs before anything else, so it cannot assess without "
            "it (\"not sure\" is an answer)");
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
