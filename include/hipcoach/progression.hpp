// Progression and the tracking safety net: pure functions over what the person logged. Every
// threshold comes from the knowledge base (rules.toml [pain_monitoring], [progression], [tracking],
// [[escalation]]); every decision carries its reason in plain words and its sources.
//
// Days are counted from the start of the programme (day 0), in the person's local calendar.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hipcoach/knowledge.hpp"

namespace hipcoach {

// One exercise as it is prescribed now.
struct Prescription {
  std::string exercise;  // exercise id
  int phase = 1;
  int sets = 1;
  int reps_min = 1;
  int reps_max = 1;
  int hold_seconds = 0;
  int times_per_day = 1;
  bool per_side = false;
  DoseDays days = DoseDays::kDaily;
  int load_steps = 0;  // how many times 2-10 % load has been added
  int since_day = 0;   // the day this prescription began
  bool operator==(const Prescription&) const = default;
};

// One scheduled or logged day of one exercise.
struct SessionOutcome {
  int day = 0;
  bool missed = false;  // it was scheduled and not done
  int sets_done = 0;
  int reps_every_set = 0;                // the lowest set (the weaker side for one-sided exercises)
  int pain_during = 0;                   // the highest pain during it, 0-10
  std::optional<int> pain_before;        // pain at rest before it (the latest check-in)
  std::optional<int> pain_next_morning;  // the first check-in of the next morning
  bool operator==(const SessionOutcome&) const = default;
};

enum class DecisionKind { kHold, kProgress, kRegress, kRestart };
std::string_view ToString(DecisionKind kind);

struct Decision {
  DecisionKind kind = DecisionKind::kHold;
  std::string code;    // e.g. progress_harder, progress_load, regress_pain, hold_amber
  Prescription next;   // equal to the current one when nothing changes
  std::string reason;  // plain words, shown to the person
  std::vector<std::string> sources;
};

enum class PainZone { kGreen, kAmber, kRed };
PainZone Zone(const Rules& rules, int pain);

// Whether a prescription with `days` is scheduled on `day` (programme week: strength work on days
// 0, 2 and 4 of each week, daily work on days 0-5, a rest day on day 6, as BuildProgramme plans).
bool ScheduledOn(DoseDays days, int day);

// What besides the sessions decides one exercise's next step.
struct ProgressionContext {
  int today = 0;                      // the day being planned
  int phase = 1;                      // the programme's phase now (see NextPhase)
  bool flare = false;                 // pain at rest is up by a flare's rise: nothing moves up
  std::vector<std::string> excluded;  // exercise ids this person must not do
};

// The next prescription for one exercise. `history` holds every outcome since
// `current.since_day`, oldest first (missed days included).
//
// In order: a long gap restarts gently; one session with pain above acceptable regresses to the
// easier variant at once; worse the next morning in two sessions running regresses, once holds;
// so do `missed_sessions_regress` missed sessions in a row; the top of the rep range on every set
// in the last `progression_sessions` sessions done, all green, progresses (harder variant, else
// more load), but only after `min_days_on_rung` days on this rung, to a rung that has a dose in
// the programme's phase, with added load only from `load_from_phase`, and never during a flare;
// otherwise hold.
Decision DecideProgression(const KnowledgeBase& kb, const Prescription& current,
                           const std::vector<SessionOutcome>& history,
                           const ProgressionContext& context);

// The phase the calendar has reached on `today` (days since the programme started): the [[phase]]
// whose weeks hold it, the last one after its last week.
int CalendarPhase(const Rules& rules, int today);

// The programme's phase after `today`: one phase further when the calendar has passed the current
// one and the response allows it (`settled`: no session above the pain limits or worse the next
// morning in the last week, no flare); otherwise the same phase.
int NextPhase(const Rules& rules, int phase, int today, bool settled);

// One exercise moved into `phase`: the rung's own dose for that phase, or the nearest rung of its
// ladder (harder first) that has one and is not excluded; nullopt when nothing changes.
std::optional<Decision> EnterPhase(const KnowledgeBase& kb, const Prescription& current, int phase,
                                   int today, const std::vector<std::string>& excluded);

// ---- The safety net over tracked pain (clinical reference section 8, D1). ----

struct DailyPain {
  int day = 0;
  double score = 0;  // the day's mean "pain now", 0-10
};

struct PainTrend {
  std::optional<double> baseline;  // the first day's score
  std::optional<double> current;   // mean of the last `trend_window_days` days with entries
  std::optional<double> latest;    // the latest day's score
};
PainTrend Trend(const Rules& rules, const std::vector<DailyPain>& pain);

// Whether pain at rest is up: a flare is the 3-day mean `worse_rise_points` above the best it has
// been (the start included); sustained worsening is the same rise above the start, lasting
// `worse_sustained_days` days. `pain` is oldest first.
struct PainRise {
  bool flare = false;
  bool sustained = false;
  double baseline = 0;   // the first day's score
  double reference = 0;  // the best 3-day mean before now (or the first day's, if lower)
  double current = 0;
};
PainRise Rise(const Rules& rules, const std::vector<DailyPain>& pain, int today);

struct SafetyInput {
  int today = 0;                // days since self-care started
  int pain_days_at_start = -1;  // how long the pain had lasted then (-1: not known)
  std::vector<DailyPain> pain;  // oldest first
  std::vector<DailyPain> peak;  // each day's highest pain (at rest or during an exercise), oldest
                                // first, from rise_from_day on
  std::string latest_change;    // the latest weekly answer: much_better ... much_worse, or ""
  std::optional<int> latest_pain_now;       // the latest check-in's pain now
  std::optional<int> latest_exercise_pain;  // the highest pain in the latest session
  std::vector<std::string> already;         // escalation ids not to raise again
  int rise_from_day = 0;  // a rise is measured from the first score on or after this day (after a
                          // resume, from the resume)
};

struct Escalation {
  std::string id;  // an [[escalation]] id
  TriageLevel level = TriageLevel::kRoutine;
  bool pause = false;   // urgent escalations pause the programme and re-triage
  std::string message;  // the words the person sees, with the numbers filled in
  std::vector<std::string> sources;
};

// The escalations the data calls for now, most urgent first. A rise of `worse_rise_points` is a
// flare (hold, ease off); the same rise lasting `worse_sustained_days` is urgent. Pain of
// `pause_pain_min` once eases off; on `high_sustained_days` days within a week it is urgent.
// Urgent escalations pause the programme.
std::vector<Escalation> CheckEscalations(const KnowledgeBase& kb, const SafetyInput& input);

// The message of escalation `id` with {baseline}, {current}, {rise} and {days} filled in (a
// plain substitution: knowledge-base text is never a format string).
std::string EscalationMessage(const KnowledgeBase& kb, std::string_view id, double baseline,
                              double current, int days);

}  // namespace hipcoach
