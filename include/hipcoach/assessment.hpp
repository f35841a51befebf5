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
  std::vector<RankedCause> causes;  // above rules.report_min, most likely first
  std::optional<Programme> programme;
  std::vector<const MedicationCaution*> medication_cautions;
  std::string knowledge_version;
  int questions_answered = 0;
};

// Answers must already be validated (ValidateAnswers).
Assessment Assess(const KnowledgeBase& kb, const Answers& answers);

}  // namespace hipcoach
