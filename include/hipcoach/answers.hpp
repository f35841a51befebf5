// Answers to interview questions, their validation, and the findings they establish.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "hipcoach/expr.hpp"
#include "hipcoach/knowledge.hpp"
#include "hipcoach/status.hpp"

namespace hipcoach {

// One answer. "Not sure" is kUnknown and is allowed for every question.
struct AnswerValue {
  enum class Kind { kUnknown, kBool, kNumber, kChoice, kChoices };
  Kind kind = Kind::kUnknown;
  bool boolean = false;
  double number = 0;
  std::string choice;
  std::vector<std::string> choices;

  static AnswerValue Unknown() { return {}; }
  static AnswerValue Bool(bool value);
  static AnswerValue Number(double value);
  static AnswerValue Choice(std::string id);
  static AnswerValue Choices(std::vector<std::string> ids);
  bool operator==(const AnswerValue& other) const = default;
};

using Answers = std::map<std::string, AnswerValue, std::less<>>;

// Checks an answer against its question: type, range, known choice ids (with "did you mean").
// A single choice given as a one-element list, and a side given as a choice, are normalised.
Result<AnswerValue> ValidateAnswer(const Question& question, const AnswerValue& value);

// Checks every answer: unknown question ids (with "did you mean") and each value.
Result<Answers> ValidateAnswers(const KnowledgeBase& kb, const Answers& answers);

// What the answers establish, per finding index. Questions are read in interview order; an answer
// to a question whose ask_if is false, or to a follow-up whose question was not answered "not
// sure", is ignored. A "not sure" is settled by the question's plainer follow-ups where it has
// them; where nothing settles it, a screening question's doubt reading applies (DoubtReading), and
// any other question's finding stays unknown. When two answers set one finding, a real answer
// beats a doubt reading, and "present" beats "absent" (the cautious reading of contradictions).
struct FindingState {
  std::vector<Tri> findings;  // per finding, doubt readings applied: what the danger screen reads
  std::vector<bool> unsure;   // per finding: the value rests on a "not sure"
  std::vector<bool> applicable;  // per question: its ask_if is not false (and, for a follow-up,
                                 // its question was answered "not sure")
  std::vector<bool> answered;    // per question: an answer is present (and applicable)

  // The findings without doubt readings: what the ranking of causes weighs. A "not sure" is no
  // evidence either way.
  std::vector<Tri> Evidence() const;
};
FindingState DeriveFindings(const KnowledgeBase& kb, const Answers& answers);

// The answer a question's doubt reading stands for (Unknown when it reads every finding as absent
// or has no reading).
AnswerValue DoubtAnswer(const Question& question);

// The finding state one answer gives to one rule: kTrue, kFalse, or kUnknown for "not sure".
Tri ApplyRule(const FindingRule& rule, const AnswerValue& value);

}  // namespace hipcoach
