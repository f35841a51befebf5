// Export and import (include/hipcoach/tracking_export.hpp).
#include "hipcoach/tracking_export.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "hipcoach/json_reader.hpp"
#include "hipcoach/tracking.hpp"

namespace hipcoach::tracking {
namespace {

using json = nlohmann::json;

template <typename T>
json Opt(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json ParsedOrText(const std::string& text) {
  auto parsed = ReadUntrustedJson(text, json_limits::Stored());
  return parsed ? std::move(*parsed) : json(text);
}

// A strict reader that names the place of the first problem.
struct ParseFailure {
  std::string message;
};

class Reader {
 public:
  Reader(const json& value, std::string path) : value_(value), path_(std::move(path)) {}

  [[noreturn]] void Fail(const std::string& what) const {
    throw ParseFailure{fmt::format("{}: {}", path_, what)};
  }
  Reader At(const std::string& key) const {
    if (!value_.is_object()) Fail("must be an object");
    auto it = value_.find(key);
    if (it == value_.end()) Fail(fmt::format("'{}' is missing", key));
    return Reader(*it, path_ + "." + key);
  }
  bool Has(const std::string& key) const {
    return value_.is_object() && value_.contains(key) && !value_.at(key).is_null();
  }
  void Keys(std::initializer_list<std::string_view> allowed) const {
    if (!value_.is_object()) Fail("must be an object");
    for (const auto& [key, v] : value_.items()) {
      bool ok = false;
      for (std::string_view a : allowed) ok = ok || key == a;
      if (!ok) Fail(fmt::format("unknown field '{}'", key));
    }
  }
  std::int64_t Int() const {
    if (!value_.is_number_integer()) Fail("must be a whole number");
    return value_.get<std::int64_t>();
  }
  int SmallInt() const {
    const std::int64_t v = Int();
    if (v < -1000000 || v > 1000000) Fail("is out of range");
    return static_cast<int>(v);
  }
  double Number() const {
    if (!value_.is_number()) Fail("must be a number");
    const double v = value_.get<double>();
    if (!std::isfinite(v)) Fail("must be a number");
    return v;
  }
  bool Bool() const {
    if (!value_.is_boolean()) Fail("must be true or false");
    return value_.get<bool>();
  }
  std::string String() const {
    if (!value_.is_string()) Fail("must be text");
    return value_.get<std::string>();
  }
  TimeSeconds Time() const {
    auto t = ParseIsoUtc(String());
    if (!t) Fail("must be a UTC time such as 2026-01-05T08:00:00Z");
    return *t;
  }
  // Nested JSON, kept as text. JSON given as a string must itself pass the reader's limits.
  std::string Json() const {
    if (!value_.is_string()) return value_.dump();
    const std::string text = value_.get<std::string>();
    if (auto parsed = ReadUntrustedJson(text, json_limits::Stored()); !parsed) {
      Fail("must be JSON (" + parsed.error().what + ")");
    }
    return text;
  }
  template <typename Fn>
  void Each(Fn fn) const {
    if (!value_.is_array()) Fail("must be a list");
    for (std::size_t i = 0; i < value_.size(); ++i) {
      fn(Reader(value_[i], fmt::format("{}[{}]", path_, i)));
    }
  }
  template <typename T, typename Fn>
  std::optional<T> Optional(const std::string& key, Fn fn) const {
    if (!Has(key)) return std::nullopt;
    return fn(At(key));
  }

 private:
  const json& value_;
  std::string path_;
};

std::string Csv(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

template <typename T>
std::string CsvOpt(const std::optional<T>& value) {
  return value ? fmt::format("{}", *value) : std::string();
}

void Row(std::string& out, std::initializer_list<std::string> fields) {
  bool first = true;
  for (const std::string& f : fields) {
    out += (first ? "" : ",") + Csv(f);
    first = false;
  }
  out += "\r\n";
}

}  // namespace

json ExerciseLogJson(const ExerciseLog& l) {
  return {{"id", l.id},
          {"at", IsoUtc(l.at)},
          {"session_id", Opt(l.session_id)},
          {"exercise", l.exercise},
          {"side", l.side},
          {"sets", l.sets},
          {"reps", l.reps},
          {"hold_seconds", l.hold_seconds},
          {"pain", l.pain},
          {"effort", Opt(l.effort)}};
}

json CheckInJson(const CheckIn& c) {
  json regions = json::array();
  for (const auto& r : c.regions) {
    regions.push_back({{"region", r.region}, {"side", r.side}, {"pain", r.pain}});
  }
  return {{"id", c.id},
          {"at", IsoUtc(c.at)},
          {"pain_now", c.pain_now},
          {"pain_worst", Opt(c.pain_worst)},
          {"regions", regions},
          {"slept_on_painful_side", Opt(c.slept_on_painful_side)},
          {"sitting_tolerance_minutes", Opt(c.sitting_tolerance_minutes)},
          {"running_km", Opt(c.running_km)},
          {"cycling_minutes", Opt(c.cycling_minutes)},
          {"sitting_hours", Opt(c.sitting_hours)},
          {"change", c.change},
          {"danger_check", c.danger_check}};
}

json ExportJson(const DataSet& d) {
  json out;
  out["format"] = "hipcoach-export";
  out["format_version"] = kExportFormatVersion;
  out["profile"] = {{"person_id", d.profile.person_id},
                    {"display_name", d.profile.display_name},
                    {"created_at", IsoUtc(d.profile.created_at)}};
  json& assessments = out["assessments"] = json::array();
  for (const auto& a : d.assessments) {
    assessments.push_back({{"id", a.id},
                           {"at", IsoUtc(a.at)},
                           {"knowledge_version", a.knowledge_version},
                           {"answers", ParsedOrText(a.answers_json)},
                           {"result", ParsedOrText(a.result_json)}});
  }
  json& programmes = out["programme_versions"] = json::array();
  for (const auto& p : d.programmes) {
    programmes.push_back({{"id", p.id},
                          {"at", IsoUtc(p.at)},
                          {"assessment_id", Opt(p.assessment_id)},
                          {"programme", ParsedOrText(p.programme_json)},
                          {"reason", p.reason}});
  }
  json& sessions = out["sessions"] = json::array();
  for (const auto& s : d.sessions) {
    sessions.push_back({{"id", s.id},
                        {"started_at", IsoUtc(s.started_at)},
                        {"ended_at", s.ended_at ? json(IsoUtc(*s.ended_at)) : json(nullptr)},
                        {"programme_version_id", Opt(s.programme_version_id)},
                        {"status", s.status},
                        {"state", ParsedOrText(s.state_json)}});
  }
  json& logs = out["exercise_logs"] = json::array();
  for (const auto& l : d.exercise_logs) logs.push_back(ExerciseLogJson(l));
  json& checkins = out["checkins"] = json::array();
  for (const auto& c : d.checkins) checkins.push_back(CheckInJson(c));
  json& outcomes = out["outcomes"] = json::array();
  for (const auto& o : d.outcomes) {
    json items = json::array();
    for (const auto& i : o.items) items.push_back({{"activity", i.activity}, {"score", i.score}});
    outcomes.push_back({{"id", o.id},
                        {"at", IsoUtc(o.at)},
                        {"measure", o.measure},
                        {"score", o.score},
                        {"items", items}});
  }
  json& events = out["events"] = json::array();
  for (const auto& e : d.events) {
    events.push_back({{"id", e.id},
                      {"at", IsoUtc(e.at)},
                      {"kind", e.kind},
                      {"code", e.code},
                      {"message", e.message},
                      {"details", ParsedOrText(e.details_json)}});
  }
  return out;
}

Result<DataSet> ParseExport(std::string_view text) {
  auto parsed = ReadUntrustedJson(text, json_limits::ImportFile());
  if (!parsed) {
    return MakeError(ErrorCode::kInvalidInput,
                     fmt::format("the file is not valid JSON ({}). Nothing was imported.",
                                 parsed.error().Describe()));
  }
  const json root = std::move(*parsed);
  try {
    DataSet d;
    const Reader r(root, "export");
    r.Keys({"format", "format_version", "profile", "assessments", "programme_versions", "sessions",
            "exercise_logs", "checkins", "outcomes", "events"});
    if (r.At("format").String() != "hipcoach-export") {
      r.At("format").Fail("this is not a hipcoach export");
    }
    if (r.At("format_version").Int() != kExportFormatVersion) {
      r.At("format_version")
          .Fail(fmt::format("this hipcoach reads format version {}", kExportFormatVersion));
    }
    const Reader p = r.At("profile");
    p.Keys({"person_id", "display_name", "created_at"});
    d.profile.person_id = p.At("person_id").Int();
    d.profile.display_name = p.At("display_name").String();
    d.profile.created_at = p.At("created_at").Time();
    const RowId person = d.profile.person_id;
    r.At("assessments").Each([&](const Reader& a) {
      a.Keys({"id", "at", "knowledge_version", "answers", "result"});
      d.assessments.push_back({a.At("id").Int(), person, a.At("at").Time(),
                               a.At("knowledge_version").String(), a.At("answers").Json(),
                               a.At("result").Json()});
    });
    r.At("programme_versions").Each([&](const Reader& v) {
      v.Keys({"id", "at", "assessment_id", "programme", "reason"});
      d.programmes.push_back(
          {v.At("id").Int(), person, v.At("at").Time(),
           v.Optional<RowId>("assessment_id", [](const Reader& x) { return x.Int(); }),
           v.At("programme").Json(), v.At("reason").String()});
    });
    r.At("sessions").Each([&](const Reader& s) {
      s.Keys({"id", "started_at", "ended_at", "programme_version_id", "status", "state"});
      d.sessions.push_back(
          {s.At("id").Int(), person, s.At("started_at").Time(),
           s.Optional<TimeSeconds>("ended_at", [](const Reader& x) { return x.Time(); }),
           s.Optional<RowId>("programme_version_id", [](const Reader& x) { return x.Int(); }),
           s.At("status").String(), s.At("state").Json()});
    });
    r.At("exercise_logs").Each([&](const Reader& l) {
      l.Keys({"id", "at", "session_id", "exercise", "side", "sets", "reps", "hold_seconds", "pain",
              "effort"});
      ExerciseLog log;
      log.id = l.At("id").Int();
      log.person_id = person;
      log.at = l.At("at").Time();
      log.session_id = l.Optional<RowId>("session_id", [](const Reader& x) { return x.Int(); });
      log.exercise = l.At("exercise").String();
      log.side = l.At("side").String();
      log.sets = l.At("sets").SmallInt();
      log.reps = l.At("reps").SmallInt();
      log.hold_seconds = l.At("hold_seconds").SmallInt();
      log.pain = l.At("pain").SmallInt();
      log.effort = l.Optional<int>("effort", [](const Reader& x) { return x.SmallInt(); });
      d.exercise_logs.push_back(std::move(log));
    });
    r.At("checkins").Each([&](const Reader& c) {
      c.Keys({"id", "at", "pain_now", "pain_worst", "regions", "slept_on_painful_side",
              "sitting_tolerance_minutes", "running_km", "cycling_minutes", "sitting_hours",
              "change", "danger_check"});
      CheckIn ci;
      ci.id = c.At("id").Int();
      ci.person_id = person;
      ci.at = c.At("at").Time();
      ci.pain_now = c.At("pain_now").SmallInt();
      auto small = [](const Reader& x) { return x.SmallInt(); };
      auto number = [](const Reader& x) { return x.Number(); };
      ci.pain_worst = c.Optional<int>("pain_worst", small);
      c.At("regions").Each([&](const Reader& g) {
        g.Keys({"region", "side", "pain"});
        ci.regions.push_back(
            {g.At("region").String(), g.At("side").String(), g.At("pain").SmallInt()});
      });
      ci.slept_on_painful_side =
          c.Optional<bool>("slept_on_painful_side", [](const Reader& x) { return x.Bool(); });
      ci.sitting_tolerance_minutes = c.Optional<int>("sitting_tolerance_minutes", small);
      ci.running_km = c.Optional<double>("running_km", number);
      ci.cycling_minutes = c.Optional<int>("cycling_minutes", small);
      ci.sitting_hours = c.Optional<double>("sitting_hours", number);
      ci.change = c.At("change").String();
      ci.danger_check = c.At("danger_check").Bool();
      d.checkins.push_back(std::move(ci));
    });
    r.At("outcomes").Each([&](const Reader& o) {
      o.Keys({"id", "at", "measure", "score", "items"});
      OutcomeRecord rec;
      rec.id = o.At("id").Int();
      rec.person_id = person;
      rec.at = o.At("at").Time();
      rec.measure = o.At("measure").String();
      rec.score = o.At("score").Number();
      o.At("items").Each([&](const Reader& i) {
        i.Keys({"activity", "score"});
        rec.items.push_back({i.At("activity").String(), i.At("score").SmallInt()});
      });
      d.outcomes.push_back(std::move(rec));
    });
    r.At("events").Each([&](const Reader& e) {
      e.Keys({"id", "at", "kind", "code", "message", "details"});
      d.events.push_back({e.At("id").Int(), person, e.At("at").Time(), e.At("kind").String(),
                          e.At("code").String(), e.At("message").String(), e.At("details").Json()});
    });
    if (auto ok = ValidateDataSet(d); !ok) {
      return MakeError(ErrorCode::kInvalidInput,
                       fmt::format("the file is not a valid hipcoach export: {}. Nothing was "
                                   "imported.",
                                   ok.error().message));
    }
    return d;
  } catch (const ParseFailure& failure) {
    return MakeError(ErrorCode::kInvalidInput,
                     fmt::format("the file is not a valid hipcoach export: {}. Nothing was "
                                 "imported.",
                                 failure.message));
  }
}

std::map<std::string, std::string> ExportCsv(const DataSet& d) {
  std::map<std::string, std::string> files;
  std::string& logs = files["exercise_logs.csv"];
  Row(logs, {"id", "time_utc", "local_date", "session_id", "exercise", "side", "sets", "reps",
             "hold_seconds", "pain", "effort"});
  for (const auto& l : d.exercise_logs) {
    Row(logs, {std::to_string(l.id), IsoUtc(l.at), LocalDate(LocalDay(l.at)), CsvOpt(l.session_id),
               l.exercise, l.side, std::to_string(l.sets), std::to_string(l.reps),
               std::to_string(l.hold_seconds), std::to_string(l.pain), CsvOpt(l.effort)});
  }
  std::string& checkins = files["checkins.csv"];
  Row(checkins, {"id", "time_utc", "local_date", "pain_now", "pain_worst", "regions",
                 "slept_on_painful_side", "sitting_tolerance_minutes", "running_km",
                 "cycling_minutes", "sitting_hours", "change", "danger_check"});
  for (const auto& c : d.checkins) {
    std::string regions;
    for (const auto& r : c.regions) {
      regions += fmt::format("{}{}:{}:{}", regions.empty() ? "" : ";", r.region, r.side, r.pain);
    }
    Row(checkins,
        {std::to_string(c.id), IsoUtc(c.at), LocalDate(LocalDay(c.at)), std::to_string(c.pain_now),
         CsvOpt(c.pain_worst), regions,
         c.slept_on_painful_side ? (*c.slept_on_painful_side ? "yes" : "no") : "",
         CsvOpt(c.sitting_tolerance_minutes), CsvOpt(c.running_km), CsvOpt(c.cycling_minutes),
         CsvOpt(c.sitting_hours), c.change, c.danger_check ? "yes" : "no"});
  }
  std::string& outcomes = files["outcomes.csv"];
  Row(outcomes, {"id", "time_utc", "measure", "score", "items"});
  for (const auto& o : d.outcomes) {
    std::string items;
    for (const auto& i : o.items) {
      items += fmt::format("{}{}={}", items.empty() ? "" : "; ", i.activity, i.score);
    }
    Row(outcomes,
        {std::to_string(o.id), IsoUtc(o.at), o.measure, fmt::format("{}", o.score), items});
  }
  std::string& events = files["events.csv"];
  Row(events, {"id", "time_utc", "kind", "code", "message"});
  for (const auto& e : d.events) {
    Row(events, {std::to_string(e.id), IsoUtc(e.at), e.kind, e.code, e.message});
  }
  return files;
}

}  // namespace hipcoach::tracking
