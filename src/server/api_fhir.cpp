// FHIR R4 (docs/fhir.md): the person's data as a Bundle, the interview as a Questionnaire, and an
// assessment started from a QuestionnaireResponse.
#include "app.hpp"
#include "hipcoach/app.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/fhir.hpp"
#include "hipcoach/serialize.hpp"

namespace hipcoach::server {
namespace {

constexpr const char* kFhirJson = "application/fhir+json";

}  // namespace

void App::FhirBundle(const http::Request&, const Caller& caller, const Params&,
                     http::Response& res) {
  // The key behind the pseudonym (docs/fhir.md): in multi-user mode it is kept in the database,
  // so that every server sharing it gives a person the same pseudonym; in personal mode it is
  // the file beside the database that `hipcoach export --fhir` uses too.
  const std::string key = accounts_
                              ? Must(accounts_->SharedSecret("fhir_pseudonym_key", RandomHex(32)))
                              : Must(app::LoadOrCreatePseudonymKey(app::PseudonymKeyPath(
                                    options_.db_path, DefaultDatabasePath())));
  WithStore(caller, [&](Store& store) {
    const DataSet data = Must(store.Export(caller.profile.person_id));
    const auto bundle = Must(fhir::BundleJson(kb_, data, fhir::BundleOptions{key}));
    res.status = 200;
    res.content_type = kFhirJson;
    res.SetHeader("Content-Disposition", "attachment; filename=\"hipcoach-fhir.json\"");
    res.body = bundle.dump(2);
  });
}

void App::FhirQuestionnaire(const http::Request&, const Caller&, const Params&,
                            http::Response& res) {
  res.status = 200;
  res.content_type = kFhirJson;
  res.body = fhir::QuestionnaireJson(kb_).dump(2);
}

void App::FhirQuestionnaireResponse(const http::Request& req, const Caller& caller, const Params&,
                                    http::Response& res) {
  if (req.body.empty()) {
    Throw(400, "invalid_fhir",
          "The request needs a QuestionnaireResponse (FHIR JSON) as its body.");
  }
  auto answers = fhir::AnswersFromQuestionnaireResponse(kb_, req.body);
  if (!answers) Throw(400, "invalid_fhir", answers.error().message);
  auto assessed = Assess(kb_, *answers);
  if (!assessed) Throw(400, "invalid_fhir", assessed.error().message);
  const Assessment& assessment = *assessed;
  WithStore(caller, [&](Store& store) {
    tracking::Tracker tracker(kb_, store, clock_);
    const RowId id = Must(tracker.SaveAssessment(*answers, assessment));
    SendJson(res,
             {{"id", id},
              {"has_programme", assessment.programme.has_value()},
              {"result", AssessmentJson(kb_, assessment)}},
             201);
  });
}

}  // namespace hipcoach::server
