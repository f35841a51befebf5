// The FHIR R4 commands (docs/fhir.md): `hipcoach export --fhir`, `hipcoach assess --fhir FILE` and
// `hipcoach questions --fhir`. Each returns the process exit code (commands.hpp).
#pragma once

#include <iosfwd>
#include <string>

#include "commands.hpp"
#include "hipcoach/knowledge.hpp"
#include "hipcoach/store.hpp"

namespace hipcoach::cli {

// Everything stored, as a FHIR R4 Bundle, to stdout or `output`. `db_path` (empty: the default)
// locates the pseudonym key, which is created beside the database on first use.
int ExportFhir(const KnowledgeBase& kb, Store& store, const std::string& db_path,
               const std::string& output, std::ostream& out, std::ostream& err);

// An assessment from a QuestionnaireResponse file, printed as `assess --answers` prints it.
int AssessFromFhir(const KnowledgeBase& kb, const std::string& path, bool json, std::ostream& out,
                   std::ostream& err, const AssessmentSink& on_result = {});

// The interview as a FHIR Questionnaire.
int QuestionnaireFhir(const KnowledgeBase& kb, std::ostream& out);

}  // namespace hipcoach::cli
