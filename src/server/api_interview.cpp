// The interview (the protocol of `hipcoach interview --jsonl`, one stateless step per request),
// the questions, explanations, education pages and the hip model summary.
#include <fmt/format.h>

#include <cmath>

#include "app.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/interview.hpp"
#include "hipcoach/serialize.hpp"
#ifdef HIPCOACH_HAVE_MODEL
#include "hipcoach/model/interpret.hpp"
#include "hipcoach/model/summary.hpp"
#endif

namespace hipcoach::server {
namespace {

json SourceList(const KnowledgeBase& kb, const std::vector<std::string>& ids) {
  json out = json::array();
  for (const std::string& id : ids) {
    const Source* s = kb.FindSource(id);
    if (s == nullptr) continue;
    out.push_back({{"id", s->id},
                   {"title", s->title},
                   {"url", s->url},
                   {"doi", s->doi},
                   {"verified", s->verified}});
  }
  return out;
}

// `{"answers": {...}}` validated against the questions (the answers file's rules).
Answers ParseAnswers(const KnowledgeBase& kb, const http::Request& req) {
  if (req.body.empty()) Throw(400, "invalid_json", "The request needs a JSON body.");
  auto answers = ParseAnswersDocument(kb, req.body, "request");
  if (!answers) Throw(400, "invalid_answer", PlainAnswerError(answers.error().message));
  return std::move(*answers);
}

}  // namespace

void App::Status(const http::Request&, const Caller& caller, const Params&, http::Response& res) {
  json account = nullptr;
  if (caller.account) {
    account = {{"username", caller.account->username}, {"role", caller.account->role}};
  }
#ifdef HIPCOACH_HAVE_MODEL
  constexpr bool kModel = true;
#else
  constexpr bool kModel = false;
#endif
  const bool signed_in = !options_.multi_user || caller.account.has_value();
  SendJson(res, {{"mode", options_.multi_user ? "multi_user" : "personal"},
                 {"knowledge_version", kb_.version},
                 {"signed_in", signed_in},
                 {"account", account},
                 {"csrf", signed_in ? json(caller.csrf) : json(nullptr)},
                 {"model", kModel},
                 {"about",
                  "Self-care guidance, not a diagnosis. hipcoach screens for danger signs first "
                  "and tells you when to see a doctor or physiotherapist."}});
}

void App::Questions(const http::Request&, const Caller&, const Params&, http::Response& res) {
  json list = json::array();
  for (int q : kb_.interview_order) {
    list.push_back(QuestionJson(kb_, kb_.questions[static_cast<std::size_t>(q)]));
  }
  json sources = json::object();
  for (const Source& s : kb_.sources) {
    sources[s.id] = {{"title", s.title}, {"url", s.url}, {"doi", s.doi}, {"verified", s.verified}};
  }
  SendJson(res, {{"questions", list}, {"sources", sources}});
}

void App::Interview(const http::Request& req, const Caller&, const Params&, http::Response& res) {
  const Answers answers = ParseAnswers(kb_, req);
  const NextStep step = NextQuestion(kb_, answers);
  if (step.question == nullptr) {
    // The interview has asked every danger-sign question it needs, so the screen is complete.
    auto assessment = Assess(kb_, answers);
    if (!assessment) Throw(500, "internal", assessment.error().message);
    json result = AssessmentJson(kb_, *assessment);
    result["stop_reason"] = step.stop_reason;
    SendJson(res, {{"result", std::move(result)}});
    return;
  }
  json question = QuestionJson(kb_, *step.question);
  question["progress"] = {{"asked", step.asked}, {"remaining_estimate", step.remaining_estimate}};
  SendJson(res, {{"question", std::move(question)}});
}

void App::Explain(const http::Request&, const Caller&, const Params& params, http::Response& res) {
  const std::string& id = params.at(0);
  if (const Cause* cause = kb_.FindCause(id)) {
    SendJson(res, {{"kind", "cause"},
                   {"id", cause->id},
                   {"title", cause->name},
                   {"also_known_as", cause->also_known_as},
                   {"summary", cause->summary},
                   {"body", cause->education},
                   {"programme", cause->programme},
                   {"model_group", cause->model_group},
                   {"sources", SourceList(kb_, cause->sources)}});
    return;
  }
  if (const Exercise* e = kb_.FindExercise(id)) {
    json doses = json::array();
    for (const Dose& d : e->doses) {
      doses.push_back({{"phase", d.phase},
                       {"sets", d.sets},
                       {"reps_min", d.reps_min},
                       {"reps_max", d.reps_max},
                       {"hold_seconds", d.hold_seconds}});
    }
    json contra = json::array();
    for (const Contraindication& c : e->contraindications) contra.push_back(c.reason);
    SendJson(res, {{"kind", "exercise"},
                   {"id", e->id},
                   {"title", e->name},
                   {"exercise_kind", e->kind},
                   {"targets", e->targets},
                   {"per_side", e->per_side},
                   {"equipment", e->equipment},
                   {"instructions", e->instructions},
                   {"why", e->why},
                   {"easier", e->easier},
                   {"harder", e->harder},
                   {"doses", doses},
                   {"not_for_you_if", contra},
                   {"sources", SourceList(kb_, e->sources)}});
    return;
  }
  if (const RedFlag* flag = kb_.FindRedFlag(id)) {
    SendJson(res, {{"kind", "red_flag"},
                   {"id", flag->id},
                   {"title", flag->name},
                   {"level", ToString(flag->level)},
                   {"body", flag->reason},
                   {"action", flag->action},
                   {"sources", SourceList(kb_, flag->sources)}});
    return;
  }
  if (const SelfCare* care = kb_.FindSelfCare(id)) {
    SendJson(res, {{"kind", "self_care"},
                   {"id", care->id},
                   {"title", care->name},
                   {"care_kind", care->kind},
                   {"instructions", care->instructions},
                   {"why", care->why},
                   {"max_minutes", care->max_minutes},
                   {"min_gap_hours", care->min_gap_hours},
                   {"sources", SourceList(kb_, care->sources)}});
    return;
  }
  if (const EducationPage* page = kb_.FindEducation(id)) {
    SendJson(res, {{"kind", "education"},
                   {"id", page->id},
                   {"title", page->title},
                   {"topic", page->topic},
                   {"body", page->body},
                   {"sources", SourceList(kb_, page->sources)}});
    return;
  }
  std::vector<std::string> ids;
  for (const auto& c : kb_.causes) ids.push_back(c.id);
  for (const auto& e : kb_.exercises) ids.push_back(e.id);
  for (const auto& p : kb_.education) ids.push_back(p.id);
  const std::string hint = id.size() <= 64 ? ClosestMatch(id, ids) : std::string();
  Throw(404, "not_found",
        fmt::format("There is nothing by that name to explain{}.",
                    hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
}

void App::Education(const http::Request&, const Caller&, const Params&, http::Response& res) {
  json pages = json::array();
  for (const EducationPage& page : kb_.education) {
    pages.push_back({{"id", page.id}, {"title", page.title}, {"topic", page.topic}});
  }
  SendJson(res, {{"pages", pages}});
}

namespace {
const char* const kModelGroups[] = {"glute_max", "glute_med", "glute_min", "glutes",
                                    "hip_abductors"};
}

void App::ModelInfo(const http::Request&, const Caller&, const Params&, http::Response& res) {
#ifdef HIPCOACH_HAVE_MODEL
  json groups = json::array();
  for (const char* g : kModelGroups) groups.push_back(g);
  SendJson(res, {{"available", true}, {"groups", groups}});
#else
  SendJson(res, {{"available", false}, {"groups", json::array()}});
#endif
}

void App::ModelSummary(const http::Request& req, const Caller&, const Params&,
                       http::Response& res) {
  const std::string group = req.HasQuery("group") ? req.Query("group") : "glutes";
  bool known = false;
  for (const char* g : kModelGroups) known = known || group == g;
  if (!known) {
    Throw(400, "invalid_field",
          "'group' must be one of glute_max, glute_med, glute_min, glutes, hip_abductors.");
  }
  double fraction = 0.5;
  if (req.HasQuery("fraction")) {
    const std::string text = req.Query("fraction");
    char* end = nullptr;
    fraction = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(fraction) ||
        fraction < 0 || fraction > 0.9) {
      Throw(400, "invalid_field", "'fraction' must be a number from 0 to 0.9.");
    }
  }
#ifdef HIPCOACH_HAVE_MODEL
  auto summary = model::SummariseWeakness(group, fraction);
  if (!summary) Throw(500, "model", "The hip model could not be computed just now.");
  json compensators = json::array();
  for (const auto& c : summary->compensators) {
    compensators.push_back({{"muscle", c.muscle},
                            {"name", model::PlainMuscleName(c.muscle)},
                            {"baseline_mean_n", c.baseline_mean_n},
                            {"weak_mean_n", c.weak_mean_n},
                            {"increase_n", c.increase_n},
                            {"weak_peak_activation", c.weak_peak_activation}});
  }
  // What the numbers show in plain words (model::Interpret): the page shows these, never its own.
  const model::Interpretation in = model::Interpret(*summary);
  json harder = json::array();
  for (const auto& m : in.working_harder) {
    harder.push_back({{"name", m.name},
                      {"muscles", m.muscles},
                      {"activation_rise", m.activation_rise},
                      {"baseline_peak_activation", m.baseline_peak_activation},
                      {"peak_activation", m.peak_activation},
                      {"increase_n", m.increase_n}});
  }
  SendJson(res, {{"group", group},
                 {"fraction", fraction},
                 {"joint", summary->joint},
                 {"peak_bw", summary->peak_bw},
                 {"baseline_peak_bw", summary->baseline_peak_bw},
                 {"change_bw", summary->change_bw},
                 {"change_percent", summary->change_percent},
                 {"peak_time", summary->peak_time},
                 {"components",
                  {{"anterior_bw", summary->anterior_bw},
                   {"medial_bw", summary->medial_bw},
                   {"superior_bw", summary->superior_bw},
                   {"baseline_anterior_bw", summary->baseline_anterior_bw},
                   {"baseline_medial_bw", summary->baseline_medial_bw},
                   {"baseline_superior_bw", summary->baseline_superior_bw}}},
                 {"compensators", compensators},
                 {"interpretation",
                  {{"direction", in.direction_word},
                   {"title", in.title},
                   {"headline", in.headline},
                   {"working_harder", harder},
                   {"muscles", in.muscles},
                   {"reserve", in.reserve},
                   {"cannot_show", in.cannot_show}}},
                 {"peak_reserve_nm", summary->peak_reserve_nm},
                 {"all_converged", summary->all_converged},
                 {"credit", summary->credit}});
#else
  (void)fraction;
  (void)res;
  Throw(404, "no_model", "This build of hipcoach has no hip model.");
#endif
}

}  // namespace hipcoach::server
