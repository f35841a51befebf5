// `hipcoach calendar`: sessions and sitting-break reminders as iCalendar (RFC 5545).
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "hipcoach/tracking_report.hpp"

namespace hipcoach::tracking {
namespace {

// TEXT escaping (RFC 5545 3.3.11).
std::string Escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += c;
    }
  }
  return out;
}

// One content line, folded so that no line is longer than 75 octets (3.1), never inside a UTF-8
// character, each ending in CRLF.
void Line(std::string& out, const std::string& line) {
  std::size_t start = 0;
  std::size_t limit = 75;
  while (line.size() - start > limit) {
    std::size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line, start, cut - start);
    out += "\r\n ";
    start = cut;
    limit = 74;  // the leading space counts
  }
  out.append(line, start, std::string::npos);
  out += "\r\n";
}

std::string Floating(int day, int hour, int minute) {
  const std::string date = LocalDate(day);  // YYYY-MM-DD
  return fmt::format("{}{}{}T{:02}{:02}00", date.substr(0, 4), date.substr(5, 2), date.substr(8, 2),
                     hour, minute);
}

std::string UtcStamp(TimeSeconds t) {
  const std::string iso = IsoUtc(t);  // 2026-01-05T08:00:00Z
  return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2) + "T" + iso.substr(11, 2) +
         iso.substr(14, 2) + iso.substr(17, 2) + "Z";
}

const char* kWeekdays[] = {"TH", "FR", "SA", "SU", "MO", "TU", "WE"};  // day 0 was a Thursday

std::string Weekday(int day) { return kWeekdays[((day % 7) + 7) % 7]; }

struct Occurrence {
  std::string key;
  std::string summary;
  std::string description;
  int first_day = 0;
  std::vector<std::string> byday;
  int count = 0;
  int hour = 0;
  int minute = 0;
  int minutes = 0;
  std::string alarm;
};

}  // namespace

std::string CalendarIcs(const KnowledgeBase& kb, const ActivePlan& plan, const Profile& profile,
                        const CalendarOptions& options, TimeSeconds now) {
  int weeks = options.weeks;
  if (weeks <= 0) {
    weeks = 1;
    for (const Phase& phase : kb.rules.phases) weeks = std::max(weeks, phase.last_week);
  }
  const int today = LocalDay(now);
  // Start this week's pattern from today, aligned to the programme week.
  const int offset = std::max(0, today - plan.start_day);
  const int week_start = plan.start_day + offset / 7 * 7;
  const int remaining_weeks = std::max(1, weeks - offset / 7);

  std::vector<Occurrence> events;
  // Sessions: strength days (programme days 0, 2, 4) and light days (1, 3, 5).
  for (const bool strength : {true, false}) {
    std::vector<int> days;
    std::string list;
    int minutes = 0;
    for (int d = 0; d < 7; ++d) {
      bool any = false;
      for (const Prescription& item : plan.items) {
        const bool on = ScheduledOn(item.days, d);
        const bool strength_day = ScheduledOn(DoseDays::kStrength, d);
        if (on && strength_day == strength) any = true;
      }
      if (any) days.push_back(d);
    }
    if (days.empty()) continue;
    for (const Prescription& item : plan.items) {
      if (!ScheduledOn(item.days, days.front())) continue;
      const Exercise* exercise = kb.FindExercise(item.exercise);
      list += fmt::format(
          "- {}: {} x {}-{}{}{}\n", exercise != nullptr ? exercise->name : item.exercise, item.sets,
          item.reps_min, item.reps_max,
          item.hold_seconds > 0 ? fmt::format(", {} s holds", item.hold_seconds) : std::string(),
          item.per_side ? ", each side" : "");
      minutes += std::max(2, item.sets * (item.reps_max * std::max(3, item.hold_seconds) + 60) *
                                 (item.per_side ? 2 : 1) / 60);
    }
    Occurrence e;
    e.key = strength ? "strength-session" : "light-session";
    e.summary = strength ? "hipcoach: strength session" : "hipcoach: light session";
    e.description = "Today's exercises:\n" + list +
                    "\nRun 'hipcoach session' for a guided session with timers. Pain during the "
                    "exercises should stay at 5 out of 10 or less and settle by the next morning.";
    e.first_day = today;
    while (std::find(days.begin(), days.end(), (e.first_day - week_start) % 7) == days.end()) {
      ++e.first_day;
    }
    for (int d : days) e.byday.push_back(Weekday(week_start + d));
    e.count = static_cast<int>(days.size()) * remaining_weeks;
    e.hour = options.session_hour;
    e.minute = options.session_minute;
    e.minutes = std::clamp(minutes, 10, 60);
    e.alarm = "Time for your hipcoach exercises.";
    events.push_back(std::move(e));
  }
  // Sitting breaks on weekdays during working hours.
  if (options.sitting_breaks && kb.rules.sitting_break_minutes > 0) {
    int first = today;
    while (Weekday(first) == "SA" || Weekday(first) == "SU") ++first;
    for (int minute = options.work_start_hour * 60 + kb.rules.sitting_break_minutes;
         minute <= options.work_end_hour * 60; minute += kb.rules.sitting_break_minutes) {
      Occurrence e;
      e.key = fmt::format("sitting-break-{:02}{:02}", minute / 60, minute % 60);
      e.summary = "Stand up and move";
      e.description = fmt::format(
          "You have been sitting for about {} minutes. Stand up, walk a few steps, and do a "
          "gentle hip flexor or glute stretch before you sit down again.",
          kb.rules.sitting_break_minutes);
      e.first_day = first;
      e.byday = {"MO", "TU", "WE", "TH", "FR"};
      e.count = 5 * remaining_weeks;
      e.hour = minute / 60;
      e.minute = minute % 60;
      e.minutes = 2;
      e.alarm = "Time to stand up and move.";
      events.push_back(std::move(e));
    }
  }

  std::string out;
  Line(out, "BEGIN:VCALENDAR");
  Line(out, "VERSION:2.0");
  Line(out, "PRODID:-//hipcoach//hipcoach " + kb.version + "//EN");
  Line(out, "CALSCALE:GREGORIAN");
  Line(out, "METHOD:PUBLISH");
  Line(out, "X-WR-CALNAME:hipcoach");
  const std::string stamp = UtcStamp(now);
  for (const Occurrence& e : events) {
    Line(out, "BEGIN:VEVENT");
    Line(out, fmt::format("UID:{}-{}-{}@hipcoach.invalid", e.key, LocalDate(plan.start_day),
                          profile.created_at));
    Line(out, "DTSTAMP:" + stamp);
    Line(out, "DTSTART:" + Floating(e.first_day, e.hour, e.minute));
    Line(out, fmt::format("DURATION:PT{}M", e.minutes));
    std::string byday;
    for (const std::string& d : e.byday) byday += (byday.empty() ? "" : ",") + d;
    Line(out, fmt::format("RRULE:FREQ=WEEKLY;BYDAY={};COUNT={}", byday, e.count));
    Line(out, "SUMMARY:" + Escape(e.summary));
    Line(out, "DESCRIPTION:" + Escape(e.description));
    Line(out, "TRANSP:TRANSPARENT");
    Line(out, "BEGIN:VALARM");
    Line(out, "ACTION:DISPLAY");
    Line(out, "DESCRIPTION:" + Escape(e.alarm));
    Line(out, "TRIGGER:PT0S");
    Line(out, "END:VALARM");
    Line(out, "END:VEVENT");
  }
  Line(out, "END:VCALENDAR");
  return out;
}

}  // namespace hipcoach::tracking
