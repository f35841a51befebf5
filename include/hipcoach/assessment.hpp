// One assessment from a set of answers: triage, ranked causes and the programme.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hipcoach/answers.hpp"
#include "hipcoach/inference.hpp"
#include "hipcoach/knowledge.hpp"
#include "hipcoach/programme.hpp"
#include "hipcoach/triage.hpp"

namespace hipcoach {

struct Assessment {
  TriageResult triage;
  // Causes in order of probability, each probability capped at rules.max_probability (a
  // questionnaire cannot give more certainty): the first rules.causes_shown, then the rest above
  // rules.report_min behind "show more".
  std::vector<RankedCause> causes;
  std::vector<RankedCause> more_causes;
  // Serious causes a matched danger sign points to: what a doctor needs to rule out, and why.
  // They are listed on their own, never as the likely causes.
  std::vector<RankedCause> rule_out;
  std::optional<Programme> programme;
  std::vector<const MedicationCaution*> medication_cautions;
  std::string knowledge_version;
  int questions_answered = 0;
};

// Answers must already be validated (ValidateAnswers). An assessment needs the danger screen: one
// that leaves a screening question unanswered is refused with a message naming the first one the
// interview would still ask ("not sure" is an answer).
Result<Assessment> Assess(const KnowledgeBase& kb, const Answers& answers);

}  // namespace hipcoach
