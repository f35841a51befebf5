#include "hipcoach/triage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "hipcoach/inference.hpp"

namespace hipcoach {
namespace {

TriageLevel Max(TriageLevel a, TriageLevel b) {
  return static_cast<int>(a) >= static_cast<int>(b) ? a : b;
}

}  // namespace

std::vector<MatchedRedFlag> MatchRedFlags(const KnowledgeBase& kb, const FindingState& state,
                                          Unasked unasked) {
  std::vector<MatchedRedFlag> matched;
  const Tri not_known = unasked == Unasked::kAbsent ? Tri::kFalse : Tri::kUnknown;
  auto said = [&](int f) {
    const Tri value = state.findings[static_cast<std::size_t>(f)];
    return value == Tri::kUnknown ? not_known : value;
  };
  // The same without the doubt readings: a match that needs them rests on a "not sure".
  auto certain = [&](int f) {
    return state.unsure[static_cast<std::size_t>(f)] ? Tri::kUnknown : said(f);
  };
  for (std::size_t i = 0; i < kb.red_flags.size(); ++i) {
    const Expr& pattern = kb.red_flags[i].pattern;
    if (Evaluate(pattern, said, NoCauses) != Tri::kTrue) continue;
    MatchedRedFlag match{static_cast<int>(i), false, {}};
    if (Evaluate(pattern, certain, NoCauses) != Tri::kTrue) {
      // The doubts the match rests on: the pattern's findings that a doubt reading settled.
      match.uncertain = true;
      for (int f : kb.red_flag_findings[i]) {
        const auto index = static_cast<std::size_t>(f);
        if (state.unsure[index] && state.findings[index] != Tri::kUnknown) {
          match.doubts.push_back(f);
        }
      }
    }
    matched.push_back(std::move(match));
  }
  return matched;
}

namespace {

// "a, b or c" (or "and"): plain words for a short list.
std::string Join(const std::vector<std::string>& items, std::string_view last) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0 && i + 1 == items.size()) {
      out.append(" ").append(last).append(" ");
    } else if (i > 0) {
      out += ", ";
    }
    out += items[i];
  }
  return out;
}

std::string JoinFindings(const KnowledgeBase& kb, const std::vector<int>& findings) {
  std::vector<std::string> texts;
  texts.reserve(findings.size());
  for (int f : findings) texts.push_back(kb.findings[static_cast<std::size_t>(f)].text);
  return Join(texts, "or");
}

// What a doubt reading stands for, in the person's words.
std::string ReadingText(const Question& question) {
  const DoubtReading& reading = *question.unsure;
  if (reading.absent) return question.type == AnswerType::kYesNo ? "no" : "none of these";
  if (reading.boolean) return *reading.boolean ? "yes, to be safe" : "no";
  std::vector<std::string> texts;  // the loader makes an empty list "absent"
  for (const std::string& id : reading.choices) {
    texts.push_back(fmt::format("\"{}\"", question.FindChoice(id)->text));
  }
  return Join(texts, "and");
}

// "not sure" answers to screening questions that a doubt reading settled, in plain words.
std::vector<Doubt> Doubts(const KnowledgeBase& kb, const FindingState& state,
                          const Answers& answers) {
  std::vector<Doubt> out;
  for (int qi : kb.interview_order) {
    const auto q = static_cast<std::size_t>(qi);
    const Question& question = kb.questions[q];
    if (!question.unsure || !state.answered[q]) continue;
    if (answers.at(question.id).kind != AnswerValue::Kind::kUnknown) continue;
    std::string text = fmt::format("You were not sure about \"{}\", so hipcoach took it as {}.",
                                   question.text, ReadingText(question));
    if (!question.check.empty()) text += " " + question.check;
    out.push_back(Doubt{question.id, std::move(text)});
  }
  return out;
}

}  // namespace

TriageResult Triage(const KnowledgeBase& kb, const FindingState& state,
                    const std::vector<double>& posteriors, const Answers& answers) {
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
      text += fmt::format(
          " You were not sure about {}. This cannot safely wait until you are sure, so hipcoach "
          "treats it as possible.",
          JoinFindings(kb, match.doubts));
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
    result.reasons.push_back(Reason{
        fmt::format("Your answers fit {} ({}). {}", item.name,
                    ChanceText(std::min(posteriors[c], rules.max_probability)), item.summary),
        item.sources});
  }

  const TriageLevelInfo& info = rules.Level(result.level);
  if (result.reasons.empty()) {
    result.reasons.push_back(Reason{info.action, info.sources});
  }

  result.doubts = Doubts(kb, state, answers);

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
