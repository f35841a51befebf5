// Tracking over weeks (include/hipcoach/tracking.hpp).
#include "hipcoach/tracking.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "hipcoach/json_reader.hpp"
#include "hipcoach/programme_check.hpp"
#include "hipcoach/serialize.hpp"
#include "hipcoach/triage.hpp"

namespace hipcoach::tracking {
namespace {

using json = nlohmann::json;
constexpr TimeSeconds kAll = std::numeric_limits<TimeSeconds>::max();
constexpr TimeSeconds kNone = std::numeric_limits<TimeSeconds>::min();

#define HIPCOACH_TRY(expr)                                              \
  do {                                                                  \
    if (auto try_ = (expr); !try_) return tl::unexpected(try_.error()); \
  } while (false)

std::tm Local(TimeSeconds t) {
  std::time_t time = static_cast<std::time_t>(t);
  std::tm tm{};
  localtime_r(&time, &tm);
  return tm;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
int DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int z, int& y, int& m, int& d) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp + (mp < 10 ? 3 : -9);
  y += m <= 2 ? 1 : 0;
}

DoseDays ParseDays(const std::string& text) {
  if (text == "strength") return DoseDays::kStrength;
  if (text == "rest_days_ok") return DoseDays::kRestDaysOk;
  return DoseDays::kDaily;
}

json AnswersDocument(const Answers& answers) {
  json out = json::object();
  for (const auto& [id, value] : answers) out[id] = AnswerJson(value);
  return json{{"answers", out}};
}

}  // namespace

TimeSeconds SystemClock::Now() {
  if (const char* fixed = std::getenv("HIPCOACH_NOW"); fixed != nullptr && *fixed != '\0') {
    if (auto t = ParseTime(fixed)) return *t;
  }
  return static_cast<TimeSeconds>(std::time(nullptr));
}

void SystemClock::Sleep(int seconds) { std::this_thread::sleep_for(std::chrono::seconds(seconds)); }

int LocalDay(TimeSeconds t) {
  const std::tm tm = Local(t);
  return DaysFromCivil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int LocalHour(TimeSeconds t) { return Local(t).tm_hour; }

TimeSeconds LocalTime(int day, int hour, int minute) {
  int y = 0, m = 0, d = 0;
  CivilFromDays(day, y, m, d);
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_isdst = -1;
  return static_cast<TimeSeconds>(std::mktime(&tm));
}

std::string LocalDate(int day) {
  int y = 0, m = 0, d = 0;
  CivilFromDays(day, y, m, d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

std::string IsoUtc(TimeSeconds t) {
  const TimeSeconds days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  const TimeSeconds rest = t - days * 86400;
  int y = 0, m = 0, d = 0;
  CivilFromDays(static_cast<int>(days), y, m, d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, rest / 3600, rest / 60 % 60,
                     rest % 60);
}

namespace {
// `count` digits at `at` as a number, or -1.
int Digits(const std::string& text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// Parses YYYY-MM-DD[THH:MM[:SS]][Z] strictly: digits where digits belong, a date that exists in
// the calendar, years 1970-9999; `utc` tells whether it ended in Z.
bool ParseParts(const std::string& text, int& y, int& mo, int& d, int& h, int& mi, int& s,
                bool& utc, bool& has_time) {
  y = Digits(text, 0, 4);
  mo = Digits(text, 5, 2);
  d = Digits(text, 8, 2);
  h = mi = s = 0;
  utc = has_time = false;
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || text[4] != '-' || text[7] != '-' ||
      d > DaysInMonth(y, mo)) {
    return false;
  }
  std::size_t at = 10;
  if (at < text.size() && (text[at] == 'T' || text[at] == ' ')) {
    has_time = true;
    h = Digits(text, at + 1, 2);
    mi = Digits(text, at + 4, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || text[at + 3] != ':') return false;
    at += 6;
    if (at < text.size() && text[at] == ':') {
      s = Digits(text, at + 1, 2);
      if (s < 0 || s > 59) return false;
      at += 3;
    }
  }
  if (at + 1 == text.size() && text[at] == 'Z') {
    utc = true;
    ++at;
  }
  return at == text.size();
}
}  // namespace

std::optional<TimeSeconds> ParseIsoUtc(const std::string& text) {
  int y, mo, d, h, mi, s;
  bool utc, has_time;
  if (!ParseParts(text, y, mo, d, h, mi, s, utc, has_time) || !utc || !has_time) {
    return std::nullopt;
  }
  return static_cast<TimeSeconds>(DaysFromCivil(y, mo, d)) * 86400 + h * 3600 + mi * 60 + s;
}

std::optional<TimeSeconds> ParseTime(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
      text.size() < 15) {
    return static_cast<TimeSeconds>(std::stoll(text));
  }
  int y, mo, d, h, mi, s;
  bool utc, has_time;
  if (!ParseParts(text, y, mo, d, h, mi, s, utc, has_time)) return std::nullopt;
  if (utc) return ParseIsoUtc(text);
  return LocalTime(DaysFromCivil(y, mo, d), has_time ? h : 12, mi) + s;
}

json PrescriptionJson(const ActivePlan& plan, const Prescription& p) {
  return {{"exercise", p.exercise},
          {"phase", p.phase},
          {"sets", p.sets},
          {"reps_min", p.reps_min},
          {"reps_max", p.reps_max},
          {"hold_seconds", p.hold_seconds},
          {"times_per_day", p.times_per_day},
          {"per_side", p.per_side},
          {"days", ToString(p.days)},
          {"load_steps", p.load_steps},
          {"since", LocalDate(plan.start_day + p.since_day)}};
}

json PlanJson(const ActivePlan& plan) {
  json items = json::array();
  for (const Prescription& p : plan.items) items.push_back(PrescriptionJson(plan, p));
  return {{"start", LocalDate(plan.start_day)},
          {"phase", plan.phase},
          {"painful_side", plan.painful_side},
          {"pain_days_at_start", plan.pain_days_at_start},
          {"items", items},
          {"excluded", plan.excluded},
          {"self_care", plan.self_care}};
}

namespace {
// A stored programme's fields, strictly: wrong types and out-of-range numbers are errors (an
// imported file could hold anything), never a conversion.
struct PlanField {
  const json& object;
  int Int(const char* key, int low, int high, std::optional<int> fallback = std::nullopt) const {
    const auto it = object.find(key);
    if (it == object.end()) {
      if (fallback) return *fallback;
      throw std::runtime_error(fmt::format("'{}' is missing", key));
    }
    if (!it->is_number_integer() || *it < low || *it > high) {
      throw std::runtime_error(
          fmt::format("'{}' must be a whole number from {} to {}", key, low, high));
    }
    return it->get<int>();
  }
  std::string Text(const char* key, std::optional<std::string> fallback = std::nullopt) const {
    const auto it = object.find(key);
    if (it == object.end()) {
      if (fallback) return *fallback;
      throw std::runtime_error(fmt::format("'{}' is missing", key));
    }
    if (!it->is_string()) throw std::runtime_error(fmt::format("'{}' must be text", key));
    return it->get<std::string>();
  }
  int Day(const char* key) const {
    const std::string date = Text(key);
    int y = 0, m = 0, d = 0, h = 0, mi = 0, sec = 0;
    bool utc = false, has_time = false;
    if (!ParseParts(date, y, m, d, h, mi, sec, utc, has_time) || has_time || utc) {
      throw std::runtime_error(fmt::format("'{}' must be a date such as 2026-01-05", key));
    }
    return DaysFromCivil(y, m, d);
  }
  std::vector<std::string> Ids(const char* key) const {
    std::vector<std::string> out;
    const auto it = object.find(key);
    if (it == object.end()) return out;
    if (!it->is_array()) throw std::runtime_error(fmt::format("'{}' must be a list", key));
    for (const json& id : *it) {
      if (!id.is_string()) throw std::runtime_error(fmt::format("'{}' must list ids", key));
      out.push_back(id.get<std::string>());
    }
    return out;
  }
};
}  // namespace

Result<ActivePlan> ParsePlan(const std::string& text) {
  try {
    auto parsed = ReadUntrustedJson(text, json_limits::Stored());
    if (!parsed) throw std::runtime_error(parsed.error().what);
    const json& j = *parsed;
    if (!j.is_object()) throw std::runtime_error("it is not an object");
    const PlanField plan_fields{j};
    ActivePlan plan;
    plan.start_day = plan_fields.Day("start");
    plan.phase = plan_fields.Int("phase", 1, 99);
    plan.painful_side = plan_fields.Text("painful_side", "");
    plan.pain_days_at_start = plan_fields.Int("pain_days_at_start", -1, 100000, -1);
    const auto items = j.find("items");
    if (items == j.end() || !items->is_array()) throw std::runtime_error("'items' must be a list");
    for (const json& item : *items) {
      if (!item.is_object()) throw std::runtime_error("an item is not an object");
      const PlanField f{item};
      Prescription p;
      p.exercise = f.Text("exercise");
      p.phase = f.Int("phase", 1, 99, plan.phase);
      p.sets = f.Int("sets", 0, 1000);
      p.reps_min = f.Int("reps_min", 0, 10000);
      p.reps_max = f.Int("reps_max", 0, 10000);
      p.hold_seconds = f.Int("hold_seconds", 0, 100000, 0);
      p.times_per_day = f.Int("times_per_day", 0, 100, 1);
      const auto per_side = item.find("per_side");
      if (per_side != item.end() && !per_side->is_boolean()) {
        throw std::runtime_error("'per_side' must be true or false");
      }
      p.per_side = per_side != item.end() && per_side->get<bool>();
      p.days = ParseDays(f.Text("days", "daily"));
      p.load_steps = f.Int("load_steps", 0, 1000, 0);
      p.since_day = f.Day("since") - plan.start_day;
      plan.items.push_back(std::move(p));
    }
    plan.excluded = plan_fields.Ids("excluded");
    plan.self_care = plan_fields.Ids("self_care");
    return plan;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kDataError,
                     fmt::format("a stored programme could not be read ({})", e.what()));
  }
}

std::optional<ActivePlan> PlanFromAssessment(const KnowledgeBase& kb, const Assessment& assessment,
                                             const Answers& answers, int start_day) {
  if (!assessment.programme || assessment.programme->phases.empty()) return std::nullopt;
  const Programme& programme = *assessment.programme;
  ActivePlan plan;
  plan.start_day = start_day;
  plan.phase = programme.current_phase;
  plan.painful_side = programme.painful_side;
  if (auto it = answers.find("pain_days");
      it != answers.end() && it->second.kind == AnswerValue::Kind::kNumber) {
    plan.pain_days_at_start = static_cast<int>(std::lround(it->second.number));
  }
  const PhasePlan* current = &programme.phases.front();
  for (const PhasePlan& phase : programme.phases) {
    if (phase.phase.number == programme.current_phase) current = &phase;
  }
  for (const PlanItem& item : current->items) {
    const Exercise* exercise = kb.FindExercise(item.exercise);
    if (exercise == nullptr) continue;
    const Dose* dose = exercise->DoseFor(current->phase.number);
    Prescription p;
    p.exercise = item.exercise;
    p.phase = current->phase.number;
    p.sets = item.sets;
    p.reps_min = item.reps_min;
    p.reps_max = item.reps_max;
    p.hold_seconds = item.hold_seconds;
    p.times_per_day = item.times_per_day;
    p.per_side = item.per_side;
    p.days = dose != nullptr ? dose->days : DoseDays::kDaily;
    plan.items.push_back(std::move(p));
  }
  for (const ExcludedItem& item : programme.excluded) plan.excluded.push_back(item.id);
  for (const SelfCareAdvice& advice : programme.self_care) {
    if (advice.allowed) plan.self_care.push_back(advice.self_care);
  }
  return plan;
}

Result<RowId> PersonId(Store& store) {
  auto profile = store.LocalProfile();
  if (!profile) return tl::unexpected(profile.error());
  return profile->person_id;
}

namespace {

// Runs `body(person)` as one transaction for the store's person: what it reads, decides and
// writes cannot interleave with another use case for the same person. A body that fails writes
// nothing.
template <typename Body>
auto InOneTransaction(Store& store, Body&& body) -> decltype(body(RowId{})) {
  using Out = decltype(body(RowId{}));
  auto person = PersonId(store);
  if (!person) return tl::unexpected(person.error());
  std::optional<Out> out;
  auto done = store.Transaction(*person, [&]() -> Result<void> {
    out.emplace(body(*person));
    if (!*out) return tl::unexpected(out->error());
    return {};
  });
  if (!done) return tl::unexpected(done.error());
  return std::move(*out);
}

}  // namespace

namespace {

// A pause event's details: {"level": "...", "red_flags": [...]}. Pauses from the safety net carry
// their escalation's level; pauses stored before details existed count as urgent.
TriageLevel PauseLevel(const KnowledgeBase& kb, const Event& e) {
  const json details = json::parse(e.details_json, nullptr, false);
  if (details.is_object() && details.contains("level") && details["level"].is_string()) {
    if (auto level = ParseTriageLevel(details["level"].get<std::string>())) return *level;
  }
  if (const EscalationText* text = kb.rules.FindEscalation(e.code)) return text->level;
  return TriageLevel::kUrgent;
}

std::vector<std::string> PauseRedFlags(const Event& e) {
  std::vector<std::string> out;
  const json details = json::parse(e.details_json, nullptr, false);
  if (details.is_object() && details.contains("red_flags") && details["red_flags"].is_array()) {
    for (const json& id : details["red_flags"]) {
      if (id.is_string()) out.push_back(id.get<std::string>());
    }
  }
  return out;
}

json PauseDetails(const KnowledgeBase& kb, TriageLevel level,
                  const std::vector<MatchedRedFlag>& flags) {
  json ids = json::array();
  for (const MatchedRedFlag& m : flags)
    ids.push_back(kb.red_flags[static_cast<std::size_t>(m.red_flag)].id);
  return {{"level", ToString(level)}, {"red_flags", ids}};
}

// The danger answers of a check-in read over the person's history: answers the latest assessment
// gave to questions about lasting facts only (age, how it started, past illnesses, activities), so
// that a sign resting on them is judged as at the assessment; the check-in's own answers win.
// Read leniently: an answer the knowledge base no longer knows is left out.
Answers WithHistory(const KnowledgeBase& kb, const std::optional<StoredAssessment>& assessment,
                    const Answers& answers) {
  Answers merged;
  if (assessment) {
    const json stored = json::parse(assessment->answers_json, nullptr, false);
    if (stored.is_object() && stored.contains("answers") && stored["answers"].is_object()) {
      for (const auto& [id, value] : stored["answers"].items()) {
        const Question* q = kb.FindQuestion(id);
        if (q == nullptr) continue;
        bool lasting = !q->findings.empty();
        for (const FindingRule& rule : q->findings) {
          lasting = lasting && kb.findings[static_cast<std::size_t>(rule.finding)].lasting;
        }
        if (!lasting) continue;
        if (auto parsed = ParseAnswerValue(*q, value)) merged[id] = *parsed;
      }
    }
  }
  for (const auto& [id, value] : answers) merged[id] = value;
  return merged;
}

// How a finding stands for clearing a danger sign: present, or open ("not sure", or a question
// that could ask about it left unanswered), or plainly absent (also when nothing could ask it).
Tri ClearingValue(const KnowledgeBase& kb, const FindingState& state, int finding) {
  const auto i = static_cast<std::size_t>(finding);
  if (state.unsure[i]) return Tri::kUnknown;  // a doubt reading is not a "no"
  if (state.findings[i] != Tri::kUnknown) return state.findings[i];
  for (std::size_t qi = 0; qi < kb.questions.size(); ++qi) {
    if (!state.applicable[qi] || state.answered[qi]) continue;
    for (const FindingRule& rule : kb.questions[qi].findings) {
      if (rule.finding == finding) return Tri::kUnknown;
    }
  }
  return Tri::kFalse;
}

// The current (not lasting) findings of a sign's pattern that are present, or open too when
// `with_open`: what the check-in must answer "no" to.
std::vector<std::string> Uncleared(const KnowledgeBase& kb, const RedFlag& flag,
                                   const FindingState& state, bool with_open) {
  std::vector<int> used;
  CollectFindings(flag.pattern, used);
  std::vector<std::string> out;
  for (int f : used) {
    const Tri v = ClearingValue(kb, state, f);
    const bool unsure = state.unsure[static_cast<std::size_t>(f)] && v == Tri::kUnknown;
    if (kb.findings[static_cast<std::size_t>(f)].lasting || v == Tri::kFalse) continue;
    if (v == Tri::kTrue || unsure || with_open)
      out.push_back(kb.findings[static_cast<std::size_t>(f)].text);
  }
  return out;
}

std::string AndList(const std::vector<std::string>& items) {
  std::string list;
  for (std::size_t i = 0; i < items.size(); ++i) {
    list += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  }
  return list;
}

// The red flags a clinician has seen the person for: those the last resume with a clinician's word
// recorded, until the next pause that is not theirs.
std::vector<std::string> Acknowledged(const std::vector<Event>& events) {
  std::vector<std::string> out;
  for (const Event& e : events) {
    if (e.kind != "resume") continue;
    const json details = json::parse(e.details_json, nullptr, false);
    if (!details.is_object() || !details.contains("acknowledged")) continue;
    out.clear();
    for (const json& id : details["acknowledged"]) {
      if (id.is_string()) out.push_back(id.get<std::string>());
    }
  }
  return out;
}

}  // namespace

Result<State> Tracker::Load() {
  State state;
  auto profile = store_.LocalProfile();
  if (!profile) return tl::unexpected(profile.error());
  state.profile = *profile;
  const RowId person = profile->person_id;
  auto assessments = store_.Assessments(person);
  if (!assessments) return tl::unexpected(assessments.error());
  if (!assessments->empty()) state.assessment = assessments->back();
  auto versions = store_.ProgrammeVersions(person);
  if (!versions) return tl::unexpected(versions.error());
  if (!versions->empty()) {
    state.version = versions->back();
    auto plan = ParsePlan(state.version->programme_json);
    if (!plan) return tl::unexpected(plan.error());
    state.plan = std::move(*plan);
  }
  auto events = store_.Events(person);
  if (!events) return tl::unexpected(events.error());
  for (const Event& e : *events) {
    if (e.kind == "pause") {
      state.paused = true;
      state.pause_message = e.message;
      state.pause_level = std::max(state.pause_level, PauseLevel(kb_, e));
      for (const std::string& flag : PauseRedFlags(e)) {
        if (std::find(state.pause_red_flags.begin(), state.pause_red_flags.end(), flag) ==
            state.pause_red_flags.end()) {
          state.pause_red_flags.push_back(flag);
        }
      }
    } else if (e.kind == "resume") {
      state.paused = false;
      state.pause_message.clear();
      state.pause_level = TriageLevel::kSelfCare;
      state.pause_red_flags.clear();
    }
  }
  return state;
}

Result<RowId> Tracker::SaveAssessment(const Answers& answers, const Assessment& assessment) {
  auto person = PersonId(store_);
  if (!person) return tl::unexpected(person.error());
  const TimeSeconds now = clock_.Now();
  RowId id = 0;
  auto done = store_.Transaction(*person, [&]() -> Result<void> {
    StoredAssessment stored{0,
                            *person,
                            now,
                            assessment.knowledge_version,
                            AnswersDocument(answers).dump(),
                            AssessmentJson(kb_, assessment).dump()};
    auto added = store_.AddAssessment(stored);
    if (!added) return tl::unexpected(added.error());
    id = *added;
    if (auto plan = PlanFromAssessment(kb_, assessment, answers, LocalDay(now))) {
      if (auto ok = CheckPlan(kb_, *plan, LimitsOfAssessment(assessment)); !ok) {
        return MakeError(ErrorCode::kDataError,
                         "the programme built from this assessment breaks a rule of the "
                         "knowledge base (" +
                             ok.error().message + ")");
      }
      auto version = store_.AddProgrammeVersion(
          {0, *person, now, id, PlanJson(*plan).dump(),
           "Your programme, built from your assessment on " + LocalDate(LocalDay(now)) + "."});
      if (!version) return tl::unexpected(version.error());
      HIPCOACH_TRY(store_.AddEvent({0, *person, now, "programme_change", "assessment",
                                    "A new programme from your assessment.", "{}"}));
    }
    // An assessment that needs a doctor pauses tracking; a later self-care one resumes it.
    auto state = Load();
    if (!state) return tl::unexpected(state.error());
    if (assessment.triage.level >= TriageLevel::kUrgent) {
      HIPCOACH_TRY(store_.AddEvent(
          {0, *person, now, "pause", "assessment", kb_.rules.Level(assessment.triage.level).action,
           PauseDetails(kb_, assessment.triage.level, assessment.triage.red_flags).dump()}));
    } else if (state->paused && state->pause_level < TriageLevel::kUrgent) {
      // A complete new danger screen without danger signs lifts a routine pause. After an urgent
      // or emergency pause, resuming also needs the person's word that a clinician has seen
      // them (Resume).
      HIPCOACH_TRY(store_.AddEvent({0, *person, now, "resume", "assessment",
                                    "A new assessment found no danger signs.", "{}"}));
    }
    return {};
  });
  if (!done) return tl::unexpected(done.error());
  return id;
}

Result<std::vector<DailyPain>> Tracker::DailyPainScores(int start_day) {
  auto person = PersonId(store_);
  if (!person) return tl::unexpected(person.error());
  auto checkins = store_.CheckIns(*person, LocalTime(start_day, 0, 0), kAll);
  if (!checkins) return tl::unexpected(checkins.error());
  std::map<int, std::pair<double, int>> by_day;
  for (const CheckIn& c : *checkins) {
    auto& [sum, count] = by_day[LocalDay(c.at) - start_day];
    sum += c.pain_now;
    ++count;
  }
  std::vector<DailyPain> out;
  for (const auto& [day, total] : by_day) {
    out.push_back(DailyPain{day, total.first / total.second});
  }
  return out;
}

Result<std::vector<SessionOutcome>> Tracker::History(const ActivePlan& plan,
                                                     const Prescription& item) {
  auto person = PersonId(store_);
  if (!person) return tl::unexpected(person.error());
  const int first = plan.start_day + item.since_day;
  const int today = LocalDay(clock_.Now());
  auto logs = store_.ExerciseLogs(*person, LocalTime(first, 0, 0), LocalTime(today + 1, 0, 0) - 1);
  if (!logs) return tl::unexpected(logs.error());
  auto checkins = store_.CheckIns(*person, LocalTime(first - 1, 0, 0), LocalTime(today + 2, 0, 0));
  if (!checkins) return tl::unexpected(checkins.error());
  std::map<int, SessionOutcome> by_day;
  std::map<int, TimeSeconds> first_log_at;
  for (const ExerciseLog& log : *logs) {
    if (log.exercise != item.exercise) continue;
    const int day = LocalDay(log.at);
    auto [it, fresh] = by_day.try_emplace(day);
    SessionOutcome& s = it->second;
    s.day = day - plan.start_day;
    if (fresh) {
      s.sets_done = log.sets;
      s.reps_every_set = log.reps;
      s.pain_during = log.pain;
      first_log_at[day] = log.at;
    } else {
      // Several entries a day (two sides, or twice a day): the weaker one counts.
      s.sets_done = std::min(s.sets_done, log.sets);
      s.reps_every_set = std::min(s.reps_every_set, log.reps);
      s.pain_during = std::max(s.pain_during, log.pain);
    }
  }
  for (auto& [day, s] : by_day) {
    const TimeSeconds started = first_log_at[day];
    for (const CheckIn& c : *checkins) {
      if (c.at <= started && LocalDay(c.at) >= day - 1) s.pain_before = c.pain_now;
    }
    for (const CheckIn& c : *checkins) {
      if (LocalDay(c.at) == day + 1 && LocalHour(c.at) < 12) {
        s.pain_next_morning = c.pain_now;
        break;
      }
    }
  }
  std::vector<SessionOutcome> out;
  for (int day = first; day <= today; ++day) {
    auto it = by_day.find(day);
    if (it != by_day.end()) {
      out.push_back(it->second);
    } else if (day < today && ScheduledOn(item.days, day - plan.start_day)) {
      SessionOutcome missed;
      missed.day = day - plan.start_day;
      missed.missed = true;
      out.push_back(missed);
    }
  }
  return out;
}

Result<Tracker::Progressed> Tracker::Progress(const State& state) {
  Progressed out;
  if (!state.plan || state.paused) return out;
  std::vector<ItemDecision>& decisions = out.decisions;
  ActivePlan& next = out.plan;
  next = *state.plan;
  const int today = LocalDay(clock_.Now()) - next.start_day;
  std::vector<std::string> reasons;
  std::vector<Event>& events = out.events;
  const TimeSeconds now = clock_.Now();
  auto pain = DailyPainScores(next.start_day);
  if (!pain) return tl::unexpected(pain.error());
  const PainRise rise = Rise(kb_.rules, *pain, today);
  ProgressionContext context;
  context.today = today;
  context.phase = next.phase;
  context.flare = rise.flare || rise.sustained;
  context.excluded = next.excluded;
  // The phase moves with the calendar, one phase at a time, while the last week went well.
  bool settled = !context.flare;
  for (Prescription& item : next.items) {
    auto history = History(*state.plan, item);
    if (!history) return tl::unexpected(history.error());
    // Only what happened before today decides today's plan; today's own log counts tomorrow,
    // except pain above the limits, which eases that exercise at once (once: the eased
    // prescription starts today, so today's log no longer counts for it).
    std::vector<SessionOutcome> before;
    for (const SessionOutcome& s : *history) {
      const bool red_today = s.day == today && !s.missed && today > item.since_day &&
                             Zone(kb_.rules, s.pain_during) == PainZone::kRed;
      if (s.day < today || red_today) before.push_back(s);
      if (s.day > today - 7 && !s.missed &&
          (Zone(kb_.rules, s.pain_during) == PainZone::kRed ||
           (s.pain_before && s.pain_next_morning && *s.pain_next_morning > *s.pain_before))) {
        settled = false;
      }
    }
    Decision decision = DecideProgression(kb_, item, before, context);
    decisions.push_back(ItemDecision{item, decision});
    if (decision.next == item) continue;
    reasons.push_back(decision.reason);
    json details = {{"decision", ToString(decision.kind)},
                    {"from", item.exercise},
                    {"to", decision.next.exercise},
                    {"sources", decision.sources}};
    events.push_back(Event{0, state.profile.person_id, now, "programme_change", decision.code,
                           decision.reason, details.dump()});
    item = decision.next;
  }
  if (const int phase = NextPhase(kb_.rules, next.phase, today, settled); phase != next.phase) {
    next.phase = phase;
    const std::size_t reasons_before = reasons.size();
    for (std::size_t i = 0; i < next.items.size(); ++i) {
      Prescription& item = next.items[i];
      auto entered = EnterPhase(kb_, item, phase, today, next.excluded);
      if (!entered) {
        item.phase = phase;
        continue;
      }
      const Decision& decision = *entered;
      if (decision.next == item) continue;
      if (decision.kind != DecisionKind::kHold) reasons.push_back(decision.reason);
      json details = {{"decision", ToString(decision.kind)},
                      {"from", item.exercise},
                      {"to", decision.next.exercise},
                      {"sources", decision.sources}};
      if (decision.kind != DecisionKind::kHold) {
        events.push_back(Event{0, state.profile.person_id, now, "programme_change", decision.code,
                               decision.reason, details.dump()});
      }
      // The item's decision for today is the phase's: it replaces the one made above.
      decisions[i].decision = decision;
      item = decision.next;
    }
    if (reasons.size() == reasons_before) {
      reasons.push_back(fmt::format("Your programme has moved on to phase {}.", phase));
    }
  }
  if (reasons.empty()) return out;
  if (auto ok =
          CheckNewVersion(kb_, store_, state.profile.person_id, next, state.version->assessment_id);
      !ok) {
    // The same check as every writer of a programme: a change past a limit is not made, and the
    // data that led to it is kept all the same.
    out.refused =
        "The programme stays as it is for now: the change it was due for would go past "
        "one of hipcoach's safety limits (" +
        ok.error().message + ").";
    for (ItemDecision& d : decisions) d.decision.next = d.before;
    out.events.clear();
    return out;
  }
  for (const std::string& r : reasons) out.reason += (out.reason.empty() ? "" : " ") + r;
  out.changed = true;
  return out;
}

Result<Tracker::Progressed> Tracker::ApplyProgression() {
  auto state = Load();
  if (!state) return tl::unexpected(state.error());
  auto progressed = Progress(*state);
  if (!progressed || !progressed->changed) return progressed;
  const RowId person = state->profile.person_id;
  auto version =
      store_.AddProgrammeVersion({0, person, clock_.Now(), state->version->assessment_id,
                                  PlanJson(progressed->plan).dump(), progressed->reason});
  if (!version) return tl::unexpected(version.error());
  for (const Event& e : progressed->events) {
    if (auto added = store_.AddEvent(e); !added) return tl::unexpected(added.error());
  }
  return progressed;
}

Result<std::vector<ItemDecision>> Tracker::UpdateProgramme() {
  return InOneTransaction(store_, [&](RowId) -> Result<std::vector<ItemDecision>> {
    auto progressed = ApplyProgression();
    if (!progressed) return tl::unexpected(progressed.error());
    return std::move(progressed->decisions);
  });
}

Result<State> Tracker::LoadToday(std::vector<ItemDecision>* pending) {
  auto state = Load();
  if (!state) return state;
  auto progressed = Progress(*state);
  if (!progressed) return tl::unexpected(progressed.error());
  if (progressed->changed) state->plan = std::move(progressed->plan);
  if (pending != nullptr) *pending = std::move(progressed->decisions);
  return state;
}

Result<std::vector<Escalation>> Tracker::CheckSafety() {
  return InOneTransaction(store_, [&](RowId) { return RaiseEscalations(); });
}

Result<std::vector<Escalation>> Tracker::RaiseEscalations() {
  auto state = Load();
  if (!state) return tl::unexpected(state.error());
  const RowId person = state->profile.person_id;
  std::vector<Escalation> raised;
  if (!state->plan) return raised;
  const TimeSeconds now = clock_.Now();
  SafetyInput input;
  input.today = LocalDay(now) - state->plan->start_day;
  input.pain_days_at_start = state->plan->pain_days_at_start;
  auto pain = DailyPainScores(state->plan->start_day);
  if (!pain) return tl::unexpected(pain.error());
  input.pain = std::move(*pain);
  auto checkins = store_.CheckIns(person, LocalTime(state->plan->start_day, 0, 0), kAll);
  if (!checkins) return tl::unexpected(checkins.error());
  // Routine escalations are raised once; urgent ones once per pause (again after a resume, and
  // then only from what was logged after it).
  auto events = store_.Events(person);
  if (!events) return tl::unexpected(events.error());
  TimeSeconds resumed_at = kNone;
  for (const Event& e : *events) {
    if (e.kind == "resume") resumed_at = e.at;
  }
  if (resumed_at != kNone) input.rise_from_day = LocalDay(resumed_at) - state->plan->start_day;
  if (!checkins->empty() && checkins->back().at > resumed_at) {
    input.latest_pain_now = checkins->back().pain_now;
  }
  for (const CheckIn& c : *checkins) {
    if (!c.change.empty()) input.latest_change = c.change;
  }
  auto logs = store_.ExerciseLogs(person, LocalTime(LocalDay(now) - 7, 0, 0), kAll);
  if (!logs) return tl::unexpected(logs.error());
  // Each day's highest pain in the last week (after a resume), at rest or during an exercise.
  std::map<int, int> peak;
  for (const ExerciseLog& log : *logs) {
    if (log.at <= resumed_at) continue;
    const int day = LocalDay(log.at) - state->plan->start_day;
    peak[day] = std::max(peak[day], log.pain);
    if (LocalDay(log.at) >= LocalDay(now) - 1) {
      input.latest_exercise_pain = std::max(input.latest_exercise_pain.value_or(0), log.pain);
    }
  }
  for (const CheckIn& c : *checkins) {
    if (c.at <= resumed_at || LocalDay(c.at) < LocalDay(now) - 7) continue;
    const int day = LocalDay(c.at) - state->plan->start_day;
    peak[day] = std::max(peak[day], c.pain_now);
  }
  for (const auto& [day, score] : peak) input.peak.push_back(DailyPain{day, double(score)});
  std::vector<std::string> since_resume;
  TimeSeconds last_change_answer = 0;
  for (const CheckIn& c : *checkins) {
    if (c.change == "much_worse") last_change_answer = c.at;
  }
  for (const Event& e : *events) {
    if (e.kind == "resume") since_resume.clear();
    if (e.kind != "escalation") continue;
    const EscalationText* text = kb_.rules.FindEscalation(e.code);
    const bool urgent = text != nullptr && text->level >= TriageLevel::kUrgent;
    // Routine advice is given once; self-care advice (a flare, one high score) once a week.
    const bool self_care = text != nullptr && text->level == TriageLevel::kSelfCare;
    if (!urgent && (!self_care || e.at > now - 7 * 24 * 3600)) input.already.push_back(e.code);
    if (urgent) since_resume.push_back(e.code);
    // A "much worse" answer is acted on once.
    if (e.code == "much_worse" && e.at >= last_change_answer) input.already.push_back(e.code);
  }
  for (const std::string& id : since_resume) input.already.push_back(id);
  if (state->paused) {
    // Already paused: only routine advice can still be added.
    for (const char* id :
         {"much_worse", "flare", "pain_rise", "pain_high", "pain_high_sustained"}) {
      input.already.push_back(id);
    }
  }
  raised = CheckEscalations(kb_, input);
  bool paused = state->paused;
  for (const Escalation& e : raised) {
    json details = {{"level", ToString(e.level)}, {"sources", e.sources}};
    HIPCOACH_TRY(store_.AddEvent({0, person, now, "escalation", e.id, e.message, details.dump()}));
    if (e.pause && !paused) {
      HIPCOACH_TRY(store_.AddEvent({0, person, now, "pause", e.id, e.message, "{}"}));
      paused = true;
    }
  }
  return raised;
}

Result<std::vector<MatchedRedFlag>> Tracker::RecordDangerAnswers(const Answers& answers) {
  return InOneTransaction(store_,
                          [&](RowId person) { return MatchDangerAnswers(person, answers); });
}

Result<std::vector<MatchedRedFlag>> Tracker::MatchDangerAnswers(RowId person,
                                                                const Answers& answers) {
  auto signs = DangerSigns(answers);
  if (!signs) return signs;
  std::vector<MatchedRedFlag>& matched = *signs;
  if (matched.empty()) return signs;
  const TimeSeconds now = clock_.Now();
  TriageLevel level = TriageLevel::kSelfCare;
  for (const MatchedRedFlag& m : matched) {
    const RedFlag& flag = kb_.red_flags[static_cast<std::size_t>(m.red_flag)];
    level = std::max(level, flag.level);
    json details = {{"level", ToString(flag.level)},
                    {"uncertain", m.uncertain},
                    {"answers", AnswersDocument(answers)["answers"]}};
    HIPCOACH_TRY(
        store_.AddEvent({0, person, now, "danger_sign", flag.id, flag.action, details.dump()}));
  }
  // Each new danger sign is recorded with the pause, so that resuming needs it answered "no".
  HIPCOACH_TRY(store_.AddEvent({0, person, now, "pause", "danger_sign",
                                EscalationMessage(kb_, "danger_sign", 0, 0, 0),
                                PauseDetails(kb_, level, matched).dump()}));
  return signs;
}

Result<std::vector<MatchedRedFlag>> Tracker::DangerSigns(const Answers& answers) {
  auto state = Load();
  if (!state) return tl::unexpected(state.error());
  auto events = store_.Events(state->profile.person_id);
  if (!events) return tl::unexpected(events.error());
  const std::vector<std::string> seen = Acknowledged(*events);
  const FindingState findings = DeriveFindings(kb_, WithHistory(kb_, state->assessment, answers));
  // A sign resting on lasting facts alone that a clinician has already seen the person for (a
  // past cancer, say) is not raised again every week; a new current finding raises it.
  std::vector<MatchedRedFlag> matched;
  for (MatchedRedFlag& m : MatchRedFlags(kb_, findings, Unasked::kAbsent)) {
    const RedFlag& flag = kb_.red_flags[static_cast<std::size_t>(m.red_flag)];
    const bool acknowledged = std::find(seen.begin(), seen.end(), flag.id) != seen.end();
    if (acknowledged && Uncleared(kb_, flag, findings, false).empty()) continue;
    matched.push_back(std::move(m));
  }
  return matched;
}

std::vector<const Question*> Tracker::DangerQuestions(const State& state) const {
  // The danger-sign stage, and any other question that asks about a current finding of a sign
  // that paused the programme (polymyalgia's aching shoulders, say), in interview order.
  std::vector<int> current;
  for (const std::string& id : state.pause_red_flags) {
    if (const RedFlag* flag = kb_.FindRedFlag(id)) {
      std::vector<int> used;
      CollectFindings(flag->pattern, used);
      for (int f : used) {
        if (!kb_.findings[static_cast<std::size_t>(f)].lasting) current.push_back(f);
      }
    }
  }
  std::vector<const Question*> out;
  for (int qi : kb_.interview_order) {
    const Question& q = kb_.questions[static_cast<std::size_t>(qi)];
    if (q.is_follow_up) continue;
    bool asks = q.stage == Stage::kRedFlag;
    for (const FindingRule& rule : q.findings) {
      asks = asks || std::find(current.begin(), current.end(), rule.finding) != current.end();
    }
    if (asks) out.push_back(&q);
  }
  return out;
}

Result<bool> Tracker::DangerCheckDue() {
  auto person = PersonId(store_);
  if (!person) return tl::unexpected(person.error());
  const TimeSeconds now = clock_.Now();
  const int today = LocalDay(now);
  auto checkins =
      store_.CheckIns(*person, LocalTime(today - kb_.rules.danger_check_days + 1, 0, 0), kAll);
  if (!checkins) return tl::unexpected(checkins.error());
  for (const CheckIn& c : *checkins) {
    if (c.danger_check) return false;
  }
  // The assessment itself screened for danger signs.
  auto assessments = store_.Assessments(*person);
  if (!assessments) return tl::unexpected(assessments.error());
  if (!assessments->empty() &&
      LocalDay(assessments->back().at) > today - kb_.rules.danger_check_days) {
    return false;
  }
  return true;
}

Result<void> Tracker::Resume(const Answers& danger_answers, bool clinician_seen) {
  auto person = PersonId(store_);
  if (!person) return tl::unexpected(person.error());
  return store_.Transaction(*person, [&]() -> Result<void> {
    auto state = Load();
    if (!state) return tl::unexpected(state.error());
    if (!state->paused) return MakeError(ErrorCode::kInvalidInput, "The programme is not paused.");
    const FindingState findings =
        DeriveFindings(kb_, WithHistory(kb_, state->assessment, danger_answers));
    // Each sign that paused the programme must be cleared by plain answers about its current
    // findings ("not sure" or no answer is not a no); one that rests on lasting facts alone (a
    // past cancer, a fall at 65) is cleared by a clinician's word. Any other danger sign in the
    // answers keeps it paused too.
    bool needs_clinician = state->pause_level >= TriageLevel::kUrgent;
    json acknowledged = json::array();
    const std::vector<MatchedRedFlag> matched = MatchRedFlags(kb_, findings, Unasked::kAbsent);
    for (const RedFlag& flag : kb_.red_flags) {
      const auto index = static_cast<int>(&flag - kb_.red_flags.data());
      const bool paused_for =
          std::find(state->pause_red_flags.begin(), state->pause_red_flags.end(), flag.id) !=
          state->pause_red_flags.end();
      const bool matches =
          std::any_of(matched.begin(), matched.end(),
                      [&](const MatchedRedFlag& m) { return m.red_flag == index; });
      if (paused_for) {
        const auto value = [&](int f) { return ClearingValue(kb_, findings, f); };
        if (Evaluate(flag.pattern, value, NoCauses) == Tri::kFalse) continue;
      } else if (!matches) {
        continue;
      }
      const std::vector<std::string> open = Uncleared(kb_, flag, findings, paused_for);
      if (!open.empty()) {
        return MakeError(
            ErrorCode::kInvalidInput,
            fmt::format("{} \"{}\". To resume, answer with a plain no (not \"not sure\") "
                        "about: {}.",
                        paused_for ? "The programme was paused for" : "Your answers show",
                        flag.name, AndList(open)));
      }
      needs_clinician = true;
      acknowledged.push_back(flag.id);
    }
    if (needs_clinician && !clinician_seen) {
      return MakeError(ErrorCode::kInvalidInput,
                       fmt::format("{} Resume it once a doctor or physiotherapist has seen you and "
                                   "said it is safe, and confirm that they have.",
                                   state->pause_level >= TriageLevel::kUrgent
                                       ? "The programme was paused because you needed to see a "
                                         "doctor."
                                       : "What you have told us (your history, not how you are "
                                         "now) is something a doctor should look at."));
    }
    const json details = {{"clinician_seen", clinician_seen},
                          {"acknowledged", acknowledged},
                          {"answers", AnswersDocument(danger_answers)["answers"]}};
    auto id = store_.AddEvent(
        {0, *person, clock_.Now(), "resume", "resume",
         clinician_seen ? "A clinician has seen you and there are no danger signs: resumed."
                        : "No danger signs at the check-in: resumed.",
         details.dump()});
    if (!id) return tl::unexpected(id.error());
    return {};
  });
}

Result<Updates> Tracker::Record(const std::function<Result<void>(RowId person)>& write) {
  return InOneTransaction(store_, [&](RowId person) -> Result<Updates> {
    HIPCOACH_TRY(write(person));
    return FollowNewData();
  });
}

Result<Updates> Tracker::FollowNewData() {
  Updates out;
  auto state = Load();
  if (!state) return tl::unexpected(state.error());
  if (!state->plan) return out;
  out.has_programme = true;
  auto raised = RaiseEscalations();
  if (!raised) return tl::unexpected(raised.error());
  out.escalations = std::move(*raised);
  auto progressed = ApplyProgression();
  if (!progressed) return tl::unexpected(progressed.error());
  out.decisions = std::move(progressed->decisions);
  out.progression_refused = std::move(progressed->refused);
  return out;
}

Result<CheckInOutcome> Tracker::RecordCheckIn(const CheckInInput& input) {
  return InOneTransaction(store_, [&](RowId person) -> Result<CheckInOutcome> {
    CheckInOutcome out;
    auto state = Load();
    if (!state) return tl::unexpected(state.error());
    CheckIn c = input.checkin;
    c.person_id = person;
    c.at = clock_.Now();
    c.danger_check = input.danger_answers.has_value();
    if (input.danger_answers) {
      auto matched = input.danger_recorded ? DangerSigns(*input.danger_answers)
                                           : MatchDangerAnswers(person, *input.danger_answers);
      if (!matched) return tl::unexpected(matched.error());
      out.red_flags = std::move(*matched);
      if (out.red_flags.empty() && input.resume && state->paused) {
        // The check-in is kept either way; a resume the rules do not allow says why.
        auto resumed = Resume(*input.danger_answers, input.clinician_seen);
        if (!resumed && resumed.error().code != ErrorCode::kInvalidInput) {
          return tl::unexpected(resumed.error());
        }
        out.resumed = resumed.has_value();
        if (!resumed) out.not_resumed = resumed.error().message;
      }
    } else if (input.resume && state->paused) {
      out.not_resumed = "Resuming needs the danger-sign questions answered at this check-in.";
    }
    auto id = store_.AddCheckIn(c);
    if (!id) return tl::unexpected(id.error());
    out.id = *id;
    // The weekly check-in's pain is also an outcome measure (NPRS), as is the PSFS.
    if (c.danger_check) {
      OutcomeRecord nprs{0, person, c.at, "nprs", static_cast<double>(c.pain_now), {}};
      if (auto o = store_.AddOutcome(nprs); !o) return tl::unexpected(o.error());
    }
    if (input.psfs) {
      OutcomeRecord psfs = *input.psfs;
      psfs.person_id = person;
      psfs.at = c.at;
      if (auto o = store_.AddOutcome(psfs); !o) return tl::unexpected(o.error());
    }
    auto updates = FollowNewData();
    if (!updates) return tl::unexpected(updates.error());
    out.updates = std::move(*updates);
    return out;
  });
}

}  // namespace hipcoach::tracking
