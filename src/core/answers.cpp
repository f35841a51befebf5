#include "hipcoach/answers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace hipcoach {

AnswerValue AnswerValue::Bool(bool value) {
  AnswerValue v;
  v.kind = Kind::kBool;
  v.boolean = value;
  return v;
}
AnswerValue AnswerValue::Number(double value) {
  AnswerValue v;
  v.kind = Kind::kNumber;
  v.number = value;
  return v;
}
AnswerValue AnswerValue::Choice(std::string id) {
  AnswerValue v;
  v.kind = Kind::kChoice;
  v.choice = std::move(id);
  return v;
}
AnswerValue AnswerValue::Choices(std::vector<std::string> ids) {
  AnswerValue v;
  v.kind = Kind::kChoices;
  v.choices = std::move(ids);
  return v;
}

namespace {

std::string ChoiceList(const Question& q) {
  std::string out;
  for (const auto& c : q.choices) out += (out.empty() ? "" : ", ") + c.id;
  return out;
}

Result<std::string> CheckChoice(const Question& q, const std::string& id) {
  if (q.FindChoice(id) != nullptr) return id;
  std::vector<std::string> ids;
  for (const auto& c : q.choices) ids.push_back(c.id);
  std::string hint = ClosestMatch(id, ids);
  return MakeError(
      ErrorCode::kInvalidInput,
      fmt::format("'{}' is not a choice of question '{}'{}; choices: {}", id, q.id,
                  hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint), ChoiceList(q)));
}

std::string_view KindName(AnswerValue::Kind kind) {
  switch (kind) {
    case AnswerValue::Kind::kUnknown:
      return "\"unknown\"";
    case AnswerValue::Kind::kBool:
      return "true/false";
    case AnswerValue::Kind::kNumber:
      return "a number";
    case AnswerValue::Kind::kChoice:
      return "a choice id";
    case AnswerValue::Kind::kChoices:
      return "a list of choice ids";
  }
  return "a value";
}

}  // namespace

Result<AnswerValue> ValidateAnswer(const Question& q, const AnswerValue& value) {
  using Kind = AnswerValue::Kind;
  if (value.kind == Kind::kUnknown) return value;
  auto wrong_type = [&](std::string_view expected) {
    return MakeError(ErrorCode::kInvalidInput,
                     fmt::format("question '{}' expects {} (or \"unknown\"), not {}", q.id,
                                 expected, KindName(value.kind)));
  };
  switch (q.type) {
    case AnswerType::kYesNo:
      if (value.kind != Kind::kBool) return wrong_type("true or false");
      return value;
    case AnswerType::kNumber: {
      if (value.kind != Kind::kNumber) return wrong_type(fmt::format("a number in {}", q.unit));
      if (!std::isfinite(value.number) || value.number < q.min || value.number > q.max) {
        return MakeError(
            ErrorCode::kInvalidInput,
            fmt::format("question '{}': {} is out of range {}-{}{}", q.id, value.number, q.min,
                        q.max, q.unit.empty() ? "" : " " + q.unit));
      }
      if (q.integer && std::floor(value.number) != value.number) {
        return MakeError(
            ErrorCode::kInvalidInput,
            fmt::format("question '{}' expects a whole number, not {}", q.id, value.number));
      }
      return value;
    }
    case AnswerType::kSingleChoice:
    case AnswerType::kSide: {
      std::string id;
      if (value.kind == Kind::kChoice) {
        id = value.choice;
      } else if (value.kind == Kind::kChoices && value.choices.size() == 1) {
        id = value.choices.front();
      } else {
        return wrong_type("one choice id");
      }
      auto checked = CheckChoice(q, id);
      if (!checked) return tl::unexpected(checked.error());
      return AnswerValue::Choice(*checked);
    }
    case AnswerType::kMultiChoice:
    case AnswerType::kBodyLocation: {
      std::vector<std::string> ids;
      if (value.kind == Kind::kChoice) {
        ids.push_back(value.choice);
      } else if (value.kind == Kind::kChoices) {
        ids = value.choices;
      } else {
        return wrong_type("a list of choice ids");
      }
      for (const std::string& id : ids) {
        auto checked = CheckChoice(q, id);
        if (!checked) return tl::unexpected(checked.error());
      }
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      return AnswerValue::Choices(std::move(ids));
    }
  }
  return wrong_type("a value");
}

Result<Answers> ValidateAnswers(const KnowledgeBase& kb, const Answers& answers) {
  Answers out;
  std::vector<std::string> ids;
  for (const auto& q : kb.questions) ids.push_back(q.id);
  for (const auto& [id, value] : answers) {
    const Question* q = kb.FindQuestion(id);
    if (q == nullptr) {
      std::string hint = ClosestMatch(id, ids);
      return MakeError(ErrorCode::kInvalidInput,
                       fmt::format("unknown question id '{}'{}", id,
                                   hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
    auto checked = ValidateAnswer(*q, value);
    if (!checked) return tl::unexpected(checked.error());
    out.emplace(id, std::move(*checked));
  }
  return out;
}

Tri ApplyRule(const FindingRule& rule, const AnswerValue& value) {
  using Kind = AnswerValue::Kind;
  switch (value.kind) {
    case Kind::kUnknown:
      return Tri::kUnknown;
    case Kind::kBool:
      return value.boolean == rule.when.value_or(true) ? Tri::kTrue : Tri::kFalse;
    case Kind::kNumber: {
      const bool above = !rule.at_least || value.number >= *rule.at_least;
      const bool under = !rule.below || value.number < *rule.below;
      return above && under ? Tri::kTrue : Tri::kFalse;
    }
    case Kind::kChoice:
      return std::find(rule.any_of.begin(), rule.any_of.end(), value.choice) != rule.any_of.end()
                 ? Tri::kTrue
                 : Tri::kFalse;
    case Kind::kChoices:
      for (const std::string& choice : value.choices) {
        if (std::find(rule.any_of.begin(), rule.any_of.end(), choice) != rule.any_of.end()) {
          return Tri::kTrue;
        }
      }
      return Tri::kFalse;
  }
  return Tri::kUnknown;
}

AnswerValue DoubtAnswer(const Question& question) {
  if (!question.unsure || question.unsure->absent) return AnswerValue::Unknown();
  const DoubtReading& reading = *question.unsure;
  if (reading.boolean) return AnswerValue::Bool(*reading.boolean);
  if (question.type == AnswerType::kSingleChoice || question.type == AnswerType::kSide) {
    return AnswerValue::Choice(reading.choices.front());  // the loader makes no choice "absent"
  }
  return AnswerValue::Choices(reading.choices);
}

std::vector<Tri> FindingState::Evidence() const {
  std::vector<Tri> out = findings;
  for (std::size_t f = 0; f < out.size(); ++f) {
    if (unsure[f]) out[f] = Tri::kUnknown;
  }
  return out;
}

namespace {

// How much one reading of a finding counts when two answers set it: a real answer beats a doubt
// reading, which beats nothing known; within each, present beats absent.
int Weight(Tri value, bool doubt) {
  if (value == Tri::kUnknown) return 0;
  return (doubt ? 0 : 2) + (value == Tri::kTrue ? 2 : 1);
}

}  // namespace

FindingState DeriveFindings(const KnowledgeBase& kb, const Answers& answers) {
  FindingState state;
  state.findings.assign(kb.findings.size(), Tri::kUnknown);
  state.unsure.assign(kb.findings.size(), false);
  state.applicable.assign(kb.questions.size(), true);
  state.answered.assign(kb.questions.size(), false);
  std::vector<int> weight(kb.findings.size(), -1);        // -1: no answer has set the finding
  std::vector<bool> doubted(kb.questions.size(), false);  // answered "not sure"
  std::vector<bool> decided(kb.questions.size(), false);  // applicability already worked out
  // For an ask_if: a finding that no question which applies can set any more is absent (its
  // question was skipped), not pending; so is one left unknown by a "not sure" that its plain
  // follow-ups did not cover (the gate asks about what the person is sure of).
  auto finding = [&](int index) {
    const auto f = static_cast<std::size_t>(index);
    if (state.findings[f] != Tri::kUnknown) return state.findings[f];
    if (state.unsure[f]) return Tri::kFalse;
    for (int setter : kb.finding_setters[f]) {
      const auto s = static_cast<std::size_t>(setter);
      if (!decided[s] || state.applicable[s]) return Tri::kUnknown;
    }
    return Tri::kFalse;
  };
  for (int qi : kb.interview_order) {
    const auto q = static_cast<std::size_t>(qi);
    const Question& question = kb.questions[q];
    decided[q] = true;
    const bool gate_open =
        question.follows < 0 || doubted[static_cast<std::size_t>(question.follows)];
    if (!gate_open ||
        (question.ask_if && Evaluate(*question.ask_if, finding, NoCauses) == Tri::kFalse)) {
      state.applicable[q] = false;
      continue;
    }
    auto it = answers.find(question.id);
    if (it == answers.end()) continue;
    state.answered[q] = true;
    AnswerValue value = it->second;
    bool doubt = false;
    bool absent = false;
    if (value.kind == AnswerValue::Kind::kUnknown) {
      doubted[q] = true;
      doubt = true;
      // Follow-ups settle it; without them, the doubt reading (if any) stands in for the answer.
      if (question.follow_ups.empty() && question.unsure) {
        absent = question.unsure->absent;
        value = DoubtAnswer(question);
      }
    }
    for (const FindingRule& rule : question.findings) {
      const auto f = static_cast<std::size_t>(rule.finding);
      const Tri incoming = absent ? Tri::kFalse : ApplyRule(rule, value);
      const int w = Weight(incoming, doubt);
      if (w > weight[f]) {
        weight[f] = w;
        state.findings[f] = incoming;
        state.unsure[f] = doubt;
      }
    }
  }
  return state;
}

}  // namespace hipcoach
