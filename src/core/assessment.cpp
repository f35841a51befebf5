#include "hipcoach/assessment.hpp"

namespace hipcoach {

Assessment Assess(const KnowledgeBase& kb, const Answers& answers) {
  Assessment assessment;
  assessment.knowledge_version = kb.version;
  const FindingState state = DeriveFindings(kb, answers);
  for (bool answered : state.answered) assessment.questions_answered += answered ? 1 : 0;
  const std::vector<double> posteriors = Posteriors(kb, state.findings);
  assessment.triage = Triage(kb, state, posteriors);
  assessment.causes = RankCauses(kb, state.findings, posteriors, kb.rules.report_min);
  assessment.programme =
      BuildProgramme(kb, ProgrammeInput{assessment.triage.level, &state, &posteriors, &answers});
  assessment.medication_cautions = ApplicableCautions(kb, state.findings);
  return assessment;
}

}  // namespace hipcoach
