#include "tracking_prompt.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <limits>
#include <sstream>

#include "text.hpp"

namespace hipcoach::cli {

std::optional<std::string> Prompter::Line(const std::string& prompt) {
  out_ << prompt << "\n> " << std::flush;
  std::string line;
  if (!std::getline(in_, line)) return std::nullopt;
  line = Trim(line);
  if (line == "q") return std::nullopt;
  return line;
}

Prompter::IntAnswer Prompter::AskInt(const std::string& question, int low, int high,
                                     bool allow_skip) {
  for (;;) {
    auto line = Line(question);
    IntAnswer answer;
    if (!line) {
      answer.stopped = true;
      return answer;
    }
    if (line->empty() && allow_skip) return answer;
    std::istringstream stream(*line);
    int value = 0;
    if (stream >> value && stream.eof() && value >= low && value <= high) {
      answer.value = value;
      return answer;
    }
    out_ << fmt::format("Please type a whole number from {} to {}{}.\n", low, high,
                        allow_skip ? ", or press Enter to skip" : "");
  }
}

std::optional<double> Prompter::AskNumber(const std::string& question, double low, double high) {
  for (;;) {
    auto line = Line(question);
    if (!line || line->empty()) return std::nullopt;
    std::istringstream stream(*line);
    double value = 0;
    if (stream >> value && stream.eof() && value >= low && value <= high) return value;
    out_ << fmt::format("Please type a number from {} to {}, or press Enter to skip.\n", low, high);
  }
}

std::optional<bool> Prompter::AskYesNo(const std::string& question) {
  for (;;) {
    auto line = Line(question + " (y/n, Enter to skip)");
    if (!line || line->empty()) return std::nullopt;
    const std::string text = Lower(*line);
    if (text == "y" || text == "yes") return true;
    if (text == "n" || text == "no") return false;
    out_ << "Please type y or n, or press Enter to skip.\n";
  }
}

std::vector<int> Prompter::AskChoices(int count) {
  for (;;) {
    auto line = Line("Your choice");
    if (!line || line->empty()) return {};
    std::istringstream stream(*line);
    std::vector<int> picked;
    int number = 0;
    bool ok = true;
    while (stream >> number) {
      if (number < 1 || number > count) ok = false;
      if (std::find(picked.begin(), picked.end(), number - 1) == picked.end()) {
        picked.push_back(number - 1);
      }
    }
    if (ok && stream.eof() && !picked.empty()) return picked;
    out_ << fmt::format("Please type numbers from 1 to {}, separated by spaces.\n", count);
  }
}

std::string Prompter::AskSide(const std::string& region) {
  for (;;) {
    auto line =
        Line(fmt::format("{}: which side? l) left  r) right  b) both  (Enter: not one "
                         "side)",
                         region));
    if (!line || line->empty()) return "";
    const std::string text = Lower(*line);
    if (text == "l" || text == "left") return "left";
    if (text == "r" || text == "right") return "right";
    if (text == "b" || text == "both") return "both";
    out_ << "Please type l, r or b.\n";
  }
}

std::optional<AnswerValue> Prompter::AskAnswer(const Question& q) {
  for (;;) {
    std::string prompt = q.text;
    switch (q.type) {
      case AnswerType::kYesNo:
        prompt += "\n  y) yes   n) no   u) not sure";
        break;
      case AnswerType::kNumber:
        prompt += fmt::format("\n  a number from {} to {}, or u) not sure", q.min, q.max);
        break;
      default:
        for (std::size_t i = 0; i < q.choices.size(); ++i) {
          prompt += fmt::format("\n  {}) {}", i + 1, q.choices[i].text);
        }
        prompt += q.type == AnswerType::kMultiChoice || q.type == AnswerType::kBodyLocation
                      ? "\n  (choose all that apply, e.g. 1 3)   u) not sure"
                      : "\n  u) not sure";
    }
    auto line = Line(prompt);
    if (!line) return std::nullopt;
    const std::string text = Lower(*line);
    if (text == "u" || text == "not sure") return AnswerValue::Unknown();
    Result<AnswerValue> value = MakeError(ErrorCode::kInvalidInput, "");
    if (q.type == AnswerType::kYesNo) {
      if (text == "y" || text == "yes") value = AnswerValue::Bool(true);
      if (text == "n" || text == "no") value = AnswerValue::Bool(false);
    } else if (q.type == AnswerType::kNumber) {
      std::istringstream stream(text);
      double number = 0;
      if (stream >> number && stream.eof()) value = ValidateAnswer(q, AnswerValue::Number(number));
    } else {
      std::istringstream stream(text);
      std::vector<std::string> ids;
      int number = 0;
      bool ok = true;
      while (stream >> number) {
        if (number < 1 || static_cast<std::size_t>(number) > q.choices.size()) {
          ok = false;
          break;
        }
        ids.push_back(q.choices[static_cast<std::size_t>(number - 1)].id);
      }
      const bool single = q.type == AnswerType::kSingleChoice || q.type == AnswerType::kSide;
      if (ok && stream.eof() && !ids.empty() && !(single && ids.size() > 1)) {
        value = ValidateAnswer(
            q, single ? AnswerValue::Choice(ids.front()) : AnswerValue::Choices(ids));
      }
    }
    if (value) return *value;
    out_ << "Sorry, I did not understand that. Please answer from the list, or u if you are not "
            "sure.\n";
  }
}

std::optional<OutcomeRecord> Prompter::AskPsfs(Store& store, RowId person) {
  auto outcomes = store.Outcomes(person);
  std::vector<std::string> activities;
  if (outcomes) {
    for (const OutcomeRecord& o : *outcomes) {
      if (o.measure != "psfs") continue;
      activities.clear();
      for (const PsfsItem& item : o.items) activities.push_back(item.activity);
    }
  }
  if (activities.empty()) {
    auto start = AskYesNo(
        "Would you like to choose 3 to 5 everyday activities that your pain makes hard, and "
        "score them each week? (Patient-Specific Functional Scale)");
    if (!start || !*start) return std::nullopt;
    out_ << "Name each activity on its own line (e.g. climbing stairs); an empty line when "
            "done.\n";
    while (activities.size() < 5) {
      auto line = Line(fmt::format("Activity {}", activities.size() + 1));
      if (!line || line->empty()) {
        if (activities.size() >= 3 || !line) break;
        out_ << "Please name at least 3 activities.\n";
        continue;
      }
      activities.push_back(*line);
    }
    if (activities.size() < 3) return std::nullopt;
  }
  OutcomeRecord psfs;
  psfs.measure = "psfs";
  double sum = 0;
  for (const std::string& activity : activities) {
    auto score = AskInt(fmt::format("'{}': how well can you do it now? 0 = unable, 10 = as well "
                                    "as before the problem",
                                    activity),
                        0, 10, false);
    if (score.stopped) return std::nullopt;
    psfs.items.push_back(PsfsItem{activity, *score.value});
    sum += *score.value;
  }
  psfs.score = sum / static_cast<double>(psfs.items.size());
  return psfs;
}

}  // namespace hipcoach::cli
