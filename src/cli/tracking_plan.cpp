// `hipcoach plan`, `progress`, `export`, `import`, `calendar` and `report`.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "hipcoach/app.hpp"
#include "hipcoach/programme_check.hpp"
#include "hipcoach/tracking_export.hpp"
#include "tracking_commands.hpp"

namespace hipcoach::cli {
namespace {

using tracking::Clock;
using tracking::Tracker;

const char* kDayNames[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};

}  // namespace

// Writes `text` to `path` through a temporary file, so a failure never leaves half a file. A path
// that exists and is not a regular file (/dev/null, a pipe, a terminal) is written in place: a
// rename would replace the device with a file.
bool WriteFile(const std::string& path, const std::string& text, std::ostream& err) {
  std::error_code status_ec;
  const auto status = std::filesystem::status(path, status_ec);
  if (!status_ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    std::ofstream file(path, std::ios::binary);
    file << text;
    file.flush();
    if (!file) {
      err << fmt::format("hipcoach: could not write '{}'.\n", path);
      return false;
    }
    return true;
  }
  const std::string temp = path + ".tmp";
  {
    std::ofstream file(temp, std::ios::binary);
    file << text;
    if (!file) {
      err << fmt::format("hipcoach: could not write '{}'. Check that the folder exists.\n", path);
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    err << fmt::format("hipcoach: could not write '{}' ({}).\n", path, ec.message());
    return false;
  }
  return true;
}

int Emit(const std::string& output, const std::string& text, const std::string& what,
         std::ostream& out, std::ostream& err) {
  if (output.empty() || output == "-") {
    out << text;
    return kExitOk;
  }
  if (!WriteFile(output, text, err)) return kExitFailure;
  out << fmt::format("Wrote {} to {}\n", what, output);
  return kExitOk;
}

namespace {

std::optional<tracking::State> NeedPlan(Tracker& tracker, std::ostream& err) {
  auto state = tracker.Load();
  if (!state) {
    err << "hipcoach: " << state.error().message << "\n";
    return std::nullopt;
  }
  if (!state->plan) {
    err << "hipcoach: there is no programme yet. Run 'hipcoach assess' first; it saves your "
           "programme here.\n";
    return std::nullopt;
  }
  return std::move(*state);
}

}  // namespace

int Plan(const KnowledgeBase& kb, Store& store, Clock& clock, std::ostream& out,
         std::ostream& err) {
  Tracker tracker(kb, store, clock);
  if (!NeedPlan(tracker, err)) return kExitFailure;
  // The plan as the logs make it today (a restart after a gap, missed sessions); looking saves
  // nothing: the change is saved with the next check-in, session or log.
  std::vector<tracking::ItemDecision> pending;
  auto today_state = tracker.LoadToday(&pending);
  if (!today_state) {
    err << "hipcoach: " << today_state.error().message << "\n";
    return kExitFailure;
  }
  ShowChanges(pending, "Your programme changes from today:", out);
  auto state = std::optional<tracking::State>(std::move(*today_state));
  const tracking::ActivePlan& plan = *state->plan;
  const int today = tracking::LocalDay(clock.Now());
  std::string phase_name;
  for (const Phase& phase : kb.rules.phases) {
    if (phase.number == plan.phase) phase_name = phase.name;
  }
  out << fmt::format("Your plan for this week (phase {}: {}; week {} of your programme)\n",
                     plan.phase, phase_name, (today - plan.start_day) / 7 + 1);
  if (state->paused) {
    out << "\nYour programme is paused: " << state->pause_message
        << "\nWhen a doctor or physiotherapist says it is safe, run 'hipcoach checkin --resume'.\n";
    return kExitOk;
  }
  for (int day = today; day < today + 7; ++day) {
    const int offset = day - plan.start_day;
    out << fmt::format("\n{} {}{}\n", kDayNames[((day % 7) + 7) % 7], tracking::LocalDate(day),
                       day == today ? " (today)" : "");
    bool any = false;
    for (const Prescription& item : plan.items) {
      if (!ScheduledOn(item.days, offset)) continue;
      any = true;
      const Exercise* exercise = kb.FindExercise(item.exercise);
      out << fmt::format(
          "  - {}: {} x {}-{}{}{}{}\n", exercise != nullptr ? exercise->name : item.exercise,
          item.sets, item.reps_min, item.reps_max,
          item.hold_seconds > 0 ? fmt::format(", hold {} s", item.hold_seconds) : std::string(),
          item.per_side ? ", each side" : "",
          item.load_steps > 0
              ? fmt::format(" (+{} load step{})", item.load_steps, item.load_steps == 1 ? "" : "s")
              : std::string());
    }
    if (!any) out << "  Rest day: gentle stretches and an easy walk only.\n";
  }
  out << fmt::format(
      "\nPain during the exercises: 0-{} is fine; up to {} is acceptable if it has settled by the "
      "next morning. Stand up and move every {} minutes when you sit.\n",
      kb.rules.pain_safe_max, kb.rules.pain_acceptable_max, kb.rules.sitting_break_minutes);
  if (state->version) out << "Why this plan: " << state->version->reason << "\n";
  auto due = tracker.DangerCheckDue();
  if (due && *due) out << "Your weekly check-in is due: run 'hipcoach checkin'.\n";
  return kExitOk;
}

int Progress(const KnowledgeBase& kb, Store& store, Clock& clock, std::ostream& out,
             std::ostream& err) {
  Tracker tracker(kb, store, clock);
  auto state = NeedPlan(tracker, err);
  if (!state) return kExitFailure;
  auto data = store.Export(state->profile.person_id);
  if (!data) {
    err << "hipcoach: " << data.error().message << "\n";
    return kExitFailure;
  }
  const tracking::Summary summary = tracking::Summarise(kb, *data, *state->plan, clock.Now());
  out << tracking::ProgressText(kb, summary, *state);
  return kExitOk;
}

std::optional<DataSet> LocalData(Store& store, std::ostream& err) {
  auto person = tracking::PersonId(store);
  if (!person) {
    err << "hipcoach: " << person.error().message << "\n";
    return std::nullopt;
  }
  auto data = store.Export(*person);
  if (!data) {
    err << "hipcoach: " << data.error().message << "\n";
    return std::nullopt;
  }
  return std::move(*data);
}

int Export(Store& store, const std::string& output, const std::string& csv_dir, std::ostream& out,
           std::ostream& err) {
  const auto data = LocalData(store, err);
  if (!data) return kExitFailure;
  if (!csv_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(csv_dir, ec);
    for (const auto& [name, text] : tracking::ExportCsv(*data)) {
      std::string path = csv_dir;
      path += "/";
      path += name;
      if (!WriteFile(path, text, err)) return kExitFailure;
    }
    out << fmt::format("Wrote exercise_logs.csv, checkins.csv, outcomes.csv and events.csv to {}\n",
                       csv_dir);
    if (output.empty()) return kExitOk;
  }
  return Emit(output, tracking::ExportJson(*data).dump(2) + "\n", "your data", out, err);
}

int Import(const KnowledgeBase& kb, Store& store, const std::string& file, bool replace,
           std::ostream& out, std::ostream& err) {
  auto text = app::ReadFile(file, app::kMaxImportFileBytes);
  if (!text) {
    err << "hipcoach: " << text.error().message << ". Nothing was imported.\n";
    return kExitBadInput;
  }
  auto data = tracking::ParseExport(*text);
  if (!data) {
    err << "hipcoach: " << file << ": " << data.error().message << "\n";
    return kExitBadInput;
  }
  // The file's programmes pass the check every writer of a programme passes.
  if (auto ok = tracking::CheckProgrammes(kb, *data); !ok) {
    err << "hipcoach: " << file
        << ": the file is not a valid hipcoach export: " << ok.error().message
        << ". Nothing was imported.\n";
    return kExitBadInput;
  }
  if (auto ok = store.Import(*data, replace); !ok) {
    err << "hipcoach: " << ok.error().message << "\n";
    return ok.error().code == ErrorCode::kInvalidInput ? kExitBadInput : kExitFailure;
  }
  out << fmt::format(
      "Imported {} assessments, {} programme versions, {} sessions, {} exercise entries, {} "
      "check-ins, {} outcome scores and {} events.\n",
      data->assessments.size(), data->programmes.size(), data->sessions.size(),
      data->exercise_logs.size(), data->checkins.size(), data->outcomes.size(),
      data->events.size());
  return kExitOk;
}

int Calendar(const KnowledgeBase& kb, Store& store, Clock& clock,
             const tracking::CalendarOptions& options, const std::string& output, std::ostream& out,
             std::ostream& err) {
  Tracker tracker(kb, store, clock);
  auto state = NeedPlan(tracker, err);
  if (!state) return kExitFailure;
  return Emit(output, tracking::CalendarIcs(kb, *state->plan, state->profile, options, clock.Now()),
              "your calendar", out, err);
}

int Report(const KnowledgeBase& kb, Store& store, Clock& clock, const std::string& output,
           std::ostream& out, std::ostream& err) {
  Tracker tracker(kb, store, clock);
  auto state = NeedPlan(tracker, err);
  if (!state) return kExitFailure;
  auto data = store.Export(state->profile.person_id);
  if (!data) {
    err << "hipcoach: " << data.error().message << "\n";
    return kExitFailure;
  }
  const TimeSeconds now = clock.Now();
  const tracking::Summary summary = tracking::Summarise(kb, *data, *state->plan, now);
  return Emit(output, tracking::ReportHtml(kb, *data, *state, summary, now), "the report", out,
              err);
}

}  // namespace hipcoach::cli
