// Assess() for answers a test knows to be complete.
#pragma once

#include "hipcoach/assessment.hpp"

namespace hipcoach::testing {

// An incomplete danger screen throws, which the test reports as a failure naming the missing
// question (rather than a crash on an empty result).
Assessment MustAssess(const KnowledgeBase& kb, const Answers& answers);

}  // namespace hipcoach::testing
