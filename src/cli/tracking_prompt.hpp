// Questions in the terminal for the tracking commands: one line per answer, Enter to skip where
// skipping is allowed, q (or the end of input) to stop.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "hipcoach/answers.hpp"
#include "hipcoach/store.hpp"

namespace hipcoach::cli {

class Prompter {
 public:
  Prompter(std::istream& in, std::ostream& out) : in_(in), out_(out) {}
  std::ostream& out() { return out_; }

  // A line, trimmed; nullopt at the end of input or on "q".
  std::optional<std::string> Line(const std::string& prompt);
  // A whole number in [low, high]; no value when skipped (only when allow_skip) or stopped.
  struct IntAnswer {
    bool stopped = false;
    std::optional<int> value;
  };
  IntAnswer AskInt(const std::string& question, int low, int high, bool allow_skip);
  std::optional<double> AskNumber(const std::string& question, double low, double high);
  std::optional<bool> AskYesNo(const std::string& question);
  std::vector<int> AskChoices(int count);  // zero-based indices; empty when skipped
  std::string AskSide(const std::string& region);
  // One interview question (any type), "not sure" allowed; nullopt: stopped.
  std::optional<AnswerValue> AskAnswer(const Question& question);
  // The PSFS: re-scores the activities chosen before, or offers to choose 3-5 now.
  std::optional<OutcomeRecord> AskPsfs(Store& store, RowId person);

 private:
  std::istream& in_;
  std::ostream& out_;
};

}  // namespace hipcoach::cli
