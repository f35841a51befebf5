// FHIR R4: a person's data as a Bundle (Patient, Questionnaire, QuestionnaireResponse, Observation,
// Condition, CarePlan), the interview as a Questionnaire, and a QuestionnaireResponse read back
// into interview answers. Pure functions over values (no files, no clock, no randomness): the same
// data, knowledge base and key give the same bytes. What maps to what: docs/fhir.md.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "hipcoach/answers.hpp"
#include "hipcoach/knowledge.hpp"
#include "hipcoach/status.hpp"
#include "hipcoach/store.hpp"

namespace hipcoach::fhir {

// hipcoach's own identifiers: `urn:hipcoach:` URIs (valid RFC 3986 URIs; identifiers only, they
// are not meant to resolve).
inline constexpr std::string_view kQuestionnaireUrl = "urn:hipcoach:questionnaire:interview";
inline constexpr std::string_view kAnswerSystemPrefix = "urn:hipcoach:answer:";  // + question id
inline constexpr std::string_view kCauseSystem = "urn:hipcoach:cause";
inline constexpr std::string_view kExerciseSystem = "urn:hipcoach:exercise";
inline constexpr std::string_view kSelfCareSystem = "urn:hipcoach:self-care";
inline constexpr std::string_view kTriageLevelSystem = "urn:hipcoach:triage-level";
inline constexpr std::string_view kRedFlagSystem = "urn:hipcoach:red-flag";
inline constexpr std::string_view kObservationSystem = "urn:hipcoach:observation";
inline constexpr std::string_view kPseudonymSystem = "urn:hipcoach:pseudonym";

// Code systems of others.
inline constexpr std::string_view kLoinc = "http://loinc.org";
inline constexpr std::string_view kPainSeverityLoinc = "72514-3";
inline constexpr std::string_view kDataAbsentReasonSystem =
    "http://terminology.hl7.org/CodeSystem/data-absent-reason";
inline constexpr std::string_view kDataAbsentReasonExtension =
    "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

// The answer system of one question's choices.
std::string AnswerSystem(std::string_view question_id);

// A deterministic UUID for `name` (RFC 9562 version 8, the name's SHA-256), lower case, without
// the "urn:uuid:" prefix.
std::string NameUuid(std::string_view name);

// The person's pseudonym: HMAC-SHA-256 of the person id under `key` (a secret the front end keeps
// beside the database), 32 hex digits. Without the key it cannot be turned back into the id.
std::string Pseudonym(std::string_view key, RowId person_id);

// The interview as a Questionnaire: one item per question in interview order (linkId = question
// id), url kQuestionnaireUrl, version = the knowledge base's version.
nlohmann::ordered_json QuestionnaireJson(const KnowledgeBase& kb);

// The canonical reference to the Questionnaire of knowledge base version `version`.
std::string QuestionnaireCanonical(std::string_view version);

// Answers as a QuestionnaireResponse (status completed). `subject` is a reference such as
// "urn:uuid:...", `authored` a FHIR dateTime; either may be empty (left out).
nlohmann::ordered_json QuestionnaireResponseJson(const KnowledgeBase& kb, const Answers& answers,
                                                 std::string_view knowledge_version,
                                                 std::string_view subject,
                                                 std::string_view authored);

struct BundleOptions {
  std::string pseudonym_key;  // the secret for Pseudonym(); must not be empty
};

// Everything stored for one person as a Bundle of type "collection". Every entry has a fullUrl
// "urn:uuid:..." derived from the pseudonym and the record's id, and references use those.
Result<nlohmann::ordered_json> BundleJson(const KnowledgeBase& kb, const DataSet& data,
                                          const BundleOptions& options);

// Reads a QuestionnaireResponse (JSON text) into interview answers, checked as an answers file is.
// Errors name the element, e.g. `QuestionnaireResponse.item[3].answer[0].valueCoding.code:
// "worser" is not an answer to question pain_trend (did you mean "worse"?)`.
Result<Answers> AnswersFromQuestionnaireResponse(const KnowledgeBase& kb, std::string_view text);

// `{"answers": {...}}`, the form `hipcoach assess --answers` reads.
nlohmann::ordered_json AnswersDocumentJson(const Answers& answers);

}  // namespace hipcoach::fhir
