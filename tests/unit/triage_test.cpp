// Triage is the most safety-critical code: every branch is tested here against the fixture, and
// against the real knowledge base by the golden cases and the property tests.
#include "hipcoach/triage.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "fixture.hpp"
#include "hipcoach/inference.hpp"

namespace hipcoach {
namespace {

using testing::Fixture;
using testing::No;
using testing::NotSure;
using testing::Yes;

TriageResult TriageOf(const Answers& answers) {
  const KnowledgeBase& kb = Fixture();
  const FindingState state = DeriveFindings(kb, answers);
  return Triage(kb, state, Posteriors(kb, state.Evidence()), answers);
}

std::vector<std::string> FlagIds(const TriageResult& result) {
  std::vector<std::string> ids;
  for (const auto& m : result.red_flags) {
    ids.push_back(Fixture().red_flags[static_cast<std::size_t>(m.red_flag)].id);
  }
  return ids;
}

const Answers kAllClear = {{"fall", No()},
                           {"hot_joint", No()},
                           {"night_pain", No()},
                           {"pain_days", AnswerValue::Number(2)},
                           {"pain_trend", AnswerValue::Choice("better")}};

TEST(Triage, AllClearIsSelfCareWithTheLevelsActionAsReason) {
  const TriageResult result = TriageOf(kAllClear);
  EXPECT_EQ(result.level, TriageLevel::kSelfCare);
  ASSERT_EQ(result.reasons.size(), 1U);
  EXPECT_EQ(result.reasons[0].text, "Manage at home.");
  EXPECT_TRUE(result.red_flags.empty());
  EXPECT_TRUE(result.doubts.empty());
}

TEST(Triage, SelfCareListsWhatToWatchFor) {
  const TriageResult result = TriageOf(kAllClear);
  // The urgent and emergency red flags (not the routine one) plus the dated safety-net rules
  // (not the day-0 worsening rule, which is about now).
  ASSERT_EQ(result.watch_for.size(), 5U);
  EXPECT_EQ(result.watch_for[0].text,
            "Possible fracture (emergency): Go to an emergency department.");
  EXPECT_EQ(result.watch_for[2].text, "Night pain (urgent): See a doctor within 48 hours.");
  EXPECT_EQ(result.watch_for[3].text, "Day 14: Not better after two weeks: book a GP.");
  EXPECT_EQ(result.watch_for[4].text, "Day 14: Likely joint pain for two weeks: book a GP.");
}

TEST(Triage, ARedFlagSetsItsLevelWithReasonAndSource) {
  Answers answers = kAllClear;
  answers["fall"] = Yes();
  const TriageResult result = TriageOf(answers);
  EXPECT_EQ(result.level, TriageLevel::kEmergency);
  EXPECT_EQ(FlagIds(result), std::vector<std::string>{"fracture"});
  ASSERT_FALSE(result.reasons.empty());
  EXPECT_EQ(result.reasons[0].text, "Possible fracture: A fall can break the hip.");
  EXPECT_EQ(result.reasons[0].sources, std::vector<std::string>{"study_a"});
  EXPECT_TRUE(result.watch_for.empty());
}

TEST(Triage, AllPartsOfAPatternAreNeeded) {
  Answers answers = kAllClear;
  answers["hot_joint"] = Yes();
  answers["fever"] = No();
  EXPECT_EQ(TriageOf(answers).level, TriageLevel::kRoutine);  // the warm-joint flag only
  EXPECT_EQ(FlagIds(TriageOf(answers)), std::vector<std::string>{"warm_joint"});
  answers["fever"] = Yes();
  EXPECT_EQ(TriageOf(answers).level, TriageLevel::kEmergency);
  // The second part is itself a choice: a worsening hot joint without fever also matches.
  answers["fever"] = No();
  answers["pain_trend"] = AnswerValue::Choice("worse");
  EXPECT_EQ(FlagIds(TriageOf(answers)), (std::vector<std::string>{"infection", "warm_joint"}));
}

// The model of doubt: a "not sure" is settled by the plainer follow-up; where that stays "not
// sure", the question's reading decides. The fixture reads the fall follow-up as present (a
// time-critical sign: "possible"), a hot joint as absent (it can be felt), a fever under a hot
// joint as present, and the trend as "same".
TEST(Triage, NotSureIsAskedAgainPlainlyAndTheFollowUpDecides) {
  Answers answers = kAllClear;
  answers["fall"] = NotSure();
  answers["fall_plain"] = No();
  const TriageResult result = TriageOf(answers);
  EXPECT_EQ(result.level, TriageLevel::kSelfCare);
  EXPECT_TRUE(result.red_flags.empty());
  answers["fall_plain"] = Yes();
  EXPECT_EQ(TriageOf(answers).level, TriageLevel::kEmergency);
  EXPECT_FALSE(TriageOf(answers).red_flags[0].uncertain);
}

TEST(Triage, ATimeCriticalDoubtReadAsPresentIsWordedPossible) {
  Answers answers = kAllClear;
  answers["fall"] = NotSure();
  answers["fall_plain"] = NotSure();
  const TriageResult result = TriageOf(answers);
  EXPECT_EQ(result.level, TriageLevel::kEmergency);
  ASSERT_EQ(result.red_flags.size(), 1U);
  EXPECT_TRUE(result.red_flags[0].uncertain);
  EXPECT_EQ(result.red_flags[0].doubts, std::vector<int>{Fixture().FindingIndex("fall")});
  EXPECT_EQ(result.reasons[0].text,
            "Possible fracture: A fall can break the hip. You were not sure about a fall. This "
            "cannot safely wait until you are sure, so hipcoach treats it as possible.");
  ASSERT_EQ(result.doubts.size(), 1U);
  EXPECT_EQ(result.doubts[0].question, "fall_plain");
  EXPECT_EQ(result.doubts[0].text,
            "You were not sure about \"Did you fall over or get knocked?\", so hipcoach took it "
            "as yes, to be safe. Ask someone who was with you.");
}

TEST(Triage, ACheckableDoubtReadAsAbsentRaisesNothingAndSaysHowToCheck) {
  Answers answers = kAllClear;
  answers["hot_joint"] = NotSure();
  const TriageResult result = TriageOf(answers);
  EXPECT_EQ(result.level, TriageLevel::kSelfCare);
  EXPECT_TRUE(result.red_flags.empty());
  ASSERT_EQ(result.doubts.size(), 1U);
  EXPECT_EQ(result.doubts[0].text,
            "You were not sure about \"Is the hip hot, red or swollen?\", so hipcoach took it as "
            "no. Feel both hips.");
}

TEST(Triage, ADoubtReadAsPresentCompletesAConjunctionAsPossible) {
  Answers answers = kAllClear;
  answers["hot_joint"] = Yes();
  answers["fever"] = NotSure();
  const TriageResult result = TriageOf(answers);
  EXPECT_EQ(result.level, TriageLevel::kEmergency);
  // The fever is read as present, so the warm-joint flag (a hot joint WITHOUT fever) does not
  // match: a doubt reading is one answer, not the worse of two.
  EXPECT_EQ(FlagIds(result), std::vector<std::string>{"infection"});
  EXPECT_TRUE(result.red_flags[0].uncertain);
}

// The fixture with several replacements (each must be present).
KnowledgeBase Variant(const std::vector<std::pair<std::string, std::string>>& edits) {
  std::string text = testing::FixtureText();
  for (const auto& [from, to] : edits) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
  }
  LoadOutcome outcome = testing::LoadText(text);
  EXPECT_TRUE(outcome.kb.has_value());
  for (const auto& d : outcome.diagnostics) ADD_FAILURE() << d.Format();
  return outcome.kb ? std::move(*outcome.kb) : KnowledgeBase{};
}

TriageResult TriageWith(const KnowledgeBase& kb, const Answers& answers) {
  const FindingState state = DeriveFindings(kb, answers);
  return Triage(kb, state, Posteriors(kb, state.Evidence()), answers);
}

TEST(Triage, ADoubtReadAsAbsentUnderANotIsPossibleToo) {
  // With a fever doubt read as "no", the warm-joint flag (a hot joint WITHOUT fever) rests on it.
  const KnowledgeBase kb =
      Variant({{"read_as = true\nwhy = \"With a hot joint, a possible fever",
                "read_as = false\nwhy = \"With a hot joint, a possible fever"}});
  Answers answers = kAllClear;
  answers["hot_joint"] = Yes();
  answers["fever"] = NotSure();
  const TriageResult result = TriageWith(kb, answers);
  ASSERT_EQ(result.red_flags.size(), 1U);
  EXPECT_EQ(kb.red_flags[static_cast<std::size_t>(result.red_flags[0].red_flag)].id, "warm_joint");
  EXPECT_TRUE(result.red_flags[0].uncertain);
  EXPECT_EQ(result.red_flags[0].doubts, std::vector<int>{kb.FindingIndex("fever")});
  EXPECT_EQ(result.doubts.at(0).text,
            "You were not sure about \"Do you have a fever?\", so hipcoach took it as no.");
}

TEST(Triage, SeveralDoubtsAreNamedTogether) {
  const KnowledgeBase kb =
      Variant({{"pattern = \"fall\"", "pattern = { all = [\"fall\", \"fever\"] }"}});
  Answers answers = kAllClear;
  answers["fall"] = NotSure();
  answers["fall_plain"] = NotSure();
  answers["hot_joint"] = Yes();
  answers["fever"] = NotSure();
  const TriageResult result = TriageWith(kb, answers);
  ASSERT_FALSE(result.reasons.empty());
  EXPECT_NE(result.reasons[0].text.find("You were not sure about a fall or a fever."),
            std::string::npos)
      << result.reasons[0].text;
}

TEST(Triage, AReadingOfSeveralChoicesIsSaidInWords) {
  // pain_site made a screening question (a groin red flag) that reads "not sure" as two regions.
  const KnowledgeBase kb = Variant(
      {{"id = \"pain_site\"\nstage = \"adaptive\"", "id = \"pain_site\"\nstage = \"core\""},
       {"text = \"Where is the pain?\"\ntype = \"body_location\"\nsources = [\"study_a\"]\n",
        "text = \"Where is the pain?\"\ntype = \"body_location\"\nsources = [\"study_a\"]\n"
        "[question.unsure]\nread_as = [\"groin\", \"buttock\", \"lateral_hip\"]\nwhy = "
        "\"x\"\nsources = "
        "[\"product_rule\"]\n"},
       {"[[red_flag]]\nid = \"fracture\"",
        "[[red_flag]]\nid = \"groin_sign\"\nname = \"Groin sign\"\nsuspected = \"x\"\nlevel = "
        "\"routine\"\npattern = \"groin_pain\"\nreason = \"x\"\naction = \"x\"\nsources = "
        "[\"study_a\"]\n\n[[red_flag]]\nid = \"fracture\""}});
  Answers answers = kAllClear;
  answers["pain_site"] = NotSure();
  const TriageResult result = TriageWith(kb, answers);
  EXPECT_EQ(result.level, TriageLevel::kRoutine);
  ASSERT_EQ(result.doubts.size(), 1U);
  EXPECT_EQ(result.doubts[0].text,
            "You were not sure about \"Where is the pain?\", so hipcoach took it as \"Groin\", "
            "\"Buttock\" and \"Outer hip\".");
}

TEST(Triage, ADoubtAboutTheTrendMeansAboutTheSame) {
  Answers answers = kAllClear;
  answers["pain_trend"] = NotSure();
  EXPECT_EQ(TriageOf(answers).level, TriageLevel::kSelfCare);  // 2 days: nothing yet
  answers["pain_days"] = AnswerValue::Number(20);
  const TriageResult result = TriageOf(answers);
  EXPECT_EQ(result.level, TriageLevel::kRoutine);
  EXPECT_EQ(result.safety_net, std::vector<std::string>{"day14"});
  // Never "getting worse" from a doubt.
  EXPECT_TRUE(std::find(result.safety_net.begin(), result.safety_net.end(), "worsening") ==
              result.safety_net.end());
}

TEST(Triage, ADoubtIsNoEvidenceForTheRanking) {
  const KnowledgeBase& kb = Fixture();
  Answers answers = kAllClear;
  answers["pain_trend"] = NotSure();
  const FindingState state = DeriveFindings(kb, answers);
  const int f = kb.FindingIndex("trend_not_better");
  EXPECT_EQ(state.findings[static_cast<std::size_t>(f)], Tri::kTrue);  // the screen's reading
  EXPECT_TRUE(state.unsure[static_cast<std::size_t>(f)]);
  EXPECT_EQ(state.Evidence()[static_cast<std::size_t>(f)], Tri::kUnknown);  // no evidence
}

TEST(Triage, ANotOverAnUnaskedFindingCountsItAsAbsentInTheResult) {
  Answers answers = kAllClear;
  answers["hot_joint"] = Yes();  // fever never asked: not reported, so "no fever"
  const TriageResult result = TriageOf(answers);
  EXPECT_EQ(FlagIds(result), std::vector<std::string>{"warm_joint"});
  EXPECT_FALSE(result.red_flags[0].uncertain);
}

TEST(MatchRedFlags, DuringTheInterviewAnUnaskedFindingIsStillPending) {
  const KnowledgeBase& kb = Fixture();
  const FindingState state = DeriveFindings(kb, {{"hot_joint", Yes()}});
  EXPECT_TRUE(MatchRedFlags(kb, state, Unasked::kPending).empty());
  EXPECT_EQ(MatchRedFlags(kb, state, Unasked::kAbsent).size(), 1U);
}

TEST(Triage, UrgentRedFlag) {
  Answers answers = kAllClear;
  answers["night_pain"] = Yes();
  EXPECT_EQ(TriageOf(answers).level, TriageLevel::kUrgent);
}

TEST(Triage, TheMostUrgentOfSeveralRedFlagsWins) {
  Answers answers = kAllClear;
  answers["night_pain"] = Yes();
  answers["fall"] = Yes();
  const TriageResult result = TriageOf(answers);
  EXPECT_EQ(result.level, TriageLevel::kEmergency);
  EXPECT_EQ(FlagIds(result), (std::vector<std::string>{"fracture", "night"}));
}

TEST(Triage, SafetyNetAfterTwoWeeksWithoutImprovement) {
  Answers answers = kAllClear;
  answers["pain_days"] = AnswerValue::Number(14);
  answers["pain_trend"] = AnswerValue::Choice("same");
  const TriageResult result = TriageOf(answers);
  EXPECT_EQ(result.level, TriageLevel::kRoutine);
  EXPECT_EQ(result.safety_net, std::vector<std::string>{"day14"});
  EXPECT_EQ(result.reasons[0].text, "Not better after two weeks: book a GP.");
  // 13 days, or 14 days and improving: not yet.
  answers["pain_days"] = AnswerValue::Number(13);
  EXPECT_EQ(TriageOf(answers).level, TriageLevel::kSelfCare);
  answers["pain_days"] = AnswerValue::Number(14);
  answers["pain_trend"] = AnswerValue::Choice("better");
  EXPECT_EQ(TriageOf(answers).level, TriageLevel::kSelfCare);
}

TEST(Triage, WorseningIsAtLeastRoutineWhateverTheDuration) {
  Answers answers = kAllClear;
  answers["pain_trend"] = AnswerValue::Choice("worse");
  const TriageResult result = TriageOf(answers);
  EXPECT_EQ(result.level, TriageLevel::kRoutine);
  EXPECT_EQ(result.safety_net, std::vector<std::string>{"worsening"});
}

TEST(Triage, SafetyNetRulesCanDependOnALikelyCause) {
  Answers answers = kAllClear;
  answers["pain_days"] = AnswerValue::Number(20);
  answers["pain_site"] = AnswerValue::Choices({"groin"});
  const TriageResult result = TriageOf(answers);
  EXPECT_EQ(result.safety_net, std::vector<std::string>{"joint_two_weeks"});
  answers["pain_site"] = AnswerValue::Choices({"lateral_hip"});
  EXPECT_TRUE(TriageOf(answers).safety_net.empty());
}

TEST(Triage, ALikelyCauseWithItsOwnLevelRaisesTheTriage) {
  Answers answers = kAllClear;
  answers["pain_site"] = AnswerValue::Choices({"groin"});  // osteoarthritis 0.56 -> routine
  const TriageResult result = TriageOf(answers);
  EXPECT_EQ(result.level, TriageLevel::kRoutine);
  EXPECT_EQ(result.reasons[0].text,
            "Your answers fit Hip osteoarthritis (about 6 in 10 people with answers like yours). "
            "Wear in the hip joint.");
}

TEST(Triage, ASelfCareCauseDoesNotRaiseIt) {
  Answers answers = kAllClear;
  answers["pain_site"] = AnswerValue::Choices({"lateral_hip"});
  EXPECT_EQ(TriageOf(answers).level, TriageLevel::kSelfCare);
}

TEST(Triage, NeverBelowAMatchedRedFlagWhateverElseIsTrue) {
  Answers answers = kAllClear;
  answers["night_pain"] = Yes();
  answers["pain_site"] = AnswerValue::Choices({"lateral_hip"});
  answers["pain_trend"] = AnswerValue::Choice("better");
  const TriageResult result = TriageOf(answers);
  EXPECT_GE(result.level, TriageLevel::kUrgent);
}

}  // namespace
}  // namespace hipcoach
