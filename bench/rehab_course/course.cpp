// Simulated courses of tracking (course.hpp).
#include "course.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <random>
#include <sstream>

#include "hipcoach/assessment.hpp"
#include "hipcoach/progression.hpp"
#include "hipcoach/serialize.hpp"
#include "hipcoach/store.hpp"
#include "hipcoach/tracking.hpp"

namespace hipcoach::course {
namespace {

using tracking::FakeClock;
using tracking::LocalDay;
using tracking::LocalTime;
using tracking::Tracker;

constexpr TimeSeconds kStart = 1767571200;  // 2026-01-05T00:00:00Z, a Monday

// What the person reports on `day` under a scenario: pain at rest in the morning, pain during the
// exercises, reps done as a share of the range, and whether they are away.
struct DayReport {
  int pain_now = 4;
  int pain_during = 2;
  bool top_of_range = true;  // false: the middle of the range
  bool away = false;
  int red_on_first_exercise = -1;  // pain during the first exercise of the day, when set
};

DayReport Report(Scenario scenario, int day) {
  DayReport r;
  // Improving: pain at rest from 5 towards 1 over about six weeks, a little during exercise.
  r.pain_now = std::max(1, 5 - day / 10);
  r.pain_during = day < 7 ? 2 : 1;
  switch (scenario) {
    case Scenario::kImproving:
      break;
    case Scenario::kFlaring:
      // A flare in week 4 after a busy weekend: pain at rest up 3 points for four days and one
      // session at 6 out of 10 (above the limits), then it settles.
      if (day >= 22 && day <= 25) r.pain_now += 3;
      if (day == 22) r.red_on_first_exercise = 6;
      if (day >= 22 && day <= 25) r.pain_during = 4;
      break;
    case Scenario::kStalling:
      r.pain_now = 5;
      r.pain_during = 3;
      r.top_of_range = false;
      break;
    case Scenario::kHoliday:
      // Ten days away in weeks 5-6: nothing logged, then back.
      r.away = day >= 29 && day <= 38;
      break;
  }
  return r;
}

std::string DoseText(const Prescription& p) {
  std::string text = fmt::format("{}x{}-{}", p.sets, p.reps_min, p.reps_max);
  if (p.hold_seconds > 0) text += fmt::format(" ({} s)", p.hold_seconds);
  if (p.per_side) text += " each side";
  if (p.times_per_day > 1) text += fmt::format(", {}x a day", p.times_per_day);
  if (p.load_steps > 0) text += fmt::format(", +{} load", p.load_steps);
  return text;
}

int FirstDosePhase(const Exercise& exercise) {
  int first = 0;
  for (const hipcoach::Dose& d : exercise.doses) {
    if (first == 0 || d.phase < first) first = d.phase;
  }
  return first == 0 ? 1 : first;
}

}  // namespace

const std::vector<Scenario>& AllScenarios() {
  static const std::vector<Scenario> all = {Scenario::kImproving, Scenario::kFlaring,
                                            Scenario::kStalling, Scenario::kHoliday};
  return all;
}

std::string ScenarioName(Scenario scenario) {
  switch (scenario) {
    case Scenario::kImproving:
      return "improving";
    case Scenario::kFlaring:
      return "flaring";
    case Scenario::kStalling:
      return "stalling";
    case Scenario::kHoliday:
      return "holiday";
  }
  return "?";
}

Result<Answers> CaseAnswers(const KnowledgeBase& kb, const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return MakeError(ErrorCode::kInvalidInput, fmt::format("{}: {}", path, e.description()));
  }
  const toml::table* answers = root["answers"].as_table();
  if (answers == nullptr) {
    return MakeError(ErrorCode::kInvalidInput, fmt::format("{}: no [answers] table", path));
  }
  std::ostringstream json;
  json << "{\"answers\": " << toml::json_formatter{*answers} << "}";
  return ParseAnswersDocument(kb, json.str(), path);
}

Result<Course> Simulate(const KnowledgeBase& kb, const Answers& answers, Scenario scenario,
                        int weeks) {
  auto assessment = Assess(kb, answers);
  if (!assessment) return tl::unexpected(assessment.error());
  Course course;
  course.scenario = scenario;
  if (!assessment->causes.empty()) {
    course.top_cause = kb.causes[static_cast<std::size_t>(assessment->causes.front().cause)].id;
  }
  // A throw-away database in the temporary folder.
  std::random_device seed;
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / fmt::format("hipcoach-course-{}-{}.db",
                                                           static_cast<unsigned>(seed()),
                                                           ScenarioName(scenario));
  struct Remove {
    std::filesystem::path path;
    ~Remove() {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
      std::filesystem::remove(path.string() + "-wal", ignored);
      std::filesystem::remove(path.string() + "-shm", ignored);
    }
  } remove{file};
  auto store = OpenSqliteStore(file.string());
  if (!store) return tl::unexpected(store.error());
  FakeClock clock(kStart + 8 * 3600);
  Tracker tracker(kb, **store, clock);
  if (auto saved = tracker.SaveAssessment(answers, *assessment); !saved) {
    return tl::unexpected(saved.error());
  }
  const int start_day = LocalDay(kStart);
  Week week;
  for (int day = 0; day < weeks * 7; ++day) {
    const DayReport r = Report(scenario, day);
    if (!r.away) {
      clock = FakeClock(LocalTime(start_day + day, 8, 0));
      tracking::CheckInInput input;
      input.checkin.pain_now = r.pain_now;
      auto checked = tracker.RecordCheckIn(input);
      if (!checked) return tl::unexpected(checked.error());
      for (const Escalation& e : checked->updates.escalations) week.events.push_back(e.id);
      for (const tracking::ItemDecision& d : checked->updates.decisions) {
        if (!(d.decision.next == d.before)) week.events.push_back(d.decision.code);
      }
      clock = FakeClock(LocalTime(start_day + day, 18, 0));
      auto state = tracker.LoadToday();
      if (!state) return tl::unexpected(state.error());
      if (state->plan && !state->paused) {
        bool first = true;
        for (const Prescription& p : state->plan->items) {
          if (!ScheduledOn(p.days, day)) continue;
          ExerciseLog log;
          log.person_id = state->profile.person_id;
          log.at = clock.Now();
          log.exercise = p.exercise;
          log.sets = p.sets;
          log.reps = r.top_of_range ? p.reps_max : (p.reps_min + p.reps_max) / 2;
          log.hold_seconds = p.hold_seconds;
          log.pain =
              first && r.red_on_first_exercise >= 0 ? r.red_on_first_exercise : r.pain_during;
          first = false;
          auto updates = tracker.Record([&](RowId) -> Result<void> {
            if (auto id = (*store)->AddExerciseLog(log); !id) return tl::unexpected(id.error());
            return {};
          });
          if (!updates) return tl::unexpected(updates.error());
          for (const Escalation& e : updates->escalations) week.events.push_back(e.id);
          for (const tracking::ItemDecision& d : updates->decisions) {
            if (!(d.decision.next == d.before)) week.events.push_back(d.decision.code);
          }
        }
      }
    }
    if (day % 7 == 6) {
      clock = FakeClock(LocalTime(start_day + day, 23, 0));
      auto state = tracker.LoadToday();
      if (!state) return tl::unexpected(state.error());
      week.week = day / 7 + 1;
      week.paused = state->paused;
      if (state->plan) {
        week.phase = state->plan->phase;
        for (const Prescription& p : state->plan->items) {
          const Exercise* exercise = kb.FindExercise(p.exercise);
          WeekItem item;
          item.exercise = p.exercise;
          item.name = exercise != nullptr ? exercise->name : p.exercise;
          item.dose = DoseText(p);
          item.load_steps = p.load_steps;
          item.first_dose_phase = exercise != nullptr ? FirstDosePhase(*exercise) : 1;
          week.items.push_back(std::move(item));
        }
      }
      course.weeks.push_back(std::move(week));
      week = Week{};
    }
  }
  return course;
}

std::vector<std::string> TimelineBreaches(const KnowledgeBase& kb, const Course& course) {
  std::vector<std::string> out;
  const Phase* last = nullptr;
  for (const Phase& p : kb.rules.phases) {
    if (last == nullptr || p.number > last->number) last = &p;
  }
  const int heavy_from_week = last != nullptr ? last->first_week : 7;
  const int heavy_phase = last != nullptr ? last->number : 3;
  int previous_phase = 1;
  for (const Week& w : course.weeks) {
    if (w.phase < previous_phase || w.phase > previous_phase + 1) {
      out.push_back(
          fmt::format("week {}: phase {} after phase {}", w.week, w.phase, previous_phase));
    }
    previous_phase = w.phase;
    for (const WeekItem& item : w.items) {
      if (w.week < heavy_from_week && item.first_dose_phase >= heavy_phase) {
        out.push_back(fmt::format("week {}: {} is heavy loading (phase {} only) before week {}",
                                  w.week, item.exercise, heavy_phase, heavy_from_week));
      }
      if (w.week < heavy_from_week && item.load_steps > 0) {
        out.push_back(fmt::format("week {}: added load on {} before week {}", w.week, item.exercise,
                                  heavy_from_week));
      }
    }
    if (course.scenario != Scenario::kStalling) {
      for (const std::string& id : w.events) {
        const EscalationText* text = kb.rules.FindEscalation(id);
        if (text != nullptr && text->level >= TriageLevel::kUrgent) {
          out.push_back(
              fmt::format("week {}: urgent escalation {} although the pain stayed "
                          "within the pain-monitoring limits",
                          w.week, id));
        }
      }
    }
  }
  return out;
}

std::string Markdown(const Course& course) {
  std::string out = "| week | phase | programme at the end of the week | what happened |\n";
  out += "|---|---|---|---|\n";
  for (const Week& w : course.weeks) {
    std::string items;
    for (const WeekItem& item : w.items) {
      items += (items.empty() ? "" : "; ") + item.name + " " + item.dose;
    }
    std::vector<std::string> seen;
    std::string events;
    for (const std::string& e : w.events) {
      if (std::find(seen.begin(), seen.end(), e) != seen.end()) continue;
      seen.push_back(e);
      const auto n = std::count(w.events.begin(), w.events.end(), e);
      events += (events.empty() ? "" : ", ") + e + (n > 1 ? fmt::format(" x{}", n) : "");
    }
    out += fmt::format("| {} | {}{} | {} | {} |\n", w.week, w.phase, w.paused ? " (paused)" : "",
                       items, events);
  }
  return out;
}

}  // namespace hipcoach::course
