#include "fhir_commands.hpp"

#include <nlohmann/json.hpp>
#include <ostream>

#include "hipcoach/app.hpp"
#include "hipcoach/fhir.hpp"
#include "hipcoach/serialize.hpp"
#include "hipcoach/tracking.hpp"
#include "tracking_commands.hpp"

namespace hipcoach::cli {

int ExportFhir(const KnowledgeBase& kb, Store& store, const std::string& db_path,
               const std::string& output, std::ostream& out, std::ostream& err) {
  const auto data = LocalData(store, err);
  if (!data) return kExitFailure;
  auto key = app::LoadOrCreatePseudonymKey(app::PseudonymKeyPath(db_path, DefaultDatabasePath()));
  if (!key) {
    err << "hipcoach: " << key.error().message << "\n";
    return kExitFailure;
  }
  auto bundle = fhir::BundleJson(kb, *data, fhir::BundleOptions{*key});
  if (!bundle) {
    err << "hipcoach: " << bundle.error().message << "\n";
    return kExitFailure;
  }
  return Emit(output, bundle->dump(2) + "\n", "your data as a FHIR R4 Bundle", out, err);
}

int AssessFromFhir(const KnowledgeBase& kb, const std::string& path, bool json, std::ostream& out,
                   std::ostream& err, const AssessmentSink& on_result) {
  auto text = app::ReadFile(path, app::kMaxFhirFileBytes);
  if (!text) {
    err << "hipcoach: " << text.error().message << "\n";
    return kExitBadInput;
  }
  auto answers = fhir::AnswersFromQuestionnaireResponse(kb, *text);
  if (!answers) {
    err << "hipcoach: " << path << ": " << answers.error().message << "\n";
    return kExitBadInput;
  }
  return AssessAndShow(kb, *answers, json, out, err, path, on_result);
}

int QuestionnaireFhir(const KnowledgeBase& kb, std::ostream& out) {
  out << fhir::QuestionnaireJson(kb).dump(2) << "\n";
  return kExitOk;
}

}  // namespace hipcoach::cli
