// Properties over thousands of generated answer sets on the real knowledge base. The checks use
// the plain Kleene evaluator (hipcoach/expr.hpp), independently of the engine's own matching.
#include <gtest/gtest.h>

#include <random>

#include "hipcoach/assessment.hpp"
#include "hipcoach/interview.hpp"
#include "kb_support.hpp"

namespace hipcoach {
namespace {

using testing::RealKnowledge;

constexpr int kAnswerSets = 3000;

AnswerValue RandomAnswer(const Question& q, std::mt19937& rng) {
  std::uniform_real_distribution<double> unit(0, 1);
  // "Not sure" on a danger sign escalates, so keep it rarer there to reach programmes too.
  if (unit(rng) < (q.stage == Stage::kRedFlag ? 0.01 : 0.08)) return AnswerValue::Unknown();
  switch (q.type) {
    case AnswerType::kYesNo:
      // Danger signs are rare: answer yes less often, so that many sets reach a programme.
      return AnswerValue::Bool(unit(rng) < (q.stage == Stage::kRedFlag ? 0.06 : 0.4));
    case AnswerType::kNumber: {
      std::uniform_real_distribution<double> range(q.min, q.max);
      double value = range(rng);
      if (unit(rng) < 0.5) value = q.min + (value - q.min) * 0.05;  // favour the low end
      if (q.integer) value = std::floor(value);
      return AnswerValue::Number(std::clamp(value, q.min, q.max));
    }
    case AnswerType::kSingleChoice:
    case AnswerType::kSide: {
      std::uniform_int_distribution<std::size_t> pick(0, q.choices.size() - 1);
      return AnswerValue::Choice(q.choices[pick(rng)].id);
    }
    case AnswerType::kMultiChoice:
    case AnswerType::kBodyLocation: {
      std::vector<std::string> ids;
      const double p = q.stage == Stage::kRedFlag ? 0.03 : 0.3;
      for (const Choice& c : q.choices) {
        if (unit(rng) < p) ids.push_back(c.id);
      }
      if (ids.empty()) {
        const bool has_none = q.FindChoice("none") != nullptr;
        ids.push_back(has_none ? "none" : q.choices.front().id);
      }
      return AnswerValue::Choices(ids);
    }
  }
  return AnswerValue::Unknown();
}

Answers RandomAnswers(const KnowledgeBase& kb, std::mt19937& rng) {
  std::uniform_real_distribution<double> unit(0, 1);
  Answers answers;
  for (const Question& q : kb.questions) {
    if (unit(rng) < 0.85) answers[q.id] = RandomAnswer(q, rng);
  }
  return answers;
}

// Findings as a cautious reader sees them: "not sure" as present, never asked as absent.
std::vector<Tri> Cautious(const FindingState& state) {
  std::vector<Tri> out = state.findings;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == Tri::kUnknown) out[i] = state.unsure[i] ? Tri::kTrue : Tri::kFalse;
  }
  return out;
}

class Properties : public ::testing::Test {
 protected:
  const KnowledgeBase& kb = RealKnowledge();
};

TEST_F(Properties, NoAnswerSetWithADangerSignIsTriagedBelowItsLevel) {
  std::mt19937 rng(20261123);
  int flagged = 0;
  for (int n = 0; n < kAnswerSets; ++n) {
    const Answers answers = RandomAnswers(kb, rng);
    const Assessment a = Assess(kb, answers);
    const FindingState state = DeriveFindings(kb, answers);
    // Unsure counts as not known; unasked as absent.
    std::vector<Tri> findings = state.findings;
    for (std::size_t i = 0; i < findings.size(); ++i) {
      if (findings[i] == Tri::kUnknown && !state.unsure[i]) findings[i] = Tri::kFalse;
    }
    auto finding = [&](int f) { return findings[static_cast<std::size_t>(f)]; };
    auto no_cause = [](int) { return Tri::kFalse; };
    for (const RedFlag& flag : kb.red_flags) {
      const Tri value = Evaluate(flag.pattern, finding, no_cause);
      if (value == Tri::kFalse) continue;
      ++flagged;
      ASSERT_GE(a.triage.level, flag.level) << "answer set " << n << " matches " << flag.id << " ("
                                            << (value == Tri::kTrue ? "certain" : "not sure")
                                            << ") but was triaged " << ToString(a.triage.level);
    }
    if (a.triage.level >= TriageLevel::kUrgent) {
      ASSERT_FALSE(a.programme) << n;
    }
  }
  EXPECT_GT(flagged, kAnswerSets / 10) << "the generator should produce danger signs often";
}

TEST_F(Properties, NoProgrammeHoldsAnythingContraindicatedAndEveryDoseIsWithinLimits) {
  std::mt19937 rng(7);
  int programmes = 0;
  // Keep generating until a few thousand programmes have been checked.
  for (int n = 0; programmes < kAnswerSets && n < 20 * kAnswerSets; ++n) {
    const Answers answers = RandomAnswers(kb, rng);
    const Assessment a = Assess(kb, answers);
    if (!a.programme) continue;
    ++programmes;
    const FindingState state = DeriveFindings(kb, answers);
    const std::vector<Tri> cautious = Cautious(state);
    const std::vector<double> posteriors = Posteriors(kb, state.findings);
    auto finding = [&](int f) { return cautious[static_cast<std::size_t>(f)]; };
    auto cause = [&](int c) {
      return posteriors[static_cast<std::size_t>(c)] >= kb.rules.likely ? Tri::kTrue : Tri::kFalse;
    };
    const Rules& r = kb.rules;
    for (const PhasePlan& phase : a.programme->phases) {
      for (const PlanItem& item : phase.items) {
        const Exercise* exercise = kb.FindExercise(item.exercise);
        ASSERT_NE(exercise, nullptr);
        for (const Contraindication& contra : exercise->contraindications) {
          ASSERT_NE(Evaluate(contra.when, finding, cause), Tri::kTrue)
              << "answer set " << n << ": " << item.exercise
              << " is contraindicated: " << contra.reason;
        }
        EXPECT_GE(item.sets, 1);
        EXPECT_LE(item.sets, r.max_sets);
        EXPECT_GE(item.reps_min, 1);
        EXPECT_LE(item.reps_min, item.reps_max);
        EXPECT_LE(item.reps_max, r.max_reps);
        EXPECT_LE(item.hold_seconds, r.max_hold_seconds);
        EXPECT_LE(item.times_per_day, r.max_times_per_day);
      }
    }
    for (const SelfCareAdvice& advice : a.programme->self_care) {
      const SelfCare* care = kb.FindSelfCare(advice.self_care);
      bool contraindicated = false;
      for (const Contraindication& contra : care->contraindications) {
        contraindicated = contraindicated || Evaluate(contra.when, finding, cause) == Tri::kTrue;
      }
      ASSERT_EQ(advice.allowed, !contraindicated) << "answer set " << n << ": " << care->id;
      if (care->kind == "cold") {
        EXPECT_LE(care->max_minutes, r.ice_max_minutes);
      }
      if (care->kind == "heat") {
        EXPECT_LE(care->max_minutes, r.heat_max_minutes);
      }
    }
  }
  EXPECT_EQ(programmes, kAnswerSets) << "the generator should reach programmes often";
}

TEST_F(Properties, TheInterviewAlwaysEndsAndNeverRepeatsAQuestion) {
  std::mt19937 rng(99);
  int longest = 0;
  for (int n = 0; n < 500; ++n) {
    Answers answers;
    int asked = 0;
    for (;; ++asked) {
      ASSERT_LT(asked, static_cast<int>(kb.questions.size()))
          << "interview " << n << " did not end";
      const NextStep step = NextQuestion(kb, answers);
      if (step.question == nullptr) break;
      ASSERT_EQ(answers.count(step.question->id), 0U) << "asked twice: " << step.question->id;
      answers[step.question->id] = RandomAnswer(*step.question, rng);
    }
    longest = std::max(longest, asked);
  }
  RecordProperty("longest_interview", longest);
}

}  // namespace
}  // namespace hipcoach
