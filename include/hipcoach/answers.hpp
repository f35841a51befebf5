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
// to a question whose ask_if is false is ignored. When two answers set the same finding, a known
// state beats "not sure", and "present" beats "absent" (the cautious reading of contradictions).
struct FindingState {
  std::vector<Tri> findings;     // per finding
  std::vector<bool> unsure;      // per finding: answered, but only with "not sure"
  std::vector<bool> applicable;  // per question: its ask_if is not false
  std::vector<bool> answered;    // per question: an answer is present (and applicable)
};
FindingState DeriveFindings(const KnowledgeBase& kb, const Answers& answers);

// The finding state one answer gives to one rule: kTrue, kFalse, or kUnknown for "not sure".
Tri ApplyRule(const FindingRule& rule, const AnswerValue& value);

}  // namespace hipcoach
