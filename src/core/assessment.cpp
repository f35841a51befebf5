#include "hipcoach/assessment.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "hipcoach/interview.hpp"

namespace hipcoach {

Result<Assessment> Assess(const KnowledgeBase& kb, const Answers& answers) {
  if (const Question* missing = FirstUnansweredScreening(kb, answers)) {
    return MakeError(
        ErrorCode::kInvalidInput,
        fmt::format("the danger-sign question {} (\"{}\") is not answered; hipcoach checks for "
                    "danger signs before anything else, so it cannot assess without it (\"not "
                    "sure\" is an answer)",
                    missing->id, missing->text));
  }
  Assessment assessment;
  assessment.knowledge_version = kb.version;
  const FindingState state = DeriveFindings(kb, answers);
  for (bool answered : state.answered) assessment.questions_answered += answered ? 1 : 0;
  const std::vector<Tri> evidence = state.Evidence();
  const std::vector<double> posteriors = Posteriors(kb, evidence);
  assessment.triage = Triage(kb, state, posteriors, answers);

  // A serious cause that a matched danger sign points to (the red flag itself, or a variant with
  // the same reference) is what a doctor needs to rule out: listed on its own with the reason,
  // not ranked among the likely causes, whatever its probability.
  const Rules& rules = kb.rules;
  for (RankedCause& cause : RankCauses(kb, evidence, posteriors)) {
    const RedFlag* own = kb.FindRedFlag(kb.causes[static_cast<std::size_t>(cause.cause)].red_flag);
    for (const MatchedRedFlag& match : assessment.triage.red_flags) {
      const RedFlag& flag = kb.red_flags[static_cast<std::size_t>(match.red_flag)];
      if (own != nullptr && (flag.id == own->id || (!flag.ref.empty() && flag.ref == own->ref))) {
        cause.flagged_by = match.red_flag;
        break;
      }
    }
    cause.probability = std::min(cause.probability, rules.max_probability);
    if (cause.flagged_by >= 0) {
      assessment.rule_out.push_back(std::move(cause));
    } else if (cause.probability < rules.report_min) {
      continue;
    } else if (static_cast<int>(assessment.causes.size()) < rules.causes_shown) {
      assessment.causes.push_back(std::move(cause));
    } else {
      assessment.more_causes.push_back(std::move(cause));
    }
  }
  assessment.programme =
      BuildProgramme(kb, ProgrammeInput{assessment.triage.level, &state, &posteriors, &answers});
  assessment.medication_cautions = ApplicableCautions(kb, state.findings);
  return assessment;
}

}  // namespace hipcoach
