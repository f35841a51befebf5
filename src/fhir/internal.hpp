// What the FHIR files share. Private to src/fhir.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "hipcoach/fhir.hpp"
#include "hipcoach/knowledge.hpp"

namespace hipcoach::fhir::detail {

using json = nlohmann::ordered_json;

inline constexpr std::string_view kUcum = "http://unitsofmeasure.org";
inline constexpr std::string_view kNotSureCode = "asked-unknown";
inline constexpr std::string_view kNotSureDisplay = "Asked But Unknown";

json Coding(std::string_view system, std::string_view code, std::string_view display = {});
// "Not sure": data-absent-reason#asked-unknown.
json NotSureCoding();
// The data-absent-reason extension saying "asked, but not known" (for typed answers).
json NotSureExtension();
// A reference to a Bundle entry: {"reference": "urn:uuid:<uuid>"}.
json Ref(std::string_view uuid);

// The items of a QuestionnaireResponse from `{"<question id>": value}` (the answers file's inner
// object): questions of `kb` in interview order, then any others by id. Values that are not
// answers are left out.
json ResponseItems(const KnowledgeBase& kb, const json& answers);

}  // namespace hipcoach::fhir::detail
