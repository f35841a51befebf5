// Fuzzes the answers file and the interview line protocol against the built-in knowledge base,
// and runs an assessment on whatever parses (or checks that its refusal says why).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "hipcoach/app.hpp"
#include "hipcoach/assessment.hpp"
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
  if (auto answers = hipcoach::ParseAnswersDocument(Kb(), text, "fuzz.json")) {
    // An incomplete danger screen is refused with a message; a complete one is assessed.
    if (auto assessment = hipcoach::Assess(Kb(), *answers)) {
      (void)hipcoach::AssessmentJson(Kb(), *assessment).dump();
    } else if (assessment.error().message.empty()) {
      std::abort();
    }
  }
  (void)hipcoach::ParseInterviewLine(Kb(), text);
  return 0;
}
