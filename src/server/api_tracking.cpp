// Tracking over the Store: assessments, the programme, sessions, logs, check-ins, progress, the
// report, export and import, and the calendar. Every handler works on a Store scoped to the
// caller's person (src/store/scoped_store.hpp).
#include <fmt/format.h>

#include <limits>

#include "app.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/interview.hpp"
#include "hipcoach/json_reader.hpp"
#include "hipcoach/programme_check.hpp"
#include "hipcoach/serialize.hpp"
#include "hipcoach/tracking_export.hpp"
#include "hipcoach/tracking_report.hpp"

namespace hipcoach::server {
namespace {

using tracking::Tracker;

constexpr TimeSeconds kAll = std::numeric_limits<TimeSeconds>::max();
constexpr TimeSeconds kNone = std::numeric_limits<TimeSeconds>::min();
const char* const kDayNames[] = {"Thursday", "Friday",  "Saturday", "Sunday",
                                 "Monday",   "Tuesday", "Wednesday"};  // day 0 = 1970-01-01

tracking::State NeedPlan(Tracker& tracker) {
  tracking::State state = Must(tracker.Load());
  if (!state.plan) {
    Throw(404, "no_programme",
          state.assessment ? "Your last assessment did not give a programme: please follow its "
                             "advice first."
                           : "There is no programme yet. Answer the questions first.");
  }
  return state;
}

std::string Iso(TimeSeconds t) { return tracking::IsoUtc(t); }

TimeSeconds QueryTime(const http::Request& req, const char* key, TimeSeconds fallback) {
  if (!req.HasQuery(key)) return fallback;
  auto t = tracking::ParseTime(req.Query(key));
  if (!t) {
    Throw(400, "invalid_field",
          fmt::format("'{}' must be a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM).", key));
  }
  return *t;
}

json EscalationsJson(const KnowledgeBase& kb, const std::vector<Escalation>& list) {
  json out = json::array();
  for (const Escalation& e : list) {
    const TriageLevelInfo& level = kb.rules.Level(e.level);
    out.push_back({{"id", e.id},
                   {"level", ToString(e.level)},
                   {"title", level.title},
                   {"message", e.message},
                   {"pause", e.pause},
                   {"sources", e.sources}});
  }
  return out;
}

}  // namespace

json App::UpdatesJson(const tracking::Updates& updates) {
  json out = {{"escalations", EscalationsJson(kb_, updates.escalations)},
              {"changes", ChangesJson(updates.decisions)}};
  if (!updates.progression_refused.empty())
    out["progression_refused"] = updates.progression_refused;
  return out;
}

json App::ChangesJson(const std::vector<tracking::ItemDecision>& decisions) {
  json changes = json::array();
  for (const tracking::ItemDecision& d : decisions) {
    if (d.decision.next == d.before) continue;
    changes.push_back({{"exercise", d.before.exercise},
                       {"kind", ToString(d.decision.kind)},
                       {"code", d.decision.code},
                       {"reason", d.decision.reason}});
  }
  return changes;
}

json App::ProgrammeJson(Store& store, Tracker& tracker) {
  // The plan as progression has it today (a restart after a gap, say); looking writes nothing,
  // and the change is saved with the next check-in, session or log.
  std::vector<tracking::ItemDecision> pending;
  const tracking::State state = Must(tracker.LoadToday(&pending));
  if (!state.plan) NeedPlan(tracker);
  const json after = {{"escalations", json::array()}, {"changes", ChangesJson(pending)}};
  const tracking::ActivePlan& plan = *state.plan;
  const int today = tracking::LocalDay(clock_.Now());
  std::string phase_name;
  for (const Phase& phase : kb_.rules.phases) {
    if (phase.number == plan.phase) phase_name = phase.name;
  }
  json items = json::array();
  for (const Prescription& p : plan.items) {
    const Exercise* e = kb_.FindExercise(p.exercise);
    json item = tracking::PrescriptionJson(plan, p);
    item["name"] = e ? e->name : p.exercise;
    item["kind"] = e ? e->kind : "";
    item["targets"] = e ? json(e->targets) : json::array();
    item["instructions"] = e ? json(e->instructions) : json::array();
    item["why"] = e ? e->why : "";
    item["easier"] = e ? e->easier : "";
    item["harder"] = e ? e->harder : "";
    items.push_back(std::move(item));
  }
  json days = json::array();
  for (int day = today; day < today + 7; ++day) {
    json ids = json::array();
    for (const Prescription& p : plan.items) {
      if (ScheduledOn(p.days, day - plan.start_day)) ids.push_back(p.exercise);
    }
    days.push_back({{"date", tracking::LocalDate(day)},
                    {"weekday", kDayNames[((day % 7) + 7) % 7]},
                    {"today", day == today},
                    {"rest_day", ids.empty()},
                    {"exercises", ids}});
  }
  json self_care = json::array();
  for (const std::string& id : plan.self_care) {
    const SelfCare* care = kb_.FindSelfCare(id);
    if (care == nullptr) continue;
    const int max_minutes = kb_.SelfCareMaxMinutes(*care);
    self_care.push_back({{"id", care->id},
                         {"name", care->name},
                         {"kind", care->kind},
                         {"min_minutes", care->min_minutes},
                         {"max_minutes", max_minutes},
                         {"min_gap_hours", care->min_gap_hours},
                         {"instructions", care->instructions},
                         {"why", care->why}});
  }
  json excluded = json::array();
  for (const std::string& id : plan.excluded) {
    const Exercise* e = kb_.FindExercise(id);
    excluded.push_back({{"exercise", id}, {"name", e ? e->name : id}});
  }
  // Today's open session, so the UI can carry on where it stopped.
  json open_session = nullptr;
  for (const SessionRecord& s : Must(store.Sessions(state.profile.person_id))) {
    if (s.status != "completed" && tracking::LocalDay(s.started_at) == today) {
      open_session = {{"id", s.id}, {"status", s.status}, {"state", StoredJson(s.state_json)}};
    }
  }
  return {{"paused", state.paused},
          {"pause_message", state.pause_message},
          {"reason", state.version ? state.version->reason : ""},
          {"phase", plan.phase},
          {"phase_name", phase_name},
          {"week_of_programme", (today - plan.start_day) / 7 + 1},
          {"start", tracking::LocalDate(plan.start_day)},
          {"today", tracking::LocalDate(today)},
          {"painful_side", plan.painful_side},
          {"items", items},
          {"days", days},
          {"self_care", self_care},
          {"excluded", excluded},
          {"open_session", open_session},
          {"danger_check_due", Must(tracker.DangerCheckDue())},
          {"rules",
           {{"pain_safe_max", kb_.rules.pain_safe_max},
            {"pain_acceptable_max", kb_.rules.pain_acceptable_max},
            {"sitting_break_minutes", kb_.rules.sitting_break_minutes},
            {"get_ready_seconds", kb_.rules.get_ready_seconds},
            {"rest_seconds", kb_.rules.rest_seconds},
            {"ice_max_minutes", kb_.rules.ice_max_minutes},
            {"heat_max_minutes", kb_.rules.heat_max_minutes},
            {"ice_min_gap_hours", kb_.rules.ice_min_gap_hours}}},
          {"updates", after}};
}

json App::ProgressJson(Store& store, Tracker& tracker) {
  const tracking::State state = NeedPlan(tracker);
  const DataSet data = Must(store.Export(state.profile.person_id));
  const tracking::Summary s = tracking::Summarise(kb_, data, *state.plan, clock_.Now());
  auto opt = [](const auto& v) { return v ? json(*v) : json(nullptr); };
  json days = json::array();
  for (const tracking::DaySummary& d : s.days) {
    days.push_back({{"day", d.day},
                    {"date", tracking::LocalDate(s.start_day + d.day)},
                    {"pain_now", d.pain_now},
                    {"worst", opt(d.worst)}});
  }
  json weeks = json::array();
  for (const tracking::WeekSummary& w : s.weeks) {
    weeks.push_back({{"week", w.week},
                     {"scheduled_days", w.scheduled_days},
                     {"done_days", w.done_days},
                     {"exercise_entries", w.exercise_entries},
                     {"running_km", w.running_km},
                     {"cycling_minutes", w.cycling_minutes},
                     {"sitting_hours", w.sitting_hours},
                     {"pain", opt(w.pain)}});
  }
  json changes = json::array();
  for (const tracking::Change& c : s.changes) {
    changes.push_back({{"at", Iso(c.at)}, {"kind", c.kind}, {"text", c.text}});
  }
  auto psfs = [](const std::optional<OutcomeRecord>& o) -> json {
    if (!o) return nullptr;
    return {{"at", tracking::IsoUtc(o->at)}, {"score", o->score}};
  };
  return {{"start", tracking::LocalDate(s.start_day)},
          {"today", s.today},
          {"days", days},
          {"weeks", weeks},
          {"trend",
           {{"baseline", opt(s.trend.baseline)},
            {"current", opt(s.trend.current)},
            {"latest", opt(s.trend.latest)}}},
          {"scheduled_days", s.scheduled_days},
          {"done_days", s.done_days},
          {"changes", changes},
          {"first_psfs", psfs(s.first_psfs)},
          {"latest_psfs", psfs(s.latest_psfs)}};
}

void App::SaveAssessment(const http::Request& req, const Caller& caller, const Params&,
                         http::Response& res) {
  if (req.body.empty()) Throw(400, "invalid_json", "The request needs a JSON body.");
  auto answers = ParseAnswersDocument(kb_, req.body, "request");
  if (!answers) Throw(400, "invalid_answer", PlainAnswerError(answers.error().message));
  auto assessed = Assess(kb_, *answers);
  if (!assessed) Throw(400, "incomplete_screen", assessed.error().message);
  const Assessment& assessment = *assessed;
  WithStore(caller, [&](Store& store) {
    Tracker tracker(kb_, store, clock_);
    const RowId id = Must(tracker.SaveAssessment(*answers, assessment));
    SendJson(res,
             {{"id", id},
              {"has_programme", assessment.programme.has_value()},
              {"result", AssessmentJson(kb_, assessment)}},
             201);
  });
}

void App::ListAssessments(const http::Request&, const Caller& caller, const Params&,
                          http::Response& res) {
  WithStore(caller, [&](Store& store) {
    json list = json::array();
    for (const StoredAssessment& a : Must(store.Assessments(caller.profile.person_id))) {
      // A stored result may come from an imported file: read it without trusting its shape.
      const json result = StoredJson(a.result_json);
      const json triage =
          result.is_object() && result.contains("triage") ? result["triage"] : json();
      list.push_back({{"id", a.id},
                      {"at", Iso(a.at)},
                      {"knowledge_version", a.knowledge_version},
                      {"level", TextField(triage, "level")},
                      {"title", TextField(triage, "title")}});
    }
    SendJson(res, {{"assessments", list}});
  });
}

void App::GetAssessment(const http::Request&, const Caller& caller, const Params& params,
                        http::Response& res) {
  const RowId id = ParseId(params.at(0));
  WithStore(caller, [&](Store& store) {
    for (const StoredAssessment& a : Must(store.Assessments(caller.profile.person_id))) {
      if (a.id != id) continue;
      SendJson(res, {{"id", a.id},
                     {"at", Iso(a.at)},
                     {"answers", StoredJson(a.answers_json)},
                     {"result", StoredJson(a.result_json)}});
      return;
    }
    Throw(404, "not_found", "That assessment does not exist.");
  });
}

void App::GetProgramme(const http::Request&, const Caller& caller, const Params&,
                       http::Response& res) {
  WithStore(caller, [&](Store& store) {
    Tracker tracker(kb_, store, clock_);
    SendJson(res, ProgrammeJson(store, tracker));
  });
}

void App::StartSession(const http::Request& req, const Caller& caller, const Params&,
                       http::Response& res) {
  json body = req.body.empty() ? json::object() : BodyObject(req);
  OnlyKeys(body, {"state"});
  json state = body.value("state", json::object());
  if (!state.is_object()) Throw(400, "invalid_field", "'state' must be an object.");
  if (state.dump().size() > 16384) Throw(413, "too_large", "'state' is too large.");
  WithStore(caller, [&](Store& store) {
    Tracker tracker(kb_, store, clock_);
    const tracking::State s = NeedPlan(tracker);
    if (s.paused) {
      Throw(409, "paused", "Your programme is paused: " + s.pause_message);
    }
    SessionRecord session{0,
                          caller.profile.person_id,
                          clock_.Now(),
                          std::nullopt,
                          s.version->id,
                          "in_progress",
                          state.dump()};
    const RowId id = Must(store.AddSession(session));
    SendJson(res, {{"id", id}}, 201);
  });
}

void App::UpdateSession(const http::Request& req, const Caller& caller, const Params& params,
                        http::Response& res) {
  const RowId id = ParseId(params.at(0));
  json body = BodyObject(req);
  OnlyKeys(body, {"status", "state"});
  const std::string status = ReqString(body, "status", 20);
  if (status != "in_progress" && status != "completed" && status != "stopped") {
    Throw(400, "invalid_field", "'status' must be in_progress, completed or stopped.");
  }
  json state = body.value("state", json::object());
  if (!state.is_object()) Throw(400, "invalid_field", "'state' must be an object.");
  if (state.dump().size() > 16384) Throw(413, "too_large", "'state' is too large.");
  WithStore(caller, [&](Store& store) {
    std::optional<SessionRecord> session;
    for (const SessionRecord& s : Must(store.Sessions(caller.profile.person_id))) {
      if (s.id == id) session = s;
    }
    if (!session) Throw(404, "not_found", "That session does not exist.");
    session->status = status;
    session->state_json = state.dump();
    json out = {{"id", id}, {"status", status}};
    if (status == "in_progress") {
      Must(store.UpdateSession(*session));
    } else {
      // A session that ends is new data: saved with what it leads to, in one transaction.
      session->ended_at = clock_.Now();
      Tracker tracker(kb_, store, clock_);
      out["updates"] =
          UpdatesJson(Must(tracker.Record([&](RowId) { return store.UpdateSession(*session); })));
    }
    SendJson(res, out);
  });
}

void App::AddLog(const http::Request& req, const Caller& caller, const Params&,
                 http::Response& res) {
  json body = BodyObject(req);
  OnlyKeys(body, {"exercise", "side", "sets", "reps", "hold_seconds", "pain", "effort",
                  "session_id", "at"});
  ExerciseLog log;
  log.person_id = caller.profile.person_id;
  log.exercise = ReqString(body, "exercise", 100);
  if (kb_.FindExercise(log.exercise) == nullptr) {
    Throw(400, "invalid_field", "There is no exercise called '" + log.exercise + "'.");
  }
  log.side = OptString(body, "side", 10).value_or("both");
  if (log.side != "left" && log.side != "right" && log.side != "both") {
    Throw(400, "invalid_field", "'side' must be left, right or both.");
  }
  log.sets = ReqInt(body, "sets", 0, 20);
  log.reps = OptInt(body, "reps", 0, 100).value_or(0);
  log.hold_seconds = OptInt(body, "hold_seconds", 0, 600).value_or(0);
  log.pain = ReqInt(body, "pain", 0, 10);
  log.effort = OptInt(body, "effort", 0, 10);
  if (auto session = OptNumber(body, "session_id", 1, 1e15)) {
    log.session_id = static_cast<RowId>(*session);
  }
  log.at = clock_.Now();
  if (auto at = OptString(body, "at", 40)) {
    auto t = tracking::ParseTime(*at);
    if (!t) Throw(400, "invalid_field", "'at' must be a time such as 2026-01-05T08:00.");
    if (*t > clock_.Now() + 300) Throw(400, "invalid_field", "'at' cannot be in the future.");
    log.at = *t;
  }
  WithStore(caller, [&](Store& store) {
    json out = json::object();
    // A quick log (outside a guided session) is applied at once; a session when it ends.
    if (log.session_id) {
      out["id"] = Must(store.AddExerciseLog(log));
    } else {
      Tracker tracker(kb_, store, clock_);
      const tracking::Updates updates = Must(tracker.Record([&](RowId) -> Result<void> {
        auto id = store.AddExerciseLog(log);
        if (!id) return tl::unexpected(id.error());
        out["id"] = *id;
        return {};
      }));
      if (updates.has_programme) out["updates"] = UpdatesJson(updates);
    }
    SendJson(res, out, 201);
  });
}

void App::ListLogs(const http::Request& req, const Caller& caller, const Params&,
                   http::Response& res) {
  const TimeSeconds from = QueryTime(req, "from", kNone);
  const TimeSeconds to = QueryTime(req, "to", kAll);
  WithStore(caller, [&](Store& store) {
    json list = json::array();
    for (const ExerciseLog& l : Must(store.ExerciseLogs(caller.profile.person_id, from, to))) {
      list.push_back(tracking::ExerciseLogJson(l));
    }
    SendJson(res, {{"logs", list}});
  });
}

void App::DangerQuestions(const http::Request&, const Caller& caller, const Params&,
                          http::Response& res) {
  WithStore(caller, [&](Store& store) {
    Tracker tracker(kb_, store, clock_);
    const tracking::State state = Must(tracker.Load());
    json questions = json::array();
    for (const Question* question : tracker.DangerQuestions(state)) {
      questions.push_back(QuestionJson(kb_, *question));
    }
    // Resuming a paused programme may need the person's word that a doctor or physiotherapist
    // has seen them (clinician_seen: after an urgent or emergency pause, or for a sign resting on
    // their history), so a paused check-in asks for it.
    SendJson(res,
             {{"due", state.plan ? Must(tracker.DangerCheckDue()) : false},
              {"paused", state.paused},
              {"pause_message", state.pause_message},
              {"pause_level", state.paused ? json(ToString(state.pause_level)) : json(nullptr)},
              {"questions", questions}});
  });
}

void App::AddCheckIn(const http::Request& req, const Caller& caller, const Params&,
                     http::Response& res) {
  json body = BodyObject(req);
  OnlyKeys(body, {"pain_now", "pain_worst", "regions", "slept_on_painful_side",
                  "sitting_tolerance_minutes", "running_km", "cycling_minutes", "sitting_hours",
                  "change", "danger_answers", "resume", "clinician_seen", "psfs"});
  CheckIn c;
  c.person_id = caller.profile.person_id;
  c.pain_now = ReqInt(body, "pain_now", 0, 10);
  c.pain_worst = OptInt(body, "pain_worst", 0, 10);
  c.slept_on_painful_side = OptBool(body, "slept_on_painful_side");
  c.sitting_tolerance_minutes = OptInt(body, "sitting_tolerance_minutes", 0, 1440);
  c.running_km = OptNumber(body, "running_km", 0, 300);
  c.cycling_minutes = OptInt(body, "cycling_minutes", 0, 1440);
  c.sitting_hours = OptNumber(body, "sitting_hours", 0, 24);
  c.change = OptString(body, "change", 20).value_or("");
  if (!c.change.empty() && c.change != "much_better" && c.change != "better" &&
      c.change != "same" && c.change != "worse" && c.change != "much_worse") {
    Throw(400, "invalid_field", "'change' must be much_better, better, same, worse or much_worse.");
  }
  if (auto regions = body.find("regions"); regions != body.end() && !regions->is_null()) {
    if (!regions->is_array() || regions->size() > 22) {
      Throw(400, "invalid_field", "'regions' must be a list of at most 22 entries.");
    }
    const Question* map = kb_.BodyMapQuestion();
    for (const json& r : *regions) {
      if (!r.is_object()) Throw(400, "invalid_field", "Each region must be an object.");
      OnlyKeys(r, {"region", "side", "pain"});
      RegionPain rp{ReqString(r, "region", 40), OptString(r, "side", 10).value_or(""),
                    ReqInt(r, "pain", 0, 10)};
      if (map != nullptr && map->FindChoice(rp.region) == nullptr) {
        Throw(400, "invalid_field", "There is no body region called '" + rp.region + "'.");
      }
      if (rp.side != "" && rp.side != "left" && rp.side != "right" && rp.side != "both") {
        Throw(400, "invalid_field", "A region's 'side' must be left, right, both or empty.");
      }
      c.regions.push_back(rp);
    }
  }
  std::optional<Answers> danger;
  if (auto answers = body.find("danger_answers"); answers != body.end() && !answers->is_null()) {
    auto parsed = ParseAnswersDocument(kb_, json{{"answers", *answers}}.dump(), "request");
    if (!parsed) Throw(400, "invalid_answer", PlainAnswerError(parsed.error().message));
    for (const auto& [id, value] : *parsed) {
      const Question* q = kb_.FindQuestion(id);
      if (q->stage != Stage::kRedFlag && !q->screening) {
        Throw(400, "invalid_answer", "'" + id + "' is not a danger-sign question.");
      }
    }
    danger = std::move(*parsed);
    c.danger_check = true;
  }
  const bool resume = OptBool(body, "resume").value_or(false);
  const bool clinician_seen = OptBool(body, "clinician_seen").value_or(false);
  std::optional<OutcomeRecord> psfs;
  if (auto items = body.find("psfs"); items != body.end() && !items->is_null()) {
    if (!items->is_array() || items->size() < 3 || items->size() > 5) {
      Throw(400, "invalid_field", "'psfs' needs 3 to 5 activities.");
    }
    OutcomeRecord o;
    o.measure = "psfs";
    double sum = 0;
    for (const json& item : *items) {
      if (!item.is_object()) Throw(400, "invalid_field", "Each 'psfs' entry must be an object.");
      OnlyKeys(item, {"activity", "score"});
      PsfsItem p{ReqString(item, "activity", 80), ReqInt(item, "score", 0, 10)};
      sum += p.score;
      o.items.push_back(p);
    }
    o.score = sum / static_cast<double>(o.items.size());
    psfs = o;
  }
  if (auto ok = ValidateRecord(c); !ok) Throw(400, "invalid_field", ok.error().message);
  WithStore(caller, [&](Store& store) {
    Tracker tracker(kb_, store, clock_);
    const tracking::CheckInOutcome recorded =
        Must(tracker.RecordCheckIn({c, std::move(danger), false, resume, clinician_seen, psfs}));
    json flags = json::array();
    for (const MatchedRedFlag& m : recorded.red_flags) {
      const RedFlag& flag = kb_.red_flags[static_cast<std::size_t>(m.red_flag)];
      flags.push_back({{"id", flag.id},
                       {"name", flag.name},
                       {"level", ToString(flag.level)},
                       {"action", flag.action},
                       {"uncertain", m.uncertain}});
    }
    json out = {{"id", recorded.id}, {"red_flags", flags}, {"resumed", recorded.resumed}};
    if (!recorded.not_resumed.empty()) out["not_resumed"] = recorded.not_resumed;
    if (recorded.updates.has_programme) out["updates"] = UpdatesJson(recorded.updates);
    SendJson(res, out, 201);
  });
}

void App::ListCheckIns(const http::Request& req, const Caller& caller, const Params&,
                       http::Response& res) {
  const TimeSeconds from = QueryTime(req, "from", kNone);
  const TimeSeconds to = QueryTime(req, "to", kAll);
  WithStore(caller, [&](Store& store) {
    json list = json::array();
    for (const CheckIn& c : Must(store.CheckIns(caller.profile.person_id, from, to))) {
      list.push_back(tracking::CheckInJson(c));
    }
    SendJson(res, {{"checkins", list}});
  });
}

void App::Progress(const http::Request&, const Caller& caller, const Params&, http::Response& res) {
  WithStore(caller, [&](Store& store) {
    Tracker tracker(kb_, store, clock_);
    SendJson(res, ProgressJson(store, tracker));
  });
}

void App::Report(const http::Request&, const Caller& caller, const Params&, http::Response& res) {
  WithStore(caller, [&](Store& store) {
    Tracker tracker(kb_, store, clock_);
    const tracking::State state = NeedPlan(tracker);
    const DataSet data = Must(store.Export(state.profile.person_id));
    const tracking::Summary summary = tracking::Summarise(kb_, data, *state.plan, clock_.Now());
    res.content_type = "text/html; charset=utf-8";
    res.body = tracking::ReportHtml(kb_, data, state, summary, clock_.Now());
  });
}

void App::Export(const http::Request&, const Caller& caller, const Params&, http::Response& res) {
  WithStore(caller, [&](Store& store) {
    const DataSet data = Must(store.Export(caller.profile.person_id));
    res.content_type = "application/json";
    res.SetHeader("Content-Disposition", "attachment; filename=\"hipcoach-export.json\"");
    res.body = tracking::ExportJson(data).dump(2);
  });
}

void App::ExportCsv(const http::Request&, const Caller& caller, const Params& params,
                    http::Response& res) {
  const std::string& name = params.at(0);
  WithStore(caller, [&](Store& store) {
    const DataSet data = Must(store.Export(caller.profile.person_id));
    const auto files = tracking::ExportCsv(data);
    auto it = files.find(name);
    if (it == files.end()) {
      Throw(404, "not_found",
            "Choose exercise_logs.csv, checkins.csv, outcomes.csv or events.csv.");
    }
    res.content_type = "text/csv; charset=utf-8";
    res.SetHeader("Content-Disposition", "attachment; filename=\"" + name + "\"");
    res.body = it->second;
  });
}

void App::Import(const http::Request& req, const Caller& caller, const Params&,
                 http::Response& res) {
  const std::string replace_text = req.Query("replace");
  if (!replace_text.empty() && replace_text != "true" && replace_text != "false") {
    Throw(400, "invalid_field", "'replace' must be true or false.");
  }
  const bool replace = replace_text == "true";
  if (req.body.empty()) Throw(400, "invalid_json", "Send the export file as the request body.");
  auto data = tracking::ParseExport(req.body);
  if (!data) Throw(400, "invalid_import", data.error().message);
  // The file's programmes pass the check every writer of a programme passes.
  if (auto ok = tracking::CheckProgrammes(kb_, *data); !ok) {
    Throw(400, "invalid_import",
          "The file is not a valid hipcoach export: " + ok.error().message +
              ". Nothing was imported.");
  }
  WithStore(caller, [&](Store& store) {
    if (auto ok = store.Import(*data, replace); !ok) {
      if (ok.error().code == ErrorCode::kInvalidInput) {
        Throw(409, "import_refused",
              replace ? ok.error().message
                      : "You already have data here; nothing was imported. Choose \"replace my "
                        "data\" to replace it with the file's data.");
      }
      throw ErrorFrom(ok.error());
    }
    SendJson(res, {{"imported",
                    {{"assessments", data->assessments.size()},
                     {"programmes", data->programmes.size()},
                     {"sessions", data->sessions.size()},
                     {"exercise_logs", data->exercise_logs.size()},
                     {"checkins", data->checkins.size()},
                     {"outcomes", data->outcomes.size()},
                     {"events", data->events.size()}}}});
  });
}

void App::Calendar(const http::Request& req, const Caller& caller, const Params&,
                   http::Response& res) {
  tracking::CalendarOptions options;
  auto query_int = [&](const char* key, int low, int high, int fallback) {
    if (!req.HasQuery(key)) return fallback;
    const std::string text = req.Query(key);
    int value = 0;
    if (text.empty() || text.size() > 4) value = -1;
    for (char ch : text)
      value = (ch >= '0' && ch <= '9' && value >= 0) ? value * 10 + (ch - '0') : -1;
    if (value < low || value > high) {
      Throw(400, "invalid_field",
            fmt::format("'{}' must be a whole number from {} to {}.", key, low, high));
    }
    return value;
  };
  options.session_hour = query_int("hour", 0, 23, options.session_hour);
  options.session_minute = query_int("minute", 0, 59, options.session_minute);
  options.sitting_breaks = req.Query("sitting_breaks") != "false";
  options.weeks = query_int("weeks", 0, 52, 0);
  WithStore(caller, [&](Store& store) {
    Tracker tracker(kb_, store, clock_);
    const tracking::State state = NeedPlan(tracker);
    res.content_type = "text/calendar; charset=utf-8";
    res.SetHeader("Content-Disposition", "attachment; filename=\"hipcoach.ics\"");
    res.body = tracking::CalendarIcs(kb_, *state.plan, state.profile, options, clock_.Now());
  });
}

void App::Changes(const http::Request&, const Caller& caller, const Params&, http::Response& res) {
  json list = json::array();
  if (caller.account) {
    auto changes = accounts_->Changes(caller.account->id);
    if (!changes) throw ErrorFrom(changes.error());
    for (const ClinicianChange& c : *changes) {
      list.push_back({{"at", Iso(c.at)},
                      {"by", c.clinician_name},
                      {"why", c.why},
                      {"details", StoredJson(c.details_json)}});
    }
  }
  SendJson(res, {{"changes", list}});
}

}  // namespace hipcoach::server
