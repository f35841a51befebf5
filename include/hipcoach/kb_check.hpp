// Checks of the knowledge base that need the engine: every red flag can be reached by the
// interview (an answer path exists along which the interview asks what the pattern needs and the
// flag matches).
#pragma once

#include <vector>

#include "hipcoach/knowledge.hpp"

namespace hipcoach {

std::vector<Diagnostic> CheckReachability(const KnowledgeBase& kb);

}  // namespace hipcoach
