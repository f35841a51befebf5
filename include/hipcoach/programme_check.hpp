// What a person's programme may hold, whoever writes it: an import, a clinician, the person's
// own assessment, progression. One check against the knowledge base for every writer, so that no
// route can prescribe what another would refuse: exercises the knowledge base knows, doses within
// rules.toml's limits, and nothing the person's own assessment left out (a contraindication, or
// equipment they do not have). docs/security.md lists the writers.
#pragma once

#include <set>
#include <string>

#include "hipcoach/knowledge.hpp"
#include "hipcoach/status.hpp"
#include "hipcoach/store.hpp"
#include "hipcoach/tracking.hpp"

namespace hipcoach::tracking {

// What the person's assessment allows.
struct AssessmentLimits {
  bool programme = true;                    // false: it found danger signs; no programme at all
  std::set<std::string> excluded;           // exercises it left out
  std::set<std::string> self_care_allowed;  // self-care it allows (ice, heat, ...)
  bool self_care_known = false;             // false: self_care_allowed was not worked out
};

// The limits of a stored assessment, worked out again from its answers with this knowledge base
// (never read from the stored result, which an imported file could hold anything in).
// kInvalidInput when its answers do not fit this knowledge base's questions.
Result<AssessmentLimits> LimitsOf(const KnowledgeBase& kb, const StoredAssessment& assessment);

// The limits of an assessment just made.
AssessmentLimits LimitsOfAssessment(const Assessment& assessment);

// The limits a stored plan carries itself (its own excluded list): for a plan whose assessment's
// answers no longer fit the knowledge base (written by an older version of it).
AssessmentLimits LimitsOfPlan(const ActivePlan& plan);

// kInvalidInput naming the item and the rule when the plan breaks one.
Result<void> CheckPlan(const KnowledgeBase& kb, const ActivePlan& plan,
                       const AssessmentLimits& limits);

// A new programme version for `person` in `store` (a clinician's change, progression): checked
// against the assessment it belongs to, or, when that assessment's answers no longer fit the
// knowledge base, against the exclusions the plan carries.
Result<void> CheckNewVersion(const KnowledgeBase& kb, Store& store, RowId person,
                             const ActivePlan& plan, std::optional<RowId> assessment_id);

// Every programme version of a data set (an import), each against the assessment it refers to
// (or, without one, the latest assessment before it). Strict: an assessment whose answers do
// not fit this knowledge base cannot vouch for a programme, so such a file is refused.
Result<void> CheckProgrammes(const KnowledgeBase& kb, const DataSet& data);

}  // namespace hipcoach::tracking
