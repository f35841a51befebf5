#include "hipcoach/assessment.hpp"

#include <algorithm>

namespace hipcoach {

Assessment Assess(const KnowledgeBase& kb, const Answers& answers) {
  Assessment assessment;
  assessment.knowledge_version = kb.version;
  const FindingState state = DeriveFindings(kb, answers);
  for (bool answered : state.answered) assessment.questions_answered += answered ? 1 : 0;
  const std::vector<double> posteriors = Posteriors(kb, state.findings);
  assessment.triage = Triage(kb, state, posteriors);
  // A matched danger sign outranks the arithmetic: the serious cause it points to (the red flag
  // itself or a variant with the same reference) is listed first, whatever its probability. In
  // an urgent or emergency result only three other causes follow, to keep the page on what
  // matters now.
  std::vector<RankedCause> ranked = RankCauses(kb, state.findings, posteriors);
  for (RankedCause& cause : ranked) {
    const RedFlag* own = kb.FindRedFlag(kb.causes[static_cast<std::size_t>(cause.cause)].red_flag);
    if (own == nullptr) continue;
    for (const MatchedRedFlag& match : assessment.triage.red_flags) {
      const RedFlag& flag = kb.red_flags[static_cast<std::size_t>(match.red_flag)];
      if (flag.id == own->id || (!flag.ref.empty() && flag.ref == own->ref)) {
        cause.flagged_by = match.red_flag;
        break;
      }
    }
  }
  std::stable_partition(ranked.begin(), ranked.end(),
                        [](const RankedCause& cause) { return cause.flagged_by >= 0; });
  const bool urgent = assessment.triage.level >= TriageLevel::kUrgent;
  int others = 0;
  for (RankedCause& cause : ranked) {
    if (cause.flagged_by < 0) {
      if (cause.probability < kb.rules.report_min || (urgent && others == 3)) continue;
      ++others;
    }
    assessment.causes.push_back(std::move(cause));
  }
  assessment.programme =
      BuildProgramme(kb, ProgrammeInput{assessment.triage.level, &state, &posteriors, &answers});
  assessment.medication_cautions = ApplicableCautions(kb, state.findings);
  return assessment;
}

}  // namespace hipcoach
