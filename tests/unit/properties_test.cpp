// Properties over thousands of generated answer sets on the real knowledge base. The checks use
// the plain Kleene evaluator (hipcoach/expr.hpp), independently of the engine's own matching.
#include <gtest/gtest.h>

#include <random>

#include "hipcoach/assessment.hpp"
#include "hipcoach/interview.hpp"
#include "kb_support.hpp"
#include "must_assess.hpp"

namespace hipcoach {
namespace {

using testing::RealKnowledge;

constexpr int kAnswerSets = 3000;

AnswerValue RandomAnswer(const Question& q, std::mt19937& rng) {
  std::uniform_real_distribution<double> unit(0, 1);
  if (unit(rng) < 0.08) return AnswerValue::Unknown();
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

// A person answering the real interview at random (so the danger screen is always complete).
Answers RandomInterview(const KnowledgeBase& kb, std::mt19937& rng) {
  Answers answers;
  for (std::size_t asked = 0; asked <= kb.questions.size(); ++asked) {
    const NextStep step = NextQuestion(kb, answers);
    if (step.question == nullptr) break;
    answers[step.question->id] = RandomAnswer(*step.question, rng);
  }
  return answers;
}

// Findings as a cautious reader sees them for contraindications: "not sure" (with no reading) as
// present, never asked as absent.
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

TEST_F(Properties, NoPositiveDangerPatternIsTriagedBelowItsLevel) {
  std::mt19937 rng(20261123);
  int flagged = 0;
  int possible = 0;
  for (int n = 0; n < kAnswerSets; ++n) {
    const Answers answers = RandomInterview(kb, rng);
    const Assessment a = testing::MustAssess(kb, answers);
    const FindingState state = DeriveFindings(kb, answers);
    // What the person said, without any doubt reading; never asked counts as absent.
    std::vector<Tri> said = state.Evidence();
    for (Tri& value : said) {
      if (value == Tri::kUnknown) value = Tri::kFalse;
    }
    auto finding = [&](int f) { return said[static_cast<std::size_t>(f)]; };
    for (const RedFlag& flag : kb.red_flags) {
      if (Evaluate(flag.pattern, finding, NoCauses) != Tri::kTrue) continue;
      ++flagged;
      ASSERT_GE(a.triage.level, flag.level) << "answer set " << n << " says " << flag.id
                                            << " but was triaged " << ToString(a.triage.level);
    }
    // A "possible" sign rests only on the knowledge base's stated doubt readings: a doubt read
    // as present, or (under a `not`) one read as absent; never on a doubt left unknown.
    for (const MatchedRedFlag& match : a.triage.red_flags) {
      if (!match.uncertain) continue;
      ++possible;
      ASSERT_FALSE(match.doubts.empty()) << n;
      for (int f : match.doubts) {
        const auto i = static_cast<std::size_t>(f);
        ASSERT_TRUE(state.unsure[i]) << n;
        ASSERT_NE(state.findings[i], Tri::kUnknown)
            << "answer set " << n << ": " << kb.findings[i].id
            << " was raised from a doubt with no reading";
        if (state.findings[i] == Tri::kTrue) {
          bool stated = false;
          for (int q : kb.finding_setters[i]) {
            const Question& question = kb.questions[static_cast<std::size_t>(q)];
            stated = stated || (question.unsure && !question.unsure->absent);
          }
          ASSERT_TRUE(stated) << "answer set " << n << ": " << kb.findings[i].id
                              << " was raised from a doubt the knowledge base reads as absent";
        }
      }
    }
    if (a.triage.level >= TriageLevel::kUrgent) {
      ASSERT_FALSE(a.programme) << n;
    }
  }
  EXPECT_GT(flagged, kAnswerSets / 10) << "the generator should produce danger signs often";
  RecordProperty("possible_signs", possible);
}

TEST_F(Properties, AnAssessmentNeedsEveryScreeningQuestionTheInterviewWouldAsk) {
  std::mt19937 rng(11);
  for (int n = 0; n < 300; ++n) {
    Answers answers = RandomInterview(kb, rng);
    ASSERT_TRUE(Assess(kb, answers).has_value()) << n;
    // Drop one screening answer the interview used: the assessment is refused, naming a question
    // that was indeed left out, and nothing is assessed.
    std::vector<std::string> screening;
    for (const auto& [id, value] : answers) {
      if (kb.FindQuestion(id)->screening) screening.push_back(id);
    }
    std::uniform_int_distribution<std::size_t> pick(0, screening.size() - 1);
    const std::string dropped = screening[pick(rng)];
    answers.erase(dropped);
    const Question* missing = FirstUnansweredScreening(kb, answers);
    if (missing == nullptr) continue;  // the dropped one no longer applied (e.g. a gate moved)
    auto refused = Assess(kb, answers);
    ASSERT_FALSE(refused.has_value()) << n << " without " << dropped;
    EXPECT_NE(refused.error().message.find(missing->id), std::string::npos);
    EXPECT_EQ(answers.count(missing->id), 0U);
  }
}

TEST_F(Properties, NoProgrammeHoldsAnythingContraindicatedAndEveryDoseIsWithinLimits) {
  std::mt19937 rng(7);
  int programmes = 0;
  // Keep generating until a few thousand programmes have been checked.
  for (int n = 0; programmes < kAnswerSets && n < 20 * kAnswerSets; ++n) {
    const Answers answers = RandomInterview(kb, rng);
    const Assessment a = testing::MustAssess(kb, answers);
    if (!a.programme) continue;
    ++programmes;
    const FindingState state = DeriveFindings(kb, answers);
    const std::vector<Tri> cautious = Cautious(state);
    const std::vector<double> posteriors = Posteriors(kb, state.Evidence());
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
