// The interview: danger signs first (life-threatening first), then the core questions, then the
// adaptive questions with the highest expected information gain, then what the programme needs.
// It is stateless: the next question is a function of the answers so far, so an answer can be
// changed at any time and everything is recomputed.
#pragma once

#include <string>

#include "hipcoach/answers.hpp"
#include "hipcoach/knowledge.hpp"

namespace hipcoach {

struct NextStep {
  const Question* question = nullptr;  // nullptr: the interview is complete
  int asked = 0;                       // questions answered so far
  int remaining_estimate = 0;          // a rough count of what is left, for a progress bar
  std::string stop_reason;             // why the interview ended, when it has
};

NextStep NextQuestion(const KnowledgeBase& kb, const Answers& answers);

// The first screening question (a danger sign or the safety net) that the interview would still
// ask, or nullptr when the danger screen is complete. An assessment is refused until it is.
const Question* FirstUnansweredScreening(const KnowledgeBase& kb, const Answers& answers);

}  // namespace hipcoach
