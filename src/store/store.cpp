// Range checks shared by every Store implementation, and the default database path.
#include "hipcoach/store.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "hipcoach/json_reader.hpp"
#include "store_records.hpp"

namespace hipcoach {
namespace {

Result<void> Fail(std::string message) {
  return MakeError(ErrorCode::kInvalidInput, std::move(message));
}

Result<void> InRange(std::string_view what, double value, double low, double high) {
  if (!std::isfinite(value) || value < low || value > high) {
    return Fail(fmt::format("{} must be from {} to {} (got {})", what, low, high, value));
  }
  return {};
}

template <typename T>
Result<void> InRange(std::string_view what, const std::optional<T>& value, double low,
                     double high) {
  if (!value) return {};
  return InRange(what, static_cast<double>(*value), low, high);
}

Result<void> OneOf(std::string_view what, const std::string& value,
                   std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed) {
    if (value == a) return {};
  }
  std::string list;
  for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  return Fail(fmt::format("{} must be one of {} (got '{}')", what, list, value));
}

// Stored JSON is read back and sent out again, so it must pass the limits of the reader of
// untrusted JSON (depth above all: nothing deep may reach a recursive serialiser).
Result<void> Json(std::string_view what, const std::string& text) {
  auto parsed = ReadUntrustedJson(text, json_limits::Stored());
  if (!parsed) return Fail(fmt::format("{} is not usable JSON ({})", what, parsed.error().what));
  return {};
}

Result<void> NonEmpty(std::string_view what, const std::string& text) {
  if (text.empty()) return Fail(fmt::format("{} must not be empty", what));
  return {};
}

#define HIPCOACH_CHECK(expr)                 \
  do {                                       \
    if (auto ok_ = (expr); !ok_) return ok_; \
  } while (false)

}  // namespace

Result<void> ValidateRecord(const ExerciseLog& log) {
  HIPCOACH_CHECK(NonEmpty("the exercise", log.exercise));
  HIPCOACH_CHECK(OneOf("the side", log.side, {"left", "right", "both"}));
  HIPCOACH_CHECK(InRange("sets", log.sets, 0, 20));
  HIPCOACH_CHECK(InRange("reps", log.reps, 0, 100));
  HIPCOACH_CHECK(InRange("the hold", log.hold_seconds, 0, 600));
  HIPCOACH_CHECK(InRange("pain during the exercise", log.pain, 0, 10));
  HIPCOACH_CHECK(InRange("effort", log.effort, 0, 10));
  return {};
}

Result<void> ValidateRecord(const CheckIn& c) {
  HIPCOACH_CHECK(InRange("pain now", c.pain_now, 0, 10));
  HIPCOACH_CHECK(InRange("worst pain", c.pain_worst, 0, 10));
  for (const RegionPain& r : c.regions) {
    HIPCOACH_CHECK(NonEmpty("a body region", r.region));
    HIPCOACH_CHECK(OneOf("the side of a body region", r.side, {"left", "right", "both", ""}));
    HIPCOACH_CHECK(InRange(fmt::format("pain in '{}'", r.region), r.pain, 0, 10));
  }
  HIPCOACH_CHECK(InRange("sitting tolerance (minutes)", c.sitting_tolerance_minutes, 0, 1440));
  HIPCOACH_CHECK(InRange("running (km)", c.running_km, 0, 300));
  HIPCOACH_CHECK(InRange("cycling (minutes)", c.cycling_minutes, 0, 1440));
  HIPCOACH_CHECK(InRange("sitting (hours)", c.sitting_hours, 0, 24));
  HIPCOACH_CHECK(OneOf("the change since last week", c.change,
                       {"", "much_better", "better", "same", "worse", "much_worse"}));
  return {};
}

Result<void> ValidateRecord(const OutcomeRecord& o) {
  HIPCOACH_CHECK(OneOf("the outcome measure", o.measure, {"nprs", "psfs"}));
  HIPCOACH_CHECK(InRange("the score", o.score, 0, 10));
  if (o.measure == "psfs") {
    if (o.items.size() < 3 || o.items.size() > 5) {
      return Fail(fmt::format("the PSFS needs 3 to 5 activities (got {})", o.items.size()));
    }
    for (const PsfsItem& item : o.items) {
      HIPCOACH_CHECK(NonEmpty("a PSFS activity", item.activity));
      HIPCOACH_CHECK(InRange(fmt::format("the score for '{}'", item.activity), item.score, 0, 10));
    }
  } else if (!o.items.empty()) {
    return Fail("only the PSFS has activities");
  }
  return {};
}

Result<void> ValidateRecord(const Event& e) {
  HIPCOACH_CHECK(OneOf("the event kind", e.kind,
                       {"danger_sign", "escalation", "pause", "resume", "programme_change"}));
  HIPCOACH_CHECK(Json("the event details", e.details_json));
  return {};
}

Result<void> ValidateRecord(const SessionRecord& s) {
  HIPCOACH_CHECK(OneOf("the session status", s.status, {"in_progress", "completed", "stopped"}));
  HIPCOACH_CHECK(Json("the session state", s.state_json));
  if (s.ended_at && *s.ended_at < s.started_at)
    return Fail("a session cannot end before it starts");
  return {};
}

Result<void> ValidateRecord(const StoredAssessment& a) {
  HIPCOACH_CHECK(Json("the assessment answers", a.answers_json));
  HIPCOACH_CHECK(Json("the assessment result", a.result_json));
  return {};
}

Result<void> ValidateRecord(const ProgrammeVersion& p) {
  HIPCOACH_CHECK(Json("the programme", p.programme_json));
  HIPCOACH_CHECK(NonEmpty("the reason for a programme version", p.reason));
  return {};
}

namespace {
template <typename T>
Result<void> CheckAll(const std::vector<T>& records, std::string_view what, RowId person,
                      std::set<RowId>* ids) {
  std::set<RowId> seen;
  for (const T& r : records) {
    if (r.id <= 0) return Fail(fmt::format("a {} has no id", what));
    if (!seen.insert(r.id).second) return Fail(fmt::format("two {}s have the id {}", what, r.id));
    if (r.person_id != person) {
      return Fail(fmt::format("{} {} belongs to another person", what, r.id));
    }
    if (auto ok = ValidateRecord(r); !ok) {
      return Fail(fmt::format("{} {}: {}", what, r.id, ok.error().message));
    }
  }
  if (ids != nullptr) *ids = std::move(seen);
  return {};
}
}  // namespace

Result<void> ValidateDataSet(const DataSet& d) {
  const RowId person = d.profile.person_id;
  if (person <= 0) return Fail("the profile has no person id");
  std::set<RowId> assessments, programmes, sessions;
  HIPCOACH_CHECK(CheckAll(d.assessments, "assessment", person, &assessments));
  HIPCOACH_CHECK(CheckAll(d.programmes, "programme version", person, &programmes));
  HIPCOACH_CHECK(CheckAll(d.sessions, "session", person, &sessions));
  HIPCOACH_CHECK(CheckAll(d.exercise_logs, "exercise log", person, nullptr));
  HIPCOACH_CHECK(CheckAll(d.checkins, "check-in", person, nullptr));
  HIPCOACH_CHECK(CheckAll(d.outcomes, "outcome", person, nullptr));
  HIPCOACH_CHECK(CheckAll(d.events, "event", person, nullptr));
  for (const ProgrammeVersion& p : d.programmes) {
    if (p.assessment_id && assessments.count(*p.assessment_id) == 0) {
      return Fail(fmt::format("programme version {} refers to assessment {}, which is missing",
                              p.id, *p.assessment_id));
    }
  }
  for (const SessionRecord& s : d.sessions) {
    if (s.programme_version_id && programmes.count(*s.programme_version_id) == 0) {
      return Fail(fmt::format("session {} refers to programme version {}, which is missing", s.id,
                              *s.programme_version_id));
    }
  }
  for (const ExerciseLog& l : d.exercise_logs) {
    if (l.session_id && sessions.count(*l.session_id) == 0) {
      return Fail(fmt::format("exercise log {} refers to session {}, which is missing", l.id,
                              *l.session_id));
    }
  }
  return {};
}

std::string DefaultDatabasePath() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && *xdg == '/') return std::string(xdg) + "/hipcoach/hipcoach.db";
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.local/share/hipcoach/hipcoach.db";
}

namespace {

template <typename Records, typename Add>
Result<void> AddEach(const Records& records, Add add) {
  for (const auto& r : records) {
    if (auto added = add(r); !added) return tl::unexpected(added.error());
  }
  return {};
}

}  // namespace

Result<void> AddRecords(Store& store, const DataSet& d) {
  if (auto ok = AddEach(d.assessments, [&](const auto& r) { return store.AddAssessment(r); });
      !ok) {
    return ok;
  }
  if (auto ok = AddEach(d.programmes, [&](const auto& r) { return store.AddProgrammeVersion(r); });
      !ok) {
    return ok;
  }
  if (auto ok = AddEach(d.sessions, [&](const auto& r) { return store.AddSession(r); }); !ok) {
    return ok;
  }
  if (auto ok = AddEach(d.exercise_logs, [&](const auto& r) { return store.AddExerciseLog(r); });
      !ok) {
    return ok;
  }
  if (auto ok = AddEach(d.checkins, [&](const auto& r) { return store.AddCheckIn(r); }); !ok) {
    return ok;
  }
  if (auto ok = AddEach(d.outcomes, [&](const auto& r) { return store.AddOutcome(r); }); !ok) {
    return ok;
  }
  return AddEach(d.events, [&](const auto& r) { return store.AddEvent(r); });
}

}  // namespace hipcoach
