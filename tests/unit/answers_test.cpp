#include <gtest/gtest.h>

#include "fixture.hpp"

namespace hipcoach {
namespace {

using testing::Fixture;
using testing::No;
using testing::NotSure;
using testing::Yes;

Tri FindingOf(const FindingState& state, std::string_view id) {
  return state.findings[static_cast<std::size_t>(Fixture().FindingIndex(id))];
}

TEST(ValidateAnswer, AcceptsTheRightTypesAndNotSureEverywhere) {
  const KnowledgeBase& kb = Fixture();
  for (const Question& q : kb.questions) EXPECT_TRUE(ValidateAnswer(q, NotSure())) << q.id;
  EXPECT_TRUE(ValidateAnswer(*kb.FindQuestion("fall"), Yes()));
  EXPECT_TRUE(ValidateAnswer(*kb.FindQuestion("pain_days"), AnswerValue::Number(14)));
  EXPECT_TRUE(ValidateAnswer(*kb.FindQuestion("pain_trend"), AnswerValue::Choice("same")));
  EXPECT_TRUE(ValidateAnswer(*kb.FindQuestion("painful_side"), AnswerValue::Choice("left")));
}

TEST(ValidateAnswer, RejectsWrongTypesWithAPlainMessage) {
  auto result = ValidateAnswer(*Fixture().FindQuestion("fall"), AnswerValue::Number(1));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "question 'fall' expects true or false (or \"unknown\"), not a number");
}

TEST(ValidateAnswer, RejectsOutOfRangeAndFractionalWholeNumbers) {
  const Question& days = *Fixture().FindQuestion("pain_days");
  auto result = ValidateAnswer(days, AnswerValue::Number(-1));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "question 'pain_days': -1 is out of range 0-3650 days");
  EXPECT_FALSE(ValidateAnswer(days, AnswerValue::Number(3651)));
  EXPECT_TRUE(ValidateAnswer(days, AnswerValue::Number(3650)));
  EXPECT_FALSE(ValidateAnswer(days, AnswerValue::Number(2.5)));
}

TEST(ValidateAnswer, UnknownChoiceGetsDidYouMean) {
  auto result =
      ValidateAnswer(*Fixture().FindQuestion("pain_site"), AnswerValue::Choices({"grion"}));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message,
            "'grion' is not a choice of question 'pain_site' (did you mean 'groin'?); choices: "
            "lateral_hip, groin, buttock");
}

TEST(ValidateAnswer, NormalisesSingleAndMultipleChoices) {
  const KnowledgeBase& kb = Fixture();
  auto single = ValidateAnswer(*kb.FindQuestion("pain_trend"), AnswerValue::Choices({"worse"}));
  ASSERT_TRUE(single);
  EXPECT_EQ(*single, AnswerValue::Choice("worse"));
  auto multi = ValidateAnswer(*kb.FindQuestion("pain_site"), AnswerValue::Choice("groin"));
  ASSERT_TRUE(multi);
  EXPECT_EQ(*multi, AnswerValue::Choices({"groin"}));
  EXPECT_FALSE(
      ValidateAnswer(*kb.FindQuestion("pain_trend"), AnswerValue::Choices({"same", "worse"})));
}

TEST(ValidateAnswers, UnknownQuestionIdGetsDidYouMean) {
  Answers answers{{"pain_dayz", AnswerValue::Number(3)}};
  auto result = ValidateAnswers(Fixture(), answers);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "unknown question id 'pain_dayz' (did you mean 'pain_days'?)");
}

TEST(DeriveFindings, SetsFindingsFromEachAnswerType) {
  const KnowledgeBase& kb = Fixture();
  Answers answers{{"fall", No()},
                  {"pain_days", AnswerValue::Number(14)},
                  {"pain_trend", AnswerValue::Choice("better")},
                  {"pain_site", AnswerValue::Choices({"groin", "buttock"})}};
  const FindingState state = DeriveFindings(kb, answers);
  EXPECT_EQ(FindingOf(state, "fall"), Tri::kFalse);
  EXPECT_EQ(FindingOf(state, "duration_14d_plus"), Tri::kTrue);  // 14 is "at least 14"
  EXPECT_EQ(FindingOf(state, "trend_not_better"), Tri::kFalse);
  EXPECT_EQ(FindingOf(state, "groin_pain"), Tri::kTrue);
  EXPECT_EQ(FindingOf(state, "lateral_pain"), Tri::kFalse);
  EXPECT_EQ(FindingOf(state, "fever"), Tri::kUnknown);  // never asked
  EXPECT_FALSE(state.unsure[static_cast<std::size_t>(kb.FindingIndex("fever"))]);
}

TEST(DeriveFindings, BoundaryOfBelowIsExclusive) {
  const KnowledgeBase& kb = Fixture();
  EXPECT_EQ(FindingOf(DeriveFindings(kb, {{"sitting", AnswerValue::Number(29)}}), "sitting_short"),
            Tri::kTrue);
  EXPECT_EQ(FindingOf(DeriveFindings(kb, {{"sitting", AnswerValue::Number(30)}}), "sitting_short"),
            Tri::kFalse);
}

TEST(DeriveFindings, NotSureIsRememberedAsUnsure) {
  const KnowledgeBase& kb = Fixture();
  const FindingState state = DeriveFindings(kb, {{"fall", NotSure()}});
  EXPECT_EQ(FindingOf(state, "fall"), Tri::kUnknown);
  EXPECT_TRUE(state.unsure[static_cast<std::size_t>(kb.FindingIndex("fall"))]);
}

TEST(DeriveFindings, AFollowUpIsReadOnlyWhileItsQuestionStandsAtNotSure) {
  const KnowledgeBase& kb = Fixture();
  EXPECT_EQ(FindingOf(DeriveFindings(kb, {{"fall", NotSure()}, {"fall_plain", No()}}), "fall"),
            Tri::kFalse);
  // The person changed "not sure" to "no": the plain question's earlier answer no longer counts.
  EXPECT_EQ(FindingOf(DeriveFindings(kb, {{"fall", No()}, {"fall_plain", Yes()}}), "fall"),
            Tri::kFalse);
}

TEST(DeriveFindings, ARealAnswerBeatsADoubtReadingAndPresentBeatsAbsent) {
  // A fixture where the night-pain question also sets the fall finding, so that two questions
  // speak to one finding.
  const LoadOutcome outcome = testing::LoadText(testing::FixtureWith(
      "[[question.finding]]\nid = \"night_pain\"\nwhen = true\n",
      "[[question.finding]]\nid = \"night_pain\"\nwhen = true\n[[question.finding]]\nid = "
      "\"fall\"\nwhen = true\n"));
  ASSERT_TRUE(outcome.kb);
  const KnowledgeBase& kb = *outcome.kb;
  // Contradictory real answers: the cautious reading (present) wins.
  EXPECT_EQ(FindingOf(DeriveFindings(kb, {{"fall", No()}, {"night_pain", Yes()}}), "fall"),
            Tri::kTrue);
  // A doubt read as present (the plain fall question) gives way to a real "no".
  const FindingState state =
      DeriveFindings(kb, {{"fall", NotSure()}, {"fall_plain", NotSure()}, {"night_pain", No()}});
  EXPECT_EQ(FindingOf(state, "fall"), Tri::kFalse);
  EXPECT_FALSE(state.unsure[static_cast<std::size_t>(kb.FindingIndex("fall"))]);
  // Without the real answer, the reading stands and is marked as resting on a doubt.
  const FindingState doubted = DeriveFindings(kb, {{"fall", NotSure()}, {"fall_plain", NotSure()}});
  EXPECT_EQ(FindingOf(doubted, "fall"), Tri::kTrue);
  EXPECT_TRUE(doubted.unsure[static_cast<std::size_t>(kb.FindingIndex("fall"))]);
}

TEST(DeriveFindings, AnswersToQuestionsThatNoLongerApplyAreIgnored) {
  const KnowledgeBase& kb = Fixture();
  // fever is asked only if the hip is hot; after changing that answer to no, it is ignored.
  const FindingState state = DeriveFindings(kb, {{"hot_joint", No()}, {"fever", Yes()}});
  EXPECT_EQ(FindingOf(state, "fever"), Tri::kUnknown);
  EXPECT_FALSE(state.applicable[static_cast<std::size_t>(kb.QuestionIndex("fever"))]);
  EXPECT_FALSE(state.answered[static_cast<std::size_t>(kb.QuestionIndex("fever"))]);
}

}  // namespace
}  // namespace hipcoach
