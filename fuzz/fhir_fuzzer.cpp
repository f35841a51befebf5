// Fuzzes the FHIR reader: any bytes as a QuestionnaireResponse
// (fhir::AnswersFromQuestionnaireResponse), and an assessment of whatever it reads.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "hipcoach/app.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/fhir.hpp"
#include "hipcoach/serialize.hpp"

namespace {
const hipcoach::KnowledgeBase& Kb() {
  static const hipcoach::KnowledgeBase kb = [] {
    hipcoach::LoadOutcome outcome = hipcoach::app::LoadKnowledgeFrom("");
    if (!outcome.kb) std::abort();
    return std::move(*outcome.kb);
  }();
  return kb;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto answers = hipcoach::fhir::AnswersFromQuestionnaireResponse(Kb(), text);
  if (answers) {
    // An assessment that leaves a screening question unanswered is refused with a message.
    if (auto assessment = hipcoach::Assess(Kb(), *answers)) {
      (void)hipcoach::AssessmentJson(Kb(), *assessment).dump();
    }
    (void)hipcoach::fhir::AnswersDocumentJson(*answers).dump();
  }
  return 0;
}
