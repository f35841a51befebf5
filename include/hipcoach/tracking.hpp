// Tracking over weeks: the active plan, progression applied to what was logged, the safety net,
// pausing and resuming. Tracker works through the Store interface and an injectable Clock; it
// writes nothing to the terminal.
#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "hipcoach/answers.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/knowledge.hpp"
#include "hipcoach/progression.hpp"
#include "hipcoach/store.hpp"

namespace hipcoach::tracking {

// Time, injectable so that tests (and `hipcoach session --fast`) do not wait.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeSeconds Now() = 0;
  virtual void Sleep(int seconds) = 0;
};

// The wall clock; HIPCOACH_NOW (seconds since 1970, or YYYY-MM-DDTHH:MM[:SS] local time) fixes
// "now" for tests.
class SystemClock final : public Clock {
 public:
  TimeSeconds Now() override;
  void Sleep(int seconds) override;
};

// A clock that moves only when slept on.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimeSeconds now) : now_(now) {}
  TimeSeconds Now() override { return now_; }
  void Sleep(int seconds) override { now_ += seconds; }

 private:
  TimeSeconds now_;
};

// The local calendar: day numbers count local days since 1970-01-01.
int LocalDay(TimeSeconds t);
int LocalHour(TimeSeconds t);
TimeSeconds LocalTime(int day, int hour, int minute);  // the start of that local minute
std::string LocalDate(int day);                        // YYYY-MM-DD
std::string IsoUtc(TimeSeconds t);                     // 2026-01-05T08:00:00Z
std::optional<TimeSeconds> ParseIsoUtc(const std::string& text);
// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" (local) or "...Z" (UTC), or seconds since 1970.
std::optional<TimeSeconds> ParseTime(const std::string& text);

// The programme as tracked: what each programme version stores.
struct ActivePlan {
  int start_day = 0;  // local day the programme started; prescriptions count days from it
  int phase = 1;
  std::string painful_side;  // left | right | both | ""
  int pain_days_at_start = -1;
  std::vector<Prescription> items;
  std::vector<std::string> excluded;   // exercise ids this person must not do
  std::vector<std::string> self_care;  // self-care ids allowed (ice, heat, ...)
  bool operator==(const ActivePlan&) const = default;
};
nlohmann::json PlanJson(const ActivePlan& plan);
// One item of PlanJson's "items" (also the base of the HTTP API's plan items).
nlohmann::json PrescriptionJson(const ActivePlan& plan, const Prescription& item);
Result<ActivePlan> ParsePlan(const std::string& text);

// The plan an assessment starts: the current phase's exercises with their doses.
std::optional<ActivePlan> PlanFromAssessment(const KnowledgeBase& kb, const Assessment& assessment,
                                             const Answers& answers, int start_day);

// One item's decision, with the item it was about.
struct ItemDecision {
  Prescription before;
  Decision decision;
};

// What new data led to: the safety net's escalations and progression's decision for every item
// (those whose `decision.next` differs from `before` changed the programme).
struct Updates {
  bool has_programme = false;  // false: there is no programme to update yet
  std::vector<Escalation> escalations;
  std::vector<ItemDecision> decisions;
  // Why progression left the programme as it is when a rule of the knowledge base refused the
  // change (the data that arrived is saved all the same).
  std::string progression_refused;
};

// A check-in to record: the entry (its person and time are set when it is recorded), the answers
// to the danger-sign questions when it asked them, a request to resume a paused programme, and
// the PSFS when it asked it.
struct CheckInInput {
  CheckIn checkin;
  std::optional<Answers> danger_answers;
  // The danger signs in `danger_answers` were already recorded (RecordDangerAnswers, as soon as
  // they were answered in the terminal): not recorded again.
  bool danger_recorded = false;
  bool resume = false;
  bool clinician_seen = false;
  std::optional<OutcomeRecord> psfs;
};

struct CheckInOutcome {
  RowId id = 0;
  std::vector<MatchedRedFlag> red_flags;  // the danger signs the answers showed (they pause)
  bool resumed = false;
  std::string not_resumed;  // why a requested resume did not happen
  Updates updates;
};

struct State {
  Profile profile;
  std::optional<StoredAssessment> assessment;  // the latest
  std::optional<ProgrammeVersion> version;     // the latest
  std::optional<ActivePlan> plan;
  bool paused = false;
  std::string pause_message;
  // What the current pause was for: the most urgent level behind it, and the red flags that
  // raised it (empty for a pause from the safety net over logged pain).
  TriageLevel pause_level = TriageLevel::kSelfCare;
  std::vector<std::string> pause_red_flags;
};

// The use cases of tracking. Each one that writes is one transaction that reads, decides and
// writes, so two requests for one person (on two servers, say) cannot both act on the same state.
class Tracker {
 public:
  Tracker(const KnowledgeBase& kb, Store& store, Clock& clock)
      : kb_(kb), store_(store), clock_(clock) {}

  const KnowledgeBase& kb() const { return kb_; }
  Store& store() { return store_; }
  Clock& clock() { return clock_; }

  Result<State> Load();

  // Stores the assessment and, when it has a programme, the first programme version; an urgent
  // or emergency result pauses tracking. Returns the assessment's id.
  Result<RowId> SaveAssessment(const Answers& answers, const Assessment& assessment);

  // The state with the plan as progression has it today (what a gap since the last session calls
  // for, say), without writing anything; `pending` gets every item's decision. Progression is
  // written when new data arrives (Record, RecordCheckIn).
  Result<State> LoadToday(std::vector<ItemDecision>* pending = nullptr);

  // Records new data and what follows from it, in one transaction: `write` stores the data (a
  // session, an exercise log, a quick pain entry), then the safety net and progression run.
  Result<Updates> Record(const std::function<Result<void>(RowId person)>& write);

  // Records a check-in in one transaction: the danger-sign answers (signs that match pause the
  // programme), a resume when asked for and allowed, the entry, the weekly outcome measures, then
  // the safety net and progression.
  Result<CheckInOutcome> RecordCheckIn(const CheckInInput& input);

  // The outcome of each scheduled or logged day of `item` from its start to today.
  Result<std::vector<SessionOutcome>> History(const ActivePlan& plan, const Prescription& item);

  // Progression for every item; when any prescription changes, one new programme version with
  // every reason, and a programme_change event per change. Nothing while paused.
  Result<std::vector<ItemDecision>> UpdateProgramme();

  // The safety net over the logged pain: raises each escalation once (urgent ones again after a
  // resume), records it as an event, and pauses for urgent ones. Returns what it raised.
  Result<std::vector<Escalation>> CheckSafety();

  // The questions a danger check asks, in interview order: the danger-sign stage, and the
  // questions about current findings of the signs the programme is paused for.
  std::vector<const Question*> DangerQuestions(const State& state) const;

  // The danger-sign answers of a check-in, read over the latest assessment's lasting facts: red
  // flags that match pause the programme (events). A sign a clinician has seen the person for
  // that rests on lasting facts alone is not raised again.
  Result<std::vector<MatchedRedFlag>> RecordDangerAnswers(const Answers& answers);

  // The danger signs a check-in's answers show, read over the latest assessment's lasting facts,
  // without recording anything (RecordDangerAnswers and RecordCheckIn record them).
  Result<std::vector<MatchedRedFlag>> DangerSigns(const Answers& answers);

  // Whether the weekly danger-sign questions are due (none in `danger_check_days` days).
  Result<bool> DangerCheckDue();

  // Resumes a paused programme, which needs (each refused with a message saying what is missing):
  // the current findings of every sign that paused it, and of any other danger sign, answered
  // plainly absent (not "not sure"), and the person's confirmation that a clinician has seen them
  // after an urgent or emergency pause or for a sign resting on lasting facts alone (which it
  // then no longer raises at every check-in).
  Result<void> Resume(const Answers& danger_answers, bool clinician_seen);

  // Daily mean "pain now", counted from the programme's first day.
  Result<std::vector<DailyPain>> DailyPainScores(int start_day);

 private:
  // Progression over the state's plan, decided but not written.
  struct Progressed {
    std::vector<ItemDecision> decisions;
    ActivePlan plan;  // the plan after the decisions
    std::vector<Event> events;
    std::string reason;
    bool changed = false;
    std::string refused;  // why a change the rules refuse was not made (then `changed` is false)
  };
  Result<Progressed> Progress(const State& state);
  // Progression decided and, when it changes the plan, written.
  Result<Progressed> ApplyProgression();
  // The bodies of the use cases, run inside their callers' transaction.
  Result<std::vector<Escalation>> RaiseEscalations();
  Result<std::vector<MatchedRedFlag>> MatchDangerAnswers(RowId person, const Answers& answers);
  Result<Updates> FollowNewData();

  const KnowledgeBase& kb_;
  Store& store_;
  Clock& clock_;
};

// The local profile's id, creating the profile on first use.
Result<RowId> PersonId(Store& store);

}  // namespace hipcoach::tracking
