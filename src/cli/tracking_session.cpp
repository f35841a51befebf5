// `hipcoach session`: a guided session in the terminal. Each exercise with its instructions, a
// hold timer per side with a countdown and a switch-sides cue, rest between sets, ice and heat
// timers that stop at their limit. Each exercise is logged as soon as it is done, so a session can
// be stopped (q, or the end of input) and resumed later the same day.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "hipcoach/json_reader.hpp"
#include "tracking_commands.hpp"
#include "tracking_prompt.hpp"

namespace hipcoach::cli {
namespace {

using tracking::Clock;
using tracking::Tracker;

// A countdown on one line; the clock decides whether it really waits.
void Countdown(Clock& clock, std::ostream& out, const std::string& label, int seconds, bool fast) {
  for (int left = seconds; left > 0; --left) {
    if (!fast || left == seconds) out << fmt::format("\r  {} {:>3} s ", label, left) << std::flush;
    clock.Sleep(1);
  }
  out << fmt::format("\r  {} done.     \n", label) << std::flush;
}

// A long timer (ice, heat) that reports each minute and stops at its limit.
void MinuteTimer(Clock& clock, std::ostream& out, const std::string& label, int minutes) {
  for (int left = minutes; left > 0; --left) {
    out << fmt::format("\r  {}: {:>2} min left ", label, left) << std::flush;
    clock.Sleep(60);
  }
  out << "\n";
}

std::vector<std::string> Sides(const Prescription& item, const std::string& painful_side) {
  if (!item.per_side) return {"both"};
  // The less painful side first.
  if (painful_side == "left") return {"right", "left"};
  return {"left", "right"};
}

}  // namespace

int Session(const KnowledgeBase& kb, Store& store, Clock& clock, const SessionOptions& options,
            std::istream& in, std::ostream& out, std::ostream& err) {
  Tracker tracker(kb, store, clock);
  auto state = tracker.Load();
  if (!state) {
    err << "hipcoach: " << state.error().message << "\n";
    return kExitFailure;
  }
  if (!state->plan) {
    err << "hipcoach: there is no programme yet. Run 'hipcoach assess' first.\n";
    return kExitFailure;
  }
  if (state->paused) {
    out << "Your programme is paused: " << state->pause_message
        << "\nWhen a doctor or physiotherapist says it is safe, run 'hipcoach checkin "
           "--resume'.\n";
    return kExitFailure;
  }
  // Today's plan, with what the logs call for (a gentle restart after a gap, say); the change is
  // saved with this session's logs.
  std::vector<tracking::ItemDecision> pending;
  state = tracker.LoadToday(&pending);
  if (!state) {
    err << "hipcoach: " << state.error().message << "\n";
    return kExitFailure;
  }
  ShowChanges(pending, "Your programme has changed:", out);
  const tracking::ActivePlan& plan = *state->plan;
  const RowId person = state->profile.person_id;
  const int today = tracking::LocalDay(clock.Now());
  std::vector<Prescription> items;
  for (const Prescription& item : plan.items) {
    if (ScheduledOn(item.days, today - plan.start_day)) items.push_back(item);
  }
  if (items.empty()) {
    out << "Today is a rest day in your programme: gentle stretches and an easy walk only.\n";
    return kExitOk;
  }

  // Resume today's unfinished session, unless asked to start again.
  SessionRecord session;
  std::size_t next = 0;
  auto sessions = store.Sessions(person);
  if (!sessions) {
    err << "hipcoach: " << sessions.error().message << "\n";
    return kExitFailure;
  }
  for (const SessionRecord& s : *sessions) {
    if (s.status != "completed" && tracking::LocalDay(s.started_at) == today) session = s;
  }
  if (session.id != 0 && !options.restart) {
    const auto saved =
        ReadUntrustedJson(session.state_json, json_limits::Stored()).value_or(nlohmann::json());
    next = static_cast<std::size_t>(IntField(saved, "next", 0, 0, 1000));
    if (next >= items.size()) next = 0;
    out << fmt::format("Carrying on with today's session from exercise {} of {}.\n", next + 1,
                       items.size());
  } else {
    session = SessionRecord{
        0, person, clock.Now(), std::nullopt, state->version->id, "in_progress", R"({"next":0})"};
    auto id = store.AddSession(session);
    if (!id) {
      err << "hipcoach: " << id.error().message << "\n";
      return kExitFailure;
    }
    session.id = *id;
    out << fmt::format(
        "Today's session: {} exercise{}. Type q at any prompt to stop; what you "
        "have done is saved.\n",
        items.size(), items.size() == 1 ? "" : "s");
  }
  Prompter p(in, out);
  const Rules& rules = kb.rules;
  auto stop = [&]() {
    session.status = "stopped";
    session.state_json = nlohmann::json{{"next", next}}.dump();
    (void)store.UpdateSession(session);
    out << fmt::format(
        "\nStopped. Everything up to here is saved; run 'hipcoach session' again "
        "today to carry on from exercise {} of {}.\n",
        next + 1, items.size());
    return kExitOk;
  };

  for (; next < items.size(); ++next) {
    const Prescription& item = items[next];
    const Exercise* exercise = kb.FindExercise(item.exercise);
    const std::string name = exercise != nullptr ? exercise->name : item.exercise;
    out << fmt::format(
        "\n=== {} of {}: {} ===\n{} set{} of {}-{}{}{}\n", next + 1, items.size(), name, item.sets,
        item.sets == 1 ? "" : "s", item.reps_min, item.reps_max,
        item.hold_seconds > 0 ? fmt::format(", {} s holds", item.hold_seconds) : std::string(),
        item.per_side ? ", each side" : "");
    if (exercise != nullptr) {
      int step = 0;
      for (const std::string& line : exercise->instructions) {
        out << fmt::format("  {}. {}\n", ++step, line);
      }
    }
    auto go = p.Line("Press Enter to start, s to skip this one, q to stop");
    if (!go) return stop();
    if (*go == "s") {
      out << "Skipped.\n";
      continue;
    }
    const std::vector<std::string> sides = Sides(item, plan.painful_side);
    for (std::size_t s = 0; s < sides.size(); ++s) {
      if (sides[s] != "both") {
        out << fmt::format("\n{} {} side\n", s == 0 ? "Start with your" : "Switch sides: now your",
                           sides[s]);
        Countdown(clock, out, "Get ready", rules.get_ready_seconds, options.fast);
      }
      for (int set = 1; set <= item.sets; ++set) {
        out << fmt::format("Set {} of {}{}\n", set, item.sets,
                           sides[s] == "both" ? "" : " (" + sides[s] + ")");
        if (item.hold_seconds > 0) {
          for (int rep = 1; rep <= item.reps_max; ++rep) {
            Countdown(clock, out, fmt::format("Hold {}/{}", rep, item.reps_max), item.hold_seconds,
                      options.fast);
            if (rep < item.reps_max) Countdown(clock, out, "Relax", 3, options.fast);
          }
        } else {
          auto done =
              p.Line(fmt::format("Do {}-{} reps, then press Enter", item.reps_min, item.reps_max));
          if (!done) return stop();
        }
        if (set < item.sets) Countdown(clock, out, "Rest", rules.rest_seconds, options.fast);
      }
    }
    // How it went, per side; logged at once with the session's progress.
    std::vector<ExerciseLog> logs;
    for (const std::string& side : sides) {
      const std::string where = side == "both" ? "" : " (" + side + " side)";
      auto reps =
          p.AskInt(fmt::format("Reps on your hardest set{}? (Enter = {})", where, item.reps_max), 0,
                   100, true);
      if (reps.stopped) return stop();
      auto pain = p.AskInt(fmt::format("Highest pain during it{}, 0-10?", where), 0, 10, false);
      if (pain.stopped) return stop();
      ExerciseLog log;
      log.person_id = person;
      log.at = clock.Now();
      log.session_id = session.id;
      log.exercise = item.exercise;
      log.side = side;
      log.sets = item.sets;
      log.reps = reps.value.value_or(item.reps_max);
      log.hold_seconds = item.hold_seconds;
      log.pain = *pain.value;
      logs.push_back(log);
      if (log.pain > rules.pain_acceptable_max) {
        out << fmt::format(
            "That is above {} out of 10. Ease off: fewer reps or a smaller "
            "movement next time, and skip the rest of this exercise today if it "
            "stays high.\n",
            rules.pain_acceptable_max);
      }
    }
    auto effort = p.AskInt("How hard did it feel, 0-10? (Enter to skip)", 0, 10, true);
    if (effort.stopped) return stop();
    for (ExerciseLog& log : logs) log.effort = effort.value;
    session.state_json = nlohmann::json{{"next", next + 1}}.dump();
    auto written = store.Transaction(person, [&]() -> Result<void> {
      for (const ExerciseLog& log : logs) {
        if (auto id = store.AddExerciseLog(log); !id) return tl::unexpected(id.error());
      }
      return store.UpdateSession(session);
    });
    if (!written) {
      err << "hipcoach: " << written.error().message << "\n";
      return kExitFailure;
    }
  }

  // Ice and heat, when allowed for this person; the timers stop at the knowledge base's limit.
  for (const SelfCare& care : kb.self_care) {
    if (care.kind != "cold" && care.kind != "heat") continue;
    if (std::find(plan.self_care.begin(), plan.self_care.end(), care.id) == plan.self_care.end()) {
      continue;
    }
    const int limit = kb.SelfCareMaxMinutes(care);
    auto want =
        p.AskYesNo(fmt::format("Would you like a {}-minute timer for {}?", limit, care.name));
    if (!want || !*want) continue;
    for (const std::string& line : care.instructions) out << "  - " << line << "\n";
    MinuteTimer(clock, out, care.name, limit);
    out << fmt::format("The timer stops at {} minutes: take it off now.\n", limit);
  }

  session.status = "completed";
  session.ended_at = clock.Now();
  session.state_json = nlohmann::json{{"next", items.size()}}.dump();
  auto updates = tracker.Record([&](RowId) { return store.UpdateSession(session); });
  if (!updates) {
    err << "hipcoach: " << updates.error().message << "\n";
    return kExitFailure;
  }
  out << "\nSession complete and saved. Well done.\n";
  // The changes shown when the session started are the ones saved now: not shown twice.
  std::erase_if(updates->decisions, [&](const tracking::ItemDecision& d) {
    return std::any_of(pending.begin(), pending.end(), [&](const tracking::ItemDecision& shown) {
      return shown.before == d.before && shown.decision.next == d.decision.next;
    });
  });
  ShowUpdates(kb, *updates, out);
  return kExitOk;
}

}  // namespace hipcoach::cli
