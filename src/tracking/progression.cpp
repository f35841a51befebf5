// Progression and the tracking safety net (include/hipcoach/progression.hpp).
#include "hipcoach/progression.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace hipcoach {
namespace {

const Dose* DoseNear(const Exercise& exercise, int phase) {
  if (const Dose* dose = exercise.DoseFor(phase)) return dose;
  const Dose* best = nullptr;
  for (const Dose& dose : exercise.doses) {
    if (best == nullptr || std::abs(dose.phase - phase) < std::abs(best->phase - phase)) {
      best = &dose;
    }
  }
  return best;
}

bool Allowed(const std::vector<std::string>& excluded, const std::string& id) {
  return std::find(excluded.begin(), excluded.end(), id) == excluded.end();
}

std::string NameOf(const KnowledgeBase& kb, const std::string& id) {
  const Exercise* exercise = kb.FindExercise(id);
  return exercise != nullptr ? exercise->name : id;
}

std::string Lower(std::string text) {
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

// A prescription for another rung of the ladder, from that rung's own dose.
std::optional<Prescription> SwitchTo(const KnowledgeBase& kb, const Prescription& current,
                                     const std::string& id, int today) {
  const Exercise* exercise = kb.FindExercise(id);
  if (exercise == nullptr) return std::nullopt;
  const Dose* dose = DoseNear(*exercise, current.phase);
  if (dose == nullptr) return std::nullopt;
  Prescription next = current;
  next.exercise = id;
  next.sets = dose->sets;
  next.reps_min = dose->reps_min;
  next.reps_max = dose->reps_max;
  next.hold_seconds = dose->hold_seconds;
  next.times_per_day = dose->times_per_day;
  next.per_side = exercise->per_side;
  next.days = dose->days;
  next.load_steps = 0;
  next.since_day = today;
  return next;
}

std::string RepsText(const Prescription& p) {
  return fmt::format(
      "{} set{} of {}-{}{}{}", p.sets, p.sets == 1 ? "" : "s", p.reps_min, p.reps_max,
      p.hold_seconds > 0 ? fmt::format(" ({} s holds)", p.hold_seconds) : std::string(),
      p.per_side ? " on each side" : "");
}

// The easier rung, or less of the same exercise at the bottom of the ladder.
Decision Regress(const KnowledgeBase& kb, const Prescription& current, int today,
                 const std::vector<std::string>& excluded, std::string code, std::string why,
                 std::vector<std::string> sources) {
  Decision d;
  d.kind = DecisionKind::kRegress;
  d.code = std::move(code);
  d.sources = std::move(sources);
  const Exercise* exercise = kb.FindExercise(current.exercise);
  if (exercise != nullptr && !exercise->easier.empty() && Allowed(excluded, exercise->easier)) {
    if (auto easier = SwitchTo(kb, current, exercise->easier, today)) {
      d.next = *easier;
      d.reason = fmt::format("{} So we have swapped {} for the easier {}: {}.", why,
                             Lower(NameOf(kb, current.exercise)),
                             Lower(NameOf(kb, d.next.exercise)), RepsText(d.next));
      return d;
    }
  }
  d.next = current;
  d.next.since_day = today;
  if (current.load_steps > 0) {
    d.next.load_steps = current.load_steps - 1;
    d.next.reps_min = current.reps_min;
    d.reason = fmt::format("{} So take off the last bit of extra load you added to {} and do {}.",
                           why, Lower(NameOf(kb, current.exercise)), RepsText(d.next));
  } else if (current.sets > 1) {
    d.next.sets = current.sets - 1;
    d.reason = fmt::format("{} There is no easier version of {}, so do one set fewer: {}.", why,
                           Lower(NameOf(kb, current.exercise)), RepsText(d.next));
  } else {
    d.next.since_day = current.since_day;
    d.reason = fmt::format(
        "{} {} is already at its easiest; do fewer reps, stay in the comfortable range, and "
        "mention it to a GP or physiotherapist if it keeps happening.",
        why, NameOf(kb, current.exercise));
  }
  return d;
}

bool Progresses(const std::string& kind) {
  return kind == "strength" || kind == "isometric" || kind == "core";
}

bool WorseNextMorning(const SessionOutcome& s) {
  return s.pain_before && s.pain_next_morning && *s.pain_next_morning > *s.pain_before;
}

std::vector<std::string> Join(const std::vector<std::string>& a,
                              const std::vector<std::string>& b) {
  std::vector<std::string> out = a;
  for (const std::string& s : b) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

std::string Number(double value) {
  if (std::abs(value - std::round(value)) < 0.05) return fmt::format("{}", std::lround(value));
  return fmt::format("{:.1f}", value);
}

}  // namespace

std::string_view ToString(DecisionKind kind) {
  switch (kind) {
    case DecisionKind::kHold:
      return "hold";
    case DecisionKind::kProgress:
      return "progress";
    case DecisionKind::kRegress:
      return "regress";
    case DecisionKind::kRestart:
      return "restart";
  }
  return "hold";
}

PainZone Zone(const Rules& rules, int pain) {
  if (pain <= rules.pain_safe_max) return PainZone::kGreen;
  if (pain <= rules.pain_acceptable_max) return PainZone::kAmber;
  return PainZone::kRed;
}

bool ScheduledOn(DoseDays days, int day) {
  const int weekday = ((day % 7) + 7) % 7;
  switch (days) {
    case DoseDays::kRestDaysOk:
      return true;
    case DoseDays::kDaily:
      return weekday != 6;
    case DoseDays::kStrength:
      return weekday == 0 || weekday == 2 || weekday == 4;
  }
  return false;
}

int CalendarPhase(const Rules& rules, int today) {
  const int week = (today >= 0 ? today / 7 : 0) + 1;
  int phase = 1;
  for (const Phase& p : rules.phases) {
    if (week >= p.first_week) phase = std::max(phase, p.number);
  }
  return phase;
}

int NextPhase(const Rules& rules, int phase, int today, bool settled) {
  const int calendar = CalendarPhase(rules, today);
  if (!settled || calendar <= phase) return phase;
  return phase + 1;
}

std::optional<Decision> EnterPhase(const KnowledgeBase& kb, const Prescription& current, int phase,
                                   int today, const std::vector<std::string>& excluded) {
  const Exercise* exercise = kb.FindExercise(current.exercise);
  if (exercise == nullptr) return std::nullopt;
  Decision d;
  d.kind = DecisionKind::kProgress;
  d.sources = kb.rules.progression_sources;
  const Phase* named = nullptr;
  for (const Phase& p : kb.rules.phases) {
    if (p.number == phase) named = &p;
  }
  const std::string phase_name = named != nullptr
                                     ? fmt::format("phase {} ({})", phase, Lower(named->name))
                                     : fmt::format("phase {}", phase);
  Prescription moved = current;
  moved.phase = phase;
  if (exercise->DoseFor(phase) != nullptr) {
    auto next = SwitchTo(kb, moved, current.exercise, today);
    if (!next) return std::nullopt;
    // The new phase's dose, keeping any extra load already earned.
    next->load_steps = current.load_steps;
    Prescription same_dose = *next;
    same_dose.since_day = current.since_day;
    if (same_dose == moved) {
      // Nothing but the phase number changes: keep the rung's history.
      d.kind = DecisionKind::kHold;
      d.code = "phase_same_dose";
      d.next = moved;
      d.reason = fmt::format("{} stays as it is in {}.", NameOf(kb, current.exercise), phase_name);
      return d;
    }
    d.code = "phase_dose";
    d.next = *next;
    d.reason = fmt::format("Your programme has moved on to {}: {} is now {}.", phase_name,
                           Lower(NameOf(kb, current.exercise)), RepsText(d.next));
    return d;
  }
  // This rung has no dose in the new phase: the next rung up that has one, else the next down.
  for (const bool up : {true, false}) {
    for (const Exercise* rung = exercise;;) {
      const std::string& id = up ? rung->harder : rung->easier;
      if (id.empty()) break;
      rung = kb.FindExercise(id);
      if (rung == nullptr) break;
      if (rung->DoseFor(phase) == nullptr || !Allowed(excluded, id)) continue;
      auto next = SwitchTo(kb, moved, id, today);
      if (!next) break;
      d.code = up ? "phase_harder" : "phase_easier";
      d.next = *next;
      d.reason =
          fmt::format("Your programme has moved on to {}: {} makes way for {}: {}.", phase_name,
                      Lower(NameOf(kb, current.exercise)), Lower(NameOf(kb, id)), RepsText(d.next));
      return d;
    }
  }
  return std::nullopt;
}

Decision DecideProgression(const KnowledgeBase& kb, const Prescription& current,
                           const std::vector<SessionOutcome>& history,
                           const ProgressionContext& context) {
  const int today = context.today;
  const std::vector<std::string>& excluded = context.excluded;
  const Rules& rules = kb.rules;
  const Exercise* exercise = kb.FindExercise(current.exercise);
  const std::string name = NameOf(kb, current.exercise);
  const std::vector<std::string> pain_sources = rules.pain_monitoring_sources;
  const std::vector<std::string> progression_sources = rules.progression_sources;

  std::vector<const SessionOutcome*> done;
  for (const SessionOutcome& s : history) {
    if (!s.missed) done.push_back(&s);
  }

  Decision hold;
  hold.kind = DecisionKind::kHold;
  hold.next = current;

  // 1. Back after a long gap: restart gently, whatever happened before it. (Never started at
  // all: the missed-sessions rule below applies instead.)
  const int last_active = done.empty() ? current.since_day : done.back()->day;
  if (!done.empty() && today - last_active >= rules.restart_gap_days) {
    Decision d;
    d.kind = DecisionKind::kRestart;
    d.code = "restart_gap";
    d.sources = progression_sources;
    d.next = current;
    d.next.sets = std::min(current.sets, rules.restart_sets);
    d.next.load_steps = 0;
    d.next.since_day = today;
    d.reason = fmt::format(
        "It has been {} days since you last did {}. Restart gently with {}, then build back up "
        "over the next sessions.",
        today - last_active, Lower(name), RepsText(d.next));
    // Already at the restart dose: nothing changes, so the programme keeps its history.
    if (d.next.sets == current.sets && d.next.load_steps == current.load_steps) {
      d.next.since_day = current.since_day;
    }
    return d;
  }

  // 2. Pain above acceptable: ease this exercise at once (the pain-monitoring model's "above 5
  // is too much"), without waiting for it to happen again.
  const auto last_two = [&](auto predicate) {
    return done.size() >= 2 && predicate(*done[done.size() - 1]) &&
           predicate(*done[done.size() - 2]);
  };
  if (!done.empty() && Zone(rules, done.back()->pain_during) == PainZone::kRed) {
    return Regress(kb, current, today, excluded, "regress_pain",
                   fmt::format("Your pain reached {} out of 10 during {}, above the {} we aim to "
                               "stay under.",
                               done.back()->pain_during, Lower(name), rules.pain_acceptable_max),
                   pain_sources);
  }
  // 3. Worse the next morning twice running.
  if (last_two(WorseNextMorning)) {
    return Regress(kb, current, today, excluded, "regress_morning",
                   fmt::format("Your pain was worse the morning after {} two sessions running: "
                               "your hip is not yet recovering from this level overnight.",
                               Lower(name)),
                   pain_sources);
  }
  // 4. Missed sessions in a row.
  const std::size_t missed_run = [&] {
    std::size_t run = 0;
    for (auto it = history.rbegin(); it != history.rend() && it->missed; ++it) ++run;
    return run;
  }();
  if (rules.missed_sessions_regress > 0 &&
      missed_run >= static_cast<std::size_t>(rules.missed_sessions_regress)) {
    return Regress(kb, current, today, excluded, "regress_missed",
                   fmt::format("You have missed the last {} sessions of {}. That is fine: life "
                               "gets busy. Coming back at a slightly easier level is safer and "
                               "easier to keep up.",
                               missed_run, Lower(name)),
                   Join(progression_sources, pain_sources));
  }

  if (done.empty()) {
    hold.code = "hold_start";
    hold.sources = progression_sources;
    hold.reason = fmt::format("Start {} at {}.", Lower(name), RepsText(current));
    return hold;
  }
  const SessionOutcome& latest = *done.back();

  // 5. Worse the next morning once: hold, and say what happens if it repeats.
  if (WorseNextMorning(latest)) {
    hold.code = "hold_morning";
    hold.sources = pain_sources;
    hold.reason = fmt::format(
        "Your pain was worse the next morning ({} out of 10, up from {}). Stay at this level and "
        "do not add anything; if it is worse the morning after again, we will switch to an "
        "easier version.",
        *latest.pain_next_morning, *latest.pain_before);
    return hold;
  }

  // 6. Double progression.
  const bool can_progress = exercise != nullptr && Progresses(exercise->kind);
  const std::size_t needed = static_cast<std::size_t>(std::max(1, rules.progression_sessions));
  if (can_progress && done.size() >= needed) {
    bool all_top = true;
    for (std::size_t i = done.size() - needed; i < done.size(); ++i) {
      const SessionOutcome& s = *done[i];
      all_top = all_top && s.sets_done >= current.sets && s.reps_every_set >= current.reps_max &&
                Zone(rules, s.pain_during) == PainZone::kGreen && !WorseNextMorning(s);
    }
    if (all_top) {
      const std::string done_text = fmt::format(
          "You did {} reps on every set of {} in {} sessions in a row, with pain at {} out of 10 "
          "or less that had settled by the next morning.",
          current.reps_max, Lower(name), needed, rules.pain_safe_max);
      // Time as well as response: one step at a time, each held for a while, and nothing up
      // during a flare.
      if (context.flare) {
        hold.code = "hold_flare";
        hold.sources = Join(pain_sources, rules.tracking_sources);
        hold.reason = fmt::format(
            "{} Your pain at rest is up at the moment, though, so {} stays at this level until "
            "that settles.",
            done_text, Lower(name));
        return hold;
      }
      const int on_rung = today - current.since_day;
      if (on_rung < rules.min_days_on_rung) {
        hold.code = "hold_time";
        hold.sources = progression_sources;
        hold.reason = fmt::format(
            "{} Well done. Tendons and muscles adapt over weeks, not days, so each step up waits "
            "at least {} days: {} moves up from day {} of your programme if it still goes this "
            "well.",
            done_text, rules.min_days_on_rung, Lower(name),
            current.since_day + rules.min_days_on_rung + 1);
        return hold;
      }
      const Exercise* harder_rung =
          exercise->harder.empty() ? nullptr : kb.FindExercise(exercise->harder);
      bool harder_in_phase = false;
      if (harder_rung != nullptr) {
        for (const Dose& dose : harder_rung->doses) {
          harder_in_phase = harder_in_phase || dose.phase <= context.phase;
        }
      }
      if (harder_rung != nullptr && !harder_in_phase && Allowed(excluded, exercise->harder)) {
        int from_phase = 0;
        for (const Dose& dose : harder_rung->doses) {
          if (from_phase == 0 || dose.phase < from_phase) from_phase = dose.phase;
        }
        int from_week = 0;
        for (const Phase& p : rules.phases) {
          if (p.number == from_phase) from_week = p.first_week;
        }
        hold.code = "hold_phase";
        hold.sources = progression_sources;
        hold.reason = fmt::format(
            "{} The next step, {}, belongs to phase {} (from week {} at the earliest): tendons "
            "need weeks of steady loading first. Until then keep {} at this level, slow and "
            "controlled.",
            done_text, Lower(harder_rung->name), from_phase, from_week, Lower(name));
        return hold;
      }
      if (harder_rung != nullptr && Allowed(excluded, exercise->harder)) {
        if (auto harder = SwitchTo(kb, current, exercise->harder, today)) {
          Decision d;
          d.kind = DecisionKind::kProgress;
          d.code = "progress_harder";
          d.sources = progression_sources;
          d.next = *harder;
          d.reason = fmt::format("{} Time to move up to {}: {}.", done_text,
                                 Lower(NameOf(kb, d.next.exercise)), RepsText(d.next));
          return d;
        }
      }
      if (context.phase < rules.load_from_phase) {
        int from_week = 0;
        for (const Phase& p : rules.phases) {
          if (p.number == rules.load_from_phase) from_week = p.first_week;
        }
        hold.code = "hold_phase";
        hold.sources = progression_sources;
        hold.reason = fmt::format(
            "{} Added weight comes in phase {} (from week {} at the earliest), once the tendons "
            "have had weeks of steady loading. Until then keep {} at this level, slow and "
            "controlled.",
            done_text, rules.load_from_phase, from_week, Lower(name));
        return hold;
      }
      Decision d;
      d.kind = DecisionKind::kProgress;
      d.code = "progress_load";
      d.sources = progression_sources;
      d.next = current;
      d.next.load_steps = current.load_steps + 1;
      d.next.since_day = today;
      d.reason = fmt::format(
          "{} Add a little load: {}-{} % more (for example a light backpack, a heavier band or a "
          "small weight held at your chest), and start again at {} reps.",
          done_text, Number(rules.load_step_min_percent), Number(rules.load_step_max_percent),
          current.reps_min);
      return d;
    }
  }

  // 7. Hold.
  if (Zone(rules, latest.pain_during) == PainZone::kAmber) {
    hold.code = "hold_amber";
    hold.sources = pain_sources;
    hold.reason = fmt::format(
        "Your pain during {} was {} out of 10: acceptable, as long as it has settled by the next "
        "morning. Stay at this level until it is {} or less.",
        Lower(name), latest.pain_during, rules.pain_safe_max);
    return hold;
  }
  hold.code = can_progress ? "hold_building" : "hold_steady";
  hold.sources = progression_sources;
  hold.reason =
      can_progress
          ? fmt::format(
                "Keep going with {}: once you manage {} reps on every set in {} sessions "
                "in a row with little pain, you move up.",
                Lower(name), current.reps_max, needed)
          : fmt::format("Keep {} as it is: stretches and mobility work do not need to get harder.",
                        Lower(name));
  return hold;
}

PainTrend Trend(const Rules& rules, const std::vector<DailyPain>& pain) {
  PainTrend trend;
  if (pain.empty()) return trend;
  trend.baseline = pain.front().score;
  trend.latest = pain.back().score;
  const std::size_t window =
      std::min(pain.size(), static_cast<std::size_t>(std::max(1, rules.trend_window_days)));
  double sum = 0;
  for (std::size_t i = pain.size() - window; i < pain.size(); ++i) sum += pain[i].score;
  trend.current = sum / static_cast<double>(window);
  return trend;
}

std::string EscalationMessage(const KnowledgeBase& kb, std::string_view id, double baseline,
                              double current, int days) {
  const EscalationText* text = kb.rules.FindEscalation(id);
  std::string message;
  if (text != nullptr) {
    message = text->message;
  } else {
    message = std::string(kb.rules.Level(TriageLevel::kRoutine).action);
  }
  const std::pair<std::string, std::string> fields[] = {{"{baseline}", Number(baseline)},
                                                        {"{current}", Number(current)},
                                                        {"{rise}", Number(current - baseline)},
                                                        {"{days}", std::to_string(days)}};
  for (const auto& [key, value] : fields) {
    for (std::size_t at = message.find(key); at != std::string::npos;
         at = message.find(key, at + value.size())) {
      message.replace(at, key.size(), value);
    }
  }
  return message;
}

PainRise Rise(const Rules& rules, const std::vector<DailyPain>& pain, int today) {
  PainRise out;
  if (pain.empty()) return out;
  constexpr int kNotRisen = -1000000;
  int flare_since = kNotRisen;
  int worse_since = kNotRisen;
  std::optional<double> best;
  for (std::size_t i = 0; i < pain.size(); ++i) {
    const std::vector<DailyPain> upto(pain.begin(),
                                      pain.begin() + static_cast<std::ptrdiff_t>(i) + 1);
    const PainTrend t = Trend(rules, upto);
    const double reference = best ? std::min(*best, *t.baseline) : *t.baseline;
    const bool above_best = *t.current - reference >= rules.worse_rise_points;
    const bool above_start = *t.current - *t.baseline >= rules.worse_rise_points;
    if (!above_best) flare_since = kNotRisen;
    if (above_best && flare_since == kNotRisen) flare_since = pain[i].day;
    if (!above_start) worse_since = kNotRisen;
    if (above_start && worse_since == kNotRisen) worse_since = pain[i].day;
    out.baseline = *t.baseline;
    out.current = *t.current;
    out.reference = reference;
    best = best ? std::min(*best, *t.current) : *t.current;
  }
  out.sustained = worse_since != kNotRisen && today - worse_since >= rules.worse_sustained_days;
  out.flare = flare_since != kNotRisen && !out.sustained;
  return out;
}

std::vector<Escalation> CheckEscalations(const KnowledgeBase& kb, const SafetyInput& input) {
  const Rules& rules = kb.rules;
  std::vector<Escalation> out;
  const PainTrend trend = Trend(rules, input.pain);
  const double baseline = trend.baseline.value_or(0);
  const double current = trend.current.value_or(0);
  auto raise = [&](std::string_view id, TriageLevel fallback, bool pause, int days) {
    if (std::find(input.already.begin(), input.already.end(), id) != input.already.end()) return;
    const EscalationText* text = rules.FindEscalation(id);
    Escalation e;
    e.id = std::string(id);
    e.level = text != nullptr ? text->level : fallback;
    e.pause = pause;
    e.message = EscalationMessage(kb, id, baseline, current, days);
    e.sources = text != nullptr ? text->sources : rules.tracking_sources;
    out.push_back(std::move(e));
  };

  // Worse sooner: any time.
  if (input.latest_change == "much_worse") raise("much_worse", TriageLevel::kUrgent, true, 0);
  {
    // A rise is measured from the first score on or after rise_from_day (after a resume, from the
    // resume). Within a few days it is a flare; still there after worse_sustained_days it is
    // sustained worsening.
    std::vector<DailyPain> recent;
    for (const DailyPain& p : input.pain) {
      if (p.day >= input.rise_from_day) recent.push_back(p);
    }
    const PainRise r = Rise(rules, recent, input.today);
    if (r.flare || r.sustained) {
      const char* id = r.sustained ? "pain_rise" : "flare";
      if (std::find(input.already.begin(), input.already.end(), id) == input.already.end()) {
        const EscalationText* text = rules.FindEscalation(id);
        Escalation e;
        e.id = id;
        e.level = text != nullptr ? text->level
                                  : (r.sustained ? TriageLevel::kUrgent : TriageLevel::kSelfCare);
        e.pause = e.level >= TriageLevel::kUrgent;
        e.message = EscalationMessage(kb, id, r.sustained ? r.baseline : r.reference, r.current,
                                      input.today);
        e.sources = text != nullptr ? text->sources : rules.tracking_sources;
        out.push_back(std::move(e));
      }
    }
  }
  const bool high_now = input.latest_pain_now && *input.latest_pain_now >= rules.pause_pain_min;
  const bool high_exercise =
      input.latest_exercise_pain && *input.latest_exercise_pain >= rules.pause_pain_min;
  int high_days = 0;
  for (const DailyPain& p : input.peak) {
    if (p.day > input.today - 7 && p.day >= input.rise_from_day &&
        p.score >= rules.pause_pain_min) {
      ++high_days;
    }
  }
  if (high_days >= rules.high_sustained_days) {
    const EscalationText* text = rules.FindEscalation("pain_high_sustained");
    if (std::find(input.already.begin(), input.already.end(), "pain_high_sustained") ==
        input.already.end()) {
      Escalation e;
      e.id = "pain_high_sustained";
      e.level = text != nullptr ? text->level : TriageLevel::kUrgent;
      e.pause = e.level >= TriageLevel::kUrgent;
      e.message =
          EscalationMessage(kb, "pain_high_sustained", baseline, rules.pause_pain_min, high_days);
      e.sources = text != nullptr ? text->sources : rules.tracking_sources;
      out.push_back(std::move(e));
    }
  } else if (high_now || high_exercise) {
    const int shown =
        std::max(input.latest_pain_now.value_or(0), input.latest_exercise_pain.value_or(0));
    if (std::find(input.already.begin(), input.already.end(), "pain_high") == input.already.end()) {
      Escalation e;
      e.id = "pain_high";
      const EscalationText* text = rules.FindEscalation("pain_high");
      e.level = text != nullptr ? text->level : TriageLevel::kSelfCare;
      e.pause = e.level >= TriageLevel::kUrgent;
      e.message = EscalationMessage(kb, "pain_high", baseline, shown, input.today);
      e.sources = text != nullptr ? text->sources : rules.tracking_sources;
      out.push_back(std::move(e));
    }
  }

  // Staged: by time, only while the pain has not settled.
  const bool settled = trend.current && current <= rules.resolved_pain_max;
  if (!settled && trend.current) {
    if (input.today >= rules.review_days) {
      const double drop = baseline - current;
      const bool meaningful =
          drop >= rules.meaningful_change_points ||
          (baseline > 0 && drop / baseline * 100.0 >= rules.meaningful_change_percent);
      if (!meaningful) raise("no_improvement", TriageLevel::kRoutine, false, input.today);
    }
    const int pain_days =
        input.today + (input.pain_days_at_start > 0 ? input.pain_days_at_start : 0);
    if (pain_days >= rules.msk_days) {
      raise("persisting", TriageLevel::kRoutine, false, pain_days);
    } else if (pain_days >= rules.physio_days) {
      raise("not_resolved", TriageLevel::kRoutine, false, pain_days);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Escalation& a, const Escalation& b) {
    return static_cast<int>(a.level) > static_cast<int>(b.level);
  });
  return out;
}

}  // namespace hipcoach
