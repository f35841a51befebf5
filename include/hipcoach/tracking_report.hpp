// What the tracked weeks add up to: the pain trend, adherence, activity load and the changes made
// and why; shown by `hipcoach progress`, printed by `hipcoach report` (HTML for a
// physiotherapist) and scheduled by `hipcoach calendar` (iCalendar, RFC 5545).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hipcoach/knowledge.hpp"
#include "hipcoach/store.hpp"
#include "hipcoach/tracking.hpp"

namespace hipcoach::tracking {

struct DaySummary {
  int day = 0;               // days since the programme started
  double pain_now = 0;       // mean of the day's check-ins
  std::optional<int> worst;  // highest "worst" of the day
};

struct WeekSummary {
  int week = 1;
  int scheduled_days = 0;  // days with exercise planned (up to yesterday)
  int done_days = 0;       // of those, days with at least one exercise logged
  int exercise_entries = 0;
  double running_km = 0;
  int cycling_minutes = 0;
  double sitting_hours = 0;    // mean per day with an entry
  std::optional<double> pain;  // mean daily pain
};

struct Change {
  TimeSeconds at = 0;
  std::string kind;  // programme | escalation | danger_sign | pause | resume
  std::string text;
};

struct Summary {
  int start_day = 0;
  int today = 0;  // days since the start
  std::vector<DaySummary> days;
  std::vector<WeekSummary> weeks;
  PainTrend trend;
  int scheduled_days = 0;
  int done_days = 0;
  std::vector<Change> changes;  // oldest first
  std::optional<OutcomeRecord> first_psfs, latest_psfs;
};

// The causes of a stored result document as the report and the FHIR export show them: the same
// ranking as the command line (what a doctor needs to rule out and why, then the likely causes in
// order of probability, then the less likely ones behind "show more"), never with a figure above
// rules.max_probability.
struct StoredEvidence {
  std::string text;
  bool supports = true;
  double likelihood_ratio = 1;
};

struct StoredCause {
  std::string id;
  std::string name;
  std::string summary;
  double probability = 0;  // capped at rules.max_probability
  std::string chance;      // in words: "about 7 in 10 people with answers like yours"
  std::string flagged_by;  // what a doctor needs to rule out: the danger sign's id
  std::string why;         // and its reason
  std::vector<StoredEvidence> evidence;
};

struct StoredRanking {
  std::vector<StoredCause> rule_out;
  std::vector<StoredCause> causes;
  std::vector<StoredCause> more_causes;
};

// Reads a result document of any version. One stored before rule_out existed lists the causes a
// danger sign points to among its causes (with flagged_by) and may hold figures above the cap:
// those are read as what a doctor needs to rule out, and the rest ranked as the core ranks them.
StoredRanking RankingOf(const KnowledgeBase& kb, const nlohmann::json& result);

// Everything computed from the stored data, as of `now`.
Summary Summarise(const KnowledgeBase& kb, const DataSet& data, const ActivePlan& plan,
                  TimeSeconds now);

// `hipcoach progress`: plain text.
std::string ProgressText(const KnowledgeBase& kb, const Summary& summary, const State& state);

// `hipcoach report`: one self-contained HTML page (inline SVG charts, print CSS for A4, no
// external requests).
std::string ReportHtml(const KnowledgeBase& kb, const DataSet& data, const State& state,
                       const Summary& summary, TimeSeconds now);

struct CalendarOptions {
  int session_hour = 18;  // local time of the daily session
  int session_minute = 0;
  int work_start_hour = 9;  // sitting-break reminders on weekdays between these hours
  int work_end_hour = 17;
  bool sitting_breaks = true;
  int weeks = 0;  // 0: to the end of the last phase
};

// An iCalendar file (RFC 5545): CRLF line endings, lines folded at 75 octets, UID, DTSTAMP and
// RRULE on every event; floating local times, which Google, Apple and Outlook read as the
// calendar's own time zone.
std::string CalendarIcs(const KnowledgeBase& kb, const ActivePlan& plan, const Profile& profile,
                        const CalendarOptions& options, TimeSeconds now);

}  // namespace hipcoach::tracking
