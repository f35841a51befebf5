// Plain-text rendering of results for the terminal.
#pragma once

#include <ostream>

#include "hipcoach/assessment.hpp"

namespace hipcoach::cli {

void RenderTriage(const KnowledgeBase& kb, const TriageResult& triage, std::ostream& out);
void RenderAssessment(const KnowledgeBase& kb, const Assessment& assessment, std::ostream& out);

}  // namespace hipcoach::cli
