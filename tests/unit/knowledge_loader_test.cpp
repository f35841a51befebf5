// The loader's messages are part of the product: a clinician editing TOML must be told exactly
// where and what is wrong. These tests assert whole messages.
#include <gtest/gtest.h>

#include "fixture.hpp"

namespace hipcoach {
namespace {

using testing::FixtureWith;
using testing::LoadText;

std::vector<std::string> Messages(const LoadOutcome& outcome) {
  std::vector<std::string> out;
  for (const auto& d : outcome.diagnostics) out.push_back(d.Format());
  return out;
}

bool Contains(const std::vector<std::string>& messages, const std::string& part) {
  for (const auto& m : messages) {
    if (m.find(part) != std::string::npos) return true;
  }
  return false;
}

std::string Dump(const std::vector<std::string>& messages) {
  std::string out;
  for (const auto& m : messages) out += m + "\n";
  return out;
}

TEST(KnowledgeLoader, LoadsTheFixture) {
  const KnowledgeBase& kb = testing::Fixture();
  EXPECT_EQ(kb.version, "test-1");
  EXPECT_EQ(kb.questions.size(), 13U);
  EXPECT_EQ(kb.red_flags.size(), 4U);
  EXPECT_EQ(kb.causes.size(), 4U);
  EXPECT_EQ(kb.rules.phases.size(), 2U);
  EXPECT_EQ(kb.FindQuestion("fall")->follow_ups, std::vector<int>{kb.QuestionIndex("fall_plain")});
  EXPECT_TRUE(kb.FindQuestion("fall_plain")->is_follow_up);
  EXPECT_EQ(kb.FindQuestion("fall_plain")->follows, kb.QuestionIndex("fall"));
  // Screening: feeds a danger sign or the safety net.
  EXPECT_TRUE(kb.FindQuestion("fever")->screening);
  EXPECT_TRUE(kb.FindQuestion("pain_trend")->screening);
  EXPECT_FALSE(kb.FindQuestion("pain_site")->screening);
  EXPECT_EQ(kb.FindQuestion("pain_trend")->unsure->choices, std::vector<std::string>{"same"});
}

TEST(KnowledgeLoader, InterviewOrderFollowsStageAndOrderWithFollowUpsAfterTheirQuestion) {
  const KnowledgeBase& kb = testing::Fixture();
  std::vector<std::string> order;
  for (int q : kb.interview_order) order.push_back(kb.questions[static_cast<std::size_t>(q)].id);
  const std::vector<std::string> expected = {
      "fall",      "fall_plain", "hot_joint", "fever",   "night_pain",
      "pain_days", "pain_trend", "pain_site", "sitting", "painful_side",
      "equipment", "skin",       "age"};
  EXPECT_EQ(order, expected);
}

TEST(KnowledgeLoader, SyntaxErrorGivesFileLineAndColumn) {
  const auto outcome = LoadText("version = \"1\"\n[[source]\nid = \"x\"\n");
  ASSERT_FALSE(outcome.kb);
  const auto messages = Messages(outcome);
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages.front().rfind("kb.toml:2:", 0), 0U) << Dump(messages);
}

TEST(KnowledgeLoader, UnknownKeySuggestsTheClosestOne) {
  const auto outcome = LoadText(FixtureWith("text = \"Is the hip hot, red or swollen?\"",
                                            "text = \"Is the hip hot?\"\ntitel = \"x\""));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome), "unknown key 'titel' in [[question]]"))
      << Dump(Messages(outcome));
}

TEST(KnowledgeLoader, UnknownFindingInAPatternIsReportedWhereItIsWrittenWithAHint) {
  const auto outcome = LoadText(FixtureWith("pattern = \"fall\"", "pattern = \"fal\""));
  ASSERT_FALSE(outcome.kb);
  const auto messages = Messages(outcome);
  EXPECT_TRUE(Contains(messages, "unknown finding 'fal' (did you mean 'fall'?)")) << Dump(messages);
  // The message points at the line of the pattern itself.
  const std::string& text = testing::FixtureText();
  const auto line =
      1 + std::count(text.begin(),
                     text.begin() + static_cast<long>(text.find("pattern = \"fall\"")), '\n');
  EXPECT_TRUE(Contains(messages, "kb.toml:" + std::to_string(line) + ":11:")) << Dump(messages);
}

TEST(KnowledgeLoader, RedFlagPatternsCannotUseCauses) {
  // Danger signs are patterns of answers, never of computed probabilities.
  const auto outcome =
      LoadText(FixtureWith("pattern = \"fall\"", "pattern = \"cause:hip_fracture\""));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome), "causes cannot be used here, only findings"))
      << Dump(Messages(outcome));
}

TEST(KnowledgeLoader, EveryClinicalItemMustCiteAKnownSource) {
  auto outcome =
      LoadText(FixtureWith("reason = \"A fall can break the hip.\"\naction = \"Go to an emergency "
                           "department.\"\nsources = [\"study_a\"]",
                           "reason = \"A fall can break the hip.\"\naction = \"Go to an emergency "
                           "department.\"\nsources = [\"study_b\"]"));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(
      Contains(Messages(outcome),
               "red flag 'fracture' cites unknown source 'study_b' (did you mean 'study_a'?)"))
      << Dump(Messages(outcome));

  outcome = LoadText(
      FixtureWith("summary = \"A broken hip.\"", "summary = \"A broken hip.\"\nsources = []"));
  ASSERT_FALSE(outcome.kb);
}

TEST(KnowledgeLoader, AnEstimateMustAlsoCiteTheProductRule) {
  const auto outcome = LoadText(FixtureWith(
      "text = \"a fall\"\nbackground = 0.05\nsources = [\"study_a\"]",
      "text = \"a fall\"\nbackground = 0.05\nsources = [\"study_a\"]\nevidence = \"estimate\""));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome),
                       "finding 'fall' is an estimate and must also cite 'product_rule'"))
      << Dump(Messages(outcome));
}

TEST(KnowledgeLoader, MissingVariantIsReported) {
  const auto outcome =
      LoadText(FixtureWith("harder = \"glute_bridge\"", "harder = \"glute_brige\""));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome),
                       "exercise 'bridge_hold': variant 'glute_brige' does not exist (did you mean "
                       "'glute_bridge'?)"))
      << Dump(Messages(outcome));
}

TEST(KnowledgeLoader, DosesMustRespectTheLimits) {
  const auto outcome = LoadText(FixtureWith("sets = 3", "sets = 9"));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome),
                       "exercise 'glute_bridge' phase 2: sets = 9 is outside the limit 1-4"))
      << Dump(Messages(outcome));
}

TEST(KnowledgeLoader, CoverageMustBeCompleteAndResolve) {
  auto outcome = LoadText(FixtureWith("required_facts = 2", "required_facts = 3"));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome), "fact F03 of the clinical reference is not covered"));

  outcome =
      LoadText(FixtureWith("records = [\"self_care:ice\"]", "records = [\"self_care:heat\"]"));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(
      Contains(Messages(outcome), "fact F01 maps to 'self_care:heat', which does not exist"));
}

TEST(KnowledgeLoader, WrongLevelAndTypeGetHints) {
  auto outcome =
      LoadText(FixtureWith("level = \"urgent\"\npattern", "level = \"urgnet\"\npattern"));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome), "not 'urgnet' (did you mean 'urgent'?)"))
      << Dump(Messages(outcome));

  outcome = LoadText(FixtureWith("type = \"body_location\"", "type = \"body_locaton\""));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome),
                       "unknown answer type 'body_locaton' (did you mean 'body_location'?)"));
}

TEST(KnowledgeLoader, DuplicateIdsAreReported) {
  const auto outcome = LoadText(FixtureWith("id = \"fall_plain\"\nstage", "id = \"fall\"\nstage"));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome), "duplicate question id 'fall'"))
      << Dump(Messages(outcome));
}

TEST(KnowledgeLoader, ChoiceRulesMustNameRealChoices) {
  const auto outcome =
      LoadText(FixtureWith("any_of = [\"lateral_hip\"]", "any_of = [\"lateral\"]"));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome), "any_of names unknown choice 'lateral'"));
}

TEST(KnowledgeLoader, LikelihoodFromSensitivityAndSpecificity) {
  const auto outcome =
      LoadText(FixtureWith("lr_pos = 3.0\n", "sensitivity = 0.81\nspecificity = 0.82\n"));
  ASSERT_TRUE(outcome.kb) << Dump(Messages(outcome));
  const Likelihood& like = outcome.kb->FindCause("deep_gluteal_syndrome")->likelihoods.front();
  EXPECT_NEAR(like.lr_pos, 0.81 / 0.18, 1e-9);
  EXPECT_NEAR(like.lr_neg, 0.19 / 0.82, 1e-9);
  EXPECT_NEAR(like.p_given_cause, 0.81, 1e-9);
  EXPECT_NEAR(like.p_given_other, 0.18, 1e-9);
}

TEST(KnowledgeLoader, NothingIsReturnedWhenAnythingIsWrong) {
  const auto outcome = LoadText(FixtureWith("prior = 0.2", "prior = 1.5"));
  EXPECT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome), "prior must be between 0 and 1"));
}

// The model of doubt is enforced at load time: every screening question says what "not sure"
// means, in exactly one way, and nothing else claims a reading.
TEST(KnowledgeLoader, AScreeningQuestionMustSayWhatNotSureMeans) {
  auto outcome =
      LoadText(FixtureWith("[question.unsure]\nread_as = \"absent\"\nwhy = \"Night pain "
                           "needs positive evidence.\"\nsources = [\"product_rule\"]\n",
                           ""));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome),
                       "question 'night_pain' feeds a danger sign or the safety "
                       "net: say what \"not sure\" means"))
      << Dump(Messages(outcome));

  // Follow-ups and a reading at once: one or the other.
  outcome = LoadText(FixtureWith("if_unknown = [\"fall_plain\"]\n",
                                 "if_unknown = [\"fall_plain\"]\n[question.unsure]\nread_as = "
                                 "true\nwhy = \"x\"\nsources = [\"product_rule\"]\n"));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome), "not both")) << Dump(Messages(outcome));
}

TEST(KnowledgeLoader, OnlyScreeningQuestionsTakeADoubtReading) {
  const auto outcome =
      LoadText(FixtureWith("max = 600\nsources = [\"study_a\"]\n",
                           "max = 600\nsources = [\"study_a\"]\n[question.unsure]\nread_as = "
                           "\"absent\"\nwhy = \"x\"\nsources = [\"product_rule\"]\n"));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome), "question 'sitting' feeds no danger sign"))
      << Dump(Messages(outcome));
}

TEST(KnowledgeLoader, ADoubtReadingMustFitItsQuestion) {
  auto outcome = LoadText(FixtureWith("read_as = \"same\"", "read_as = \"sme\""));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome),
                       "unsure.read_as names unknown choice 'sme' (did you mean "
                       "'same'?)"))
      << Dump(Messages(outcome));
  outcome = LoadText(FixtureWith("read_as = \"same\"", "read_as = true"));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome),
                       "question 'pain_trend': unsure.read_as must be "
                       "\"absent\" or one choice id"))
      << Dump(Messages(outcome));
}

TEST(KnowledgeLoader, AGateMustBeAskedBeforeTheQuestionItGates) {
  // fever is gated by hot_joint; put fever first and the gate can never be decided in time.
  const auto outcome = LoadText(FixtureWith("order = 4\ntext = \"Do you have a fever?\"",
                                            "order = 0\ntext = \"Do you have a fever?\""));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome),
                       "question 'fever': ask_if reads 'hot_joint', which no "
                       "question before it sets"))
      << Dump(Messages(outcome));
}

TEST(KnowledgeLoader, AFollowUpBelongsToOneQuestion) {
  const auto outcome = LoadText(FixtureWith("check = \"Feel both hips.\"\n",
                                            "check = \"Feel both hips.\"\nif_unknown = "
                                            "[\"fall_plain\"]\n"));
  ASSERT_FALSE(outcome.kb);
  EXPECT_TRUE(Contains(Messages(outcome), "'fall_plain' already follows up another question"))
      << Dump(Messages(outcome));
}

TEST(ClosestMatch, SuggestsOnlyCloseNames) {
  EXPECT_EQ(ClosestMatch("glute_brige", {"glute_bridge", "clamshell"}), "glute_bridge");
  EXPECT_EQ(ClosestMatch("zzzz", {"glute_bridge", "clamshell"}), "");
}

}  // namespace
}  // namespace hipcoach
