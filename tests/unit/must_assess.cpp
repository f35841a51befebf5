#include "must_assess.hpp"

#include <stdexcept>

namespace hipcoach::testing {

Assessment MustAssess(const KnowledgeBase& kb, const Answers& answers) {
  auto assessment = Assess(kb, answers);
  if (!assessment) throw std::runtime_error(assessment.error().message);
  return std::move(*assessment);
}

}  // namespace hipcoach::testing
