#include "hipcoach/triage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace hipcoach {
namespace {

TriageLevel Max(TriageLevel a, TriageLevel b) {
  return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

}  // namespace

namespace {

// Evaluates a pattern with each finding's value chosen by `leaf(finding, positive)`, where
// `positive` says whether the finding sits under an even number of nots. This lets a "not sure"
// take whichever value is worse for the person: present under an even number of nots, absent
// under an odd one.
template <typename Leaf>
Tri EvaluatePolar(const Expr& expr, bool positive, const Leaf& leaf) {
  if (expr.kind == Expr::Kind::kFinding) return leaf(expr.index, positive);
  if (expr.kind == Expr::Kind::kNot) {
    const Tri inner = EvaluatePolar(expr.children.front(), !positive, leaf);
    if (inner == Tri::kUnknown) return Tri::kUnknown;
    return inner == Tri::kTrue ? Tri::kFalse : Tri::kTrue;
  }
  // all / any. (A cause leaf has no children and evaluates to false here; the loader keeps
  // causes out of red-flag patterns: KnowledgeLoader.RedFlagPatternsCannotUseCauses.)
  const bool all = expr.kind == Expr::Kind::kAll;
  Tri result = all ? Tri::kTrue : Tri::kFalse;
  for (const Expr& child : expr.children) {
    const Tri value = EvaluatePolar(child, positive, leaf);
    if (value == (all ? Tri::kFalse : Tri::kTrue)) return value;
    if (value == Tri::kUnknown) result = Tri::kUnknown;
  }
  return result;
}

}  // namespace

std::vector<MatchedRedFlag> MatchRedFlags(const KnowledgeBase& kb, const FindingState& state,
                                          Unasked unasked) {
  std::vector<MatchedRedFlag> matched;
  const Tri not_asked = unasked == Unasked::kAbsent ? Tri::kFalse : Tri::kUnknown;
  auto value = [&](int f, bool positive, bool worst_case) {
    const auto i = static_cast<std::size_t>(f);
    if (state.findings[i] != Tri::kUnknown) return state.findings[i];
    if (!state.unsure[i]) return not_asked;
    if (!worst_case) return Tri::kUnknown;
    return positive ? Tri::kTrue : Tri::kFalse;
  };
  for (std::size_t i = 0; i < kb.red_flags.size(); ++i) {
    const Expr& pattern = kb.red_flags[i].pattern;
    auto worst = [&](int f, bool positive) { return value(f, positive, true); };
    if (EvaluatePolar(pattern, true, worst) != Tri::kTrue) continue;
    auto given = [&](int f, bool positive) { return value(f, positive, false); };
    const bool certain = EvaluatePolar(pattern, true, given) == Tri::kTrue;
    matched.push_back(MatchedRedFlag{static_cast<int>(i), !certain});
  }
  return matched;
}

TriageResult Triage(const KnowledgeBase& kb, const FindingState& state,
                    const std::vector<double>& posteriors) {
  TriageResult result;
  const Rules& rules = kb.rules;
  auto finding = [&state](int f) { return state.findings[static_cast<std::size_t>(f)]; };
  auto cause = [&](int c) {
    return posteriors[static_cast<std::size_t>(c)] >= rules.likely ? Tri::kTrue : Tri::kFalse;
  };

  // 1. Danger signs: one positive pattern sets the level; never scored away.
  result.red_flags = MatchRedFlags(kb, state, Unasked::kAbsent);
  for (const MatchedRedFlag& match : result.red_flags) {
    const RedFlag& flag = kb.red_flags[static_cast<std::size_t>(match.red_flag)];
    result.level = Max(result.level, flag.level);
    std::string text = fmt::format("{}: {}", flag.name, flag.reason);
    if (match.uncertain) {
      text +=
          " You were not sure about one of the questions on this, so hipcoach takes the "
          "safer course.";
    }
    result.reasons.push_back(Reason{std::move(text), flag.sources});
  }

  // 2. The staged safety net: how long it has lasted and whether it is getting worse.
  for (const SafetyNetRule& rule : rules.safety_net) {
    if (Evaluate(rule.when, finding, cause) != Tri::kTrue) continue;
    result.level = Max(result.level, rule.level);
    result.safety_net.push_back(rule.id);
    result.reasons.push_back(Reason{rule.message, rule.sources});
  }

  // 3. A likely cause that is best assessed by a professional.
  for (std::size_t c = 0; c < kb.causes.size(); ++c) {
    const Cause& item = kb.causes[c];
    if (posteriors[c] < rules.cause_level || item.level == TriageLevel::kSelfCare) continue;
    result.level = Max(result.level, item.level);
    result.reasons.push_back(
        Reason{fmt::format("Your answers fit {} (about {}% likely). {}", item.name,
                           static_cast<int>(std::lround(posteriors[c] * 100)), item.summary),
               item.sources});
  }

  const TriageLevelInfo& info = rules.Level(result.level);
  if (result.reasons.empty()) {
    result.reasons.push_back(Reason{info.action, info.sources});
  }

  // Danger-sign questions left unanswered (possible with an answers file, not in the interview).
  for (int qi : kb.interview_order) {
    const auto q = static_cast<std::size_t>(qi);
    const Question& question = kb.questions[q];
    if (question.stage != Stage::kRedFlag || question.is_follow_up) continue;
    if (state.applicable[q] && !state.answered[q]) {
      result.unanswered_screening.push_back(question.id);
    }
  }

  // What should bring the person back, when they are not being sent anywhere urgently.
  if (result.level == TriageLevel::kSelfCare || result.level == TriageLevel::kRoutine) {
    for (const RedFlag& flag : kb.red_flags) {
      if (flag.level < TriageLevel::kUrgent) continue;
      result.watch_for.push_back(Reason{
          fmt::format("{} ({}): {}", flag.name, ToString(flag.level), flag.action), flag.sources});
    }
    for (const SafetyNetRule& rule : rules.safety_net) {
      if (rule.day <= 0) continue;
      result.watch_for.push_back(
          Reason{fmt::format("Day {}: {}", rule.day, rule.message), rule.sources});
    }
  }
  return result;
}

}  // namespace hipcoach
