#include "hipcoach/interview.hpp"

#include <algorithm>

#include "hipcoach/inference.hpp"
#include "hipcoach/triage.hpp"

namespace hipcoach {
namespace {

// Whether answering `question` could still change the outcome of a red flag more urgent than
// what has already matched.
bool CanChangeRedFlag(const KnowledgeBase& kb, const Question& question, const FindingState& state,
                      int matched_level) {
  auto finding = [&state](int f) { return state.findings[static_cast<std::size_t>(f)]; };
  for (std::size_t r = 0; r < kb.red_flags.size(); ++r) {
    if (static_cast<int>(kb.red_flags[r].level) <= matched_level) continue;
    const auto& used = kb.red_flag_findings[r];
    bool feeds = false;
    for (const FindingRule& rule : question.findings) {
      feeds = feeds || std::find(used.begin(), used.end(), rule.finding) != used.end();
    }
    if (feeds && Evaluate(kb.red_flags[r].pattern, finding, NoCauses) == Tri::kUnknown) {
      return true;
    }
  }
  return false;
}

}  // namespace

NextStep NextQuestion(const KnowledgeBase& kb, const Answers& answers) {
  NextStep step;
  const FindingState state = DeriveFindings(kb, answers);
  for (bool answered : state.answered) step.asked += answered ? 1 : 0;
  auto ask = [&](std::size_t q) {
    step.question = &kb.questions[q];
    return step;
  };
  auto open = [&](std::size_t q) { return state.applicable[q] && !state.answered[q]; };

  // A "not sure" gets its plainer follow-ups straight away, one at a time, before anything is
  // concluded from it. (A follow-up is open only while its question stands at "not sure".)
  for (int qi : kb.interview_order) {
    const auto q = static_cast<std::size_t>(qi);
    if (kb.questions[q].is_follow_up && open(q)) return ask(q);
  }

  int matched_level = -1;
  for (const MatchedRedFlag& match : MatchRedFlags(kb, state, Unasked::kPending)) {
    matched_level =
        std::max(matched_level,
                 static_cast<int>(kb.red_flags[static_cast<std::size_t>(match.red_flag)].level));
  }
  // Only an emergency ends the interview; after a lesser warning it goes on asking what tells the
  // causes apart, within the question budget. Before it ends, the danger questions that the
  // answers have just opened and that can change what to do now are still asked (a swollen leg
  // opens breathlessness: an ambulance rather than the emergency department).
  if (matched_level >= static_cast<int>(TriageLevel::kEmergency)) {
    auto finding = [&state](int f) { return state.findings[static_cast<std::size_t>(f)]; };
    for (int qi : kb.interview_order) {
      const auto q = static_cast<std::size_t>(qi);
      const Question& question = kb.questions[q];
      if (question.stage != Stage::kRedFlag || question.is_follow_up || !open(q) ||
          !question.ask_if || kb.question_urgency[q] < static_cast<int>(TriageLevel::kEmergency)) {
        continue;
      }
      if (Evaluate(*question.ask_if, finding, NoCauses) == Tri::kTrue) return ask(q);
    }
    step.stop_reason = "danger_sign";
    return step;
  }

  // Danger signs, most urgent first, while they can still change the outcome.
  int remaining = 0;
  for (int qi : kb.interview_order) {
    const auto q = static_cast<std::size_t>(qi);
    const Question& question = kb.questions[q];
    if (question.stage != Stage::kRedFlag || question.is_follow_up || !open(q)) continue;
    if (kb.question_urgency[q] < 0 || CanChangeRedFlag(kb, question, state, matched_level)) {
      if (step.question == nullptr) ask(q);
      ++remaining;
    }
  }
  // Then the core questions everyone answers.
  for (int qi : kb.interview_order) {
    const auto q = static_cast<std::size_t>(qi);
    const Question& question = kb.questions[q];
    if (question.stage != Stage::kCore || question.is_follow_up || !open(q)) continue;
    if (step.question == nullptr) ask(q);
    ++remaining;
  }
  if (step.question != nullptr) {
    step.remaining_estimate = remaining + 6;
    return step;
  }

  // Programme questions are only asked when a programme will be given.
  const std::vector<Tri> evidence = state.Evidence();
  const std::vector<double> posteriors = Posteriors(kb, evidence);
  const TriageResult triage = Triage(kb, state, posteriors, answers);
  const bool programme = triage.level <= TriageLevel::kRoutine;
  // Programme questions still to ask: the required ones (cautions before ice, heat and pain relief)
  // always are; the optional ones (equipment, minutes a day) only within the budget.
  int programme_left = 0;
  int optional_left = 0;
  for (int qi : kb.interview_order) {
    const auto q = static_cast<std::size_t>(qi);
    const Question& question = kb.questions[q];
    if (programme && question.stage == Stage::kProgramme && open(q)) {
      ++(question.optional ? optional_left : programme_left);
    }
  }

  // Adaptive questions by expected information gain, until confident or nothing useful is left.
  {
    int adaptive_asked = 0;
    for (std::size_t q = 0; q < kb.questions.size(); ++q) {
      if (kb.questions[q].stage == Stage::kAdaptive && state.answered[q]) ++adaptive_asked;
    }
    std::vector<double> sorted;
    for (std::size_t c = 0; c < kb.causes.size(); ++c) {
      if (kb.causes[c].kind != "serious") sorted.push_back(posteriors[c]);
    }
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    const double top = sorted.empty() ? 0 : sorted[0];
    const double second = sorted.size() < 2 ? 0 : sorted[1];
    const bool confident = top >= kb.rules.stop_probability && top - second >= kb.rules.stop_margin;
    const bool budget = step.asked + programme_left < kb.rules.max_questions;
    if (budget && (!confident || adaptive_asked < kb.rules.min_adaptive_questions)) {
      double best_gain = 0;
      int best = -1;
      for (int qi : kb.interview_order) {
        const auto q = static_cast<std::size_t>(qi);
        const Question& question = kb.questions[q];
        if (question.stage != Stage::kAdaptive || question.is_follow_up || !open(q)) continue;
        const double gain = ExpectedInformationGain(kb, question, evidence, posteriors);
        if (gain > best_gain) {
          best_gain = gain;
          best = qi;
        }
      }
      if (best >= 0 && best_gain >= kb.rules.min_information_gain) {
        step.remaining_estimate =
            programme_left + optional_left +
            std::max(1, kb.rules.max_questions - step.asked - programme_left) / 3;
        return ask(static_cast<std::size_t>(best));
      }
    }
  }

  for (int qi : kb.interview_order) {
    const auto q = static_cast<std::size_t>(qi);
    const Question& question = kb.questions[q];
    if (!programme || question.stage != Stage::kProgramme || question.is_follow_up || !open(q)) {
      continue;
    }
    // Equipment and minutes a day are worth asking only in a short interview; otherwise the
    // programme starts from its defaults.
    if (question.optional && step.asked + programme_left >= kb.rules.optional_budget) continue;
    step.remaining_estimate = programme_left + (question.optional ? 1 : 0);
    return ask(q);
  }
  step.stop_reason = "complete";
  return step;
}

const Question* FirstUnansweredScreening(const KnowledgeBase& kb, const Answers& answers) {
  // Fast path: every screening question that applies is answered.
  const FindingState state = DeriveFindings(kb, answers);
  bool any_open = false;
  for (std::size_t q = 0; q < kb.questions.size() && !any_open; ++q) {
    any_open = kb.questions[q].screening && state.applicable[q] && !state.answered[q];
  }
  if (!any_open) return nullptr;
  // Walk the interview as it would go on, standing "not sure" in for the questions that screen
  // for nothing (they cannot change a danger sign), until it asks a screening question or ends.
  // An emergency already found ends it, so a screen cut short by one is complete.
  Answers walked = answers;
  for (std::size_t guard = 0; guard <= kb.questions.size(); ++guard) {
    const NextStep step = NextQuestion(kb, walked);
    if (step.question == nullptr) return nullptr;
    if (step.question->screening) return step.question;
    walked[step.question->id] = AnswerValue::Unknown();
  }
  return nullptr;
}

}  // namespace hipcoach
