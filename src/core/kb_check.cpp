#include "hipcoach/kb_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "hipcoach/interview.hpp"
#include "hipcoach/triage.hpp"

namespace hipcoach {
namespace {

// Which findings a pattern needs present (true) or absent (false).
void Wanted(const Expr& expr, bool positive, std::map<int, bool>& out) {
  if (expr.kind == Expr::Kind::kFinding) {
    out.emplace(expr.index, positive);
    return;
  }
  const bool child_positive = expr.kind == Expr::Kind::kNot ? !positive : positive;
  for (const Expr& child : expr.children) Wanted(child, child_positive, out);
}

// The answer a person with exactly this danger sign would give.
AnswerValue OracleAnswer(const Question& q, const std::map<int, bool>& wanted) {
  std::vector<std::string> choices;
  std::optional<double> number;
  std::optional<bool> yes;
  for (const FindingRule& rule : q.findings) {
    auto it = wanted.find(rule.finding);
    if (it == wanted.end()) continue;
    const bool present = it->second;
    switch (q.type) {
      case AnswerType::kYesNo:
        yes = present ? rule.when.value_or(true) : !rule.when.value_or(true);
        break;
      case AnswerType::kNumber:
        if (present) {
          number = rule.at_least ? *rule.at_least : (rule.below ? *rule.below - 1 : q.min);
        } else {
          number = rule.at_least ? q.min : q.max;
        }
        break;
      default:
        if (present) choices.insert(choices.end(), rule.any_of.begin(), rule.any_of.end());
    }
  }
  switch (q.type) {
    case AnswerType::kYesNo:
      return AnswerValue::Bool(yes.value_or(false));
    case AnswerType::kNumber:
      return AnswerValue::Number(std::clamp(number.value_or(q.min), q.min, q.max));
    case AnswerType::kSingleChoice:
    case AnswerType::kSide:
      if (!choices.empty()) return AnswerValue::Choice(choices.front());
      for (const Choice& c : q.choices) {
        if (c.id == "none") return AnswerValue::Choice("none");
      }
      return AnswerValue::Choice(q.choices.front().id);
    case AnswerType::kMultiChoice:
    case AnswerType::kBodyLocation:
      if (choices.empty()) {
        for (const Choice& c : q.choices) {
          if (c.id == "none") return AnswerValue::Choices({"none"});
        }
        return AnswerValue::Choices({q.choices.front().id});
      }
      return AnswerValue::Choices(choices);
  }
  return AnswerValue::Unknown();
}

}  // namespace

std::vector<Diagnostic> CheckReachability(const KnowledgeBase& kb) {
  std::vector<Diagnostic> out;
  for (std::size_t r = 0; r < kb.red_flags.size(); ++r) {
    const RedFlag& flag = kb.red_flags[r];
    std::map<int, bool> wanted;
    Wanted(flag.pattern, true, wanted);
    Answers answers;
    for (std::size_t guard = 0; guard < kb.questions.size() + 1; ++guard) {
      const NextStep step = NextQuestion(kb, answers);
      if (step.question == nullptr) break;
      answers[step.question->id] = OracleAnswer(*step.question, wanted);
    }
    const FindingState state = DeriveFindings(kb, answers);
    // Reached: the flag itself matches, or the interview stopped on another danger sign at least
    // as urgent (it stops at the first emergency, so the same person is sent to the same place).
    bool matched = false;
    for (const MatchedRedFlag& match : MatchRedFlags(kb, state, Unasked::kAbsent)) {
      const RedFlag& other = kb.red_flags[static_cast<std::size_t>(match.red_flag)];
      matched = matched || (match.red_flag == static_cast<int>(r) && !match.uncertain) ||
                (!match.uncertain && other.level >= flag.level);
    }
    if (!matched) {
      out.push_back(
          Diagnostic{flag.where.file, flag.where.line, flag.where.column,
                     fmt::format("red flag '{}' cannot be reached by the interview: "
                                 "answering every question as a person with this "
                                 "danger sign would reaches neither it nor an equally urgent one",
                                 flag.id)});
    }
  }
  return out;
}

}  // namespace hipcoach
