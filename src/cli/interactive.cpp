// `hipcoach assess`: the interview in a terminal. One question at a time, with help, "not sure",
// going back to change an answer, and progress; then the result.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/interview.hpp"
#include "render.hpp"
#include "text.hpp"

namespace hipcoach::cli {
namespace {

void ShowQuestion(const Question& q, const NextStep& step, std::ostream& out) {
  out << fmt::format("\n[question {} of about {}]{}\n", step.asked + 1,
                     step.asked + 1 + step.remaining_estimate,
                     q.stage == Stage::kRedFlag ? " Safety check" : "");
  out << q.text << "\n";
  switch (q.type) {
    case AnswerType::kYesNo:
      out << "  y) yes   n) no   u) not sure\n";
      break;
    case AnswerType::kNumber:
      out << fmt::format("  Type a number from {} to {}{}, or u) not sure\n", q.min, q.max,
                         q.unit.empty() ? "" : " (" + q.unit + ")");
      break;
    case AnswerType::kMultiChoice:
    case AnswerType::kBodyLocation:
      out << "  Choose all that apply (e.g. 1 3):\n";
      [[fallthrough]];
    default:
      for (std::size_t i = 0; i < q.choices.size(); ++i) {
        out << fmt::format("  {}) {}\n", i + 1, q.choices[i].text);
      }
      out << "  u) not sure\n";
  }
  out << "  ?) help   b) back   q) quit\n> " << std::flush;
}

// Parses what the person typed; an error message when it does not fit the question.
Result<AnswerValue> ParseTyped(const Question& q, const std::string& typed) {
  const std::string text = Lower(typed);
  if (text == "u" || text == "not sure" || text == "unknown" || text == "?u") {
    return AnswerValue::Unknown();
  }
  switch (q.type) {
    case AnswerType::kYesNo:
      if (text == "y" || text == "yes") return AnswerValue::Bool(true);
      if (text == "n" || text == "no") return AnswerValue::Bool(false);
      return MakeError(ErrorCode::kInvalidInput, "Please type y, n or u.");
    case AnswerType::kNumber: {
      double value = 0;
      std::istringstream stream(text);
      if (!(stream >> value) || !stream.eof()) {
        return MakeError(ErrorCode::kInvalidInput, "Please type a number.");
      }
      auto checked = ValidateAnswer(q, AnswerValue::Number(value));
      if (!checked) {
        return MakeError(ErrorCode::kInvalidInput,
                         fmt::format("Please type a number from {} to {}{}.", q.min, q.max,
                                     q.integer ? " (whole number)" : ""));
      }
      return checked;
    }
    default: {
      std::vector<std::string> ids;
      std::istringstream stream(text);
      std::string word;
      while (stream >> word) {
        std::size_t number = 0;
        try {
          number = std::stoul(word);
        } catch (const std::exception&) {
          number = 0;
        }
        if (number < 1 || number > q.choices.size()) {
          return MakeError(ErrorCode::kInvalidInput,
                           fmt::format("Please type a number from 1 to {}.", q.choices.size()));
        }
        ids.push_back(q.choices[number - 1].id);
      }
      if (ids.empty()) return MakeError(ErrorCode::kInvalidInput, "Please choose an answer.");
      const bool single = q.type == AnswerType::kSingleChoice || q.type == AnswerType::kSide;
      if (single && ids.size() > 1) {
        return MakeError(ErrorCode::kInvalidInput, "Please choose one answer.");
      }
      return ValidateAnswer(q,
                            single ? AnswerValue::Choice(ids.front()) : AnswerValue::Choices(ids));
    }
  }
}

}  // namespace

int AssessInteractive(const KnowledgeBase& kb, std::istream& in, std::ostream& out,
                      const AssessmentSink& on_result) {
  out << "hipcoach: a self-check for hip and buttock pain.\n"
         "It asks about danger signs first, then about your pain, and ends with what to do,\n"
         "what is probably behind it, and a programme. Self-care guidance, not a diagnosis.\n";
  Answers answers;
  std::vector<std::string> history;  // question ids in the order answered, for going back
  std::string line;
  for (;;) {
    const NextStep step = NextQuestion(kb, answers);
    if (step.question == nullptr) break;
    const Question& q = *step.question;
    ShowQuestion(q, step, out);
    for (;;) {
      if (!std::getline(in, line)) {
        out << "\nStopped before the end; nothing was saved.\n";
        return kExitOk;
      }
      const std::string typed = Trim(line);
      if (typed == "q") {
        out << "Stopped; nothing was saved.\n";
        return kExitOk;
      }
      if (typed == "?") {
        out << (q.help.empty() ? "No extra help for this question." : q.help) << "\n> "
            << std::flush;
        continue;
      }
      if (typed == "b") {
        if (history.empty()) {
          out << "This is the first question.\n> " << std::flush;
          continue;
        }
        answers.erase(history.back());
        history.pop_back();
        break;
      }
      auto value = ParseTyped(q, typed);
      if (!value) {
        out << value.error().message << "\n> " << std::flush;
        continue;
      }
      answers[q.id] = *value;
      history.push_back(q.id);
      break;
    }
  }
  // The interview has asked every danger-sign question it needs, so the screen is complete.
  auto assessment = Assess(kb, answers);
  if (!assessment) {
    out << "hipcoach: " << assessment.error().message << "\n";
    return kExitFailure;
  }
  RenderAssessment(kb, *assessment, out);
  if (on_result) on_result(answers, *assessment);
  return kExitOk;
}

}  // namespace hipcoach::cli
