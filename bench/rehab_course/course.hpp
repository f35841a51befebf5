// Simulated 12-week courses of tracking (issue 13, deliverable 7): a person assessed from a case's
// answers follows the programme day by day through the real Tracker over a throw-away SQLite
// store, answering as one of a few scenarios (improving, flaring, stalling, a holiday), and the
// plan is read back at the end of every week. Used by the program bench/rehab_course (the
// week-by-week tables in docs/tracking.md) and by its test, which checks each course against its
// pathway's timeline.
#pragma once

#include <string>
#include <vector>

#include "hipcoach/answers.hpp"
#include "hipcoach/knowledge.hpp"
#include "hipcoach/status.hpp"

namespace hipcoach::course {

enum class Scenario { kImproving, kFlaring, kStalling, kHoliday };
const std::vector<Scenario>& AllScenarios();
std::string ScenarioName(Scenario scenario);

struct WeekItem {
  std::string exercise;  // exercise id
  std::string name;      // as the person sees it
  std::string dose;      // e.g. "2x8-10 each side, 3 s holds, +1 load"
  int load_steps = 0;
  int first_dose_phase = 1;  // the earliest phase the rung has a dose for
};

struct Week {
  int week = 1;  // 1-12
  int phase = 1;
  bool paused = false;
  std::vector<WeekItem> items;
  std::vector<std::string> events;  // escalation and programme-change codes during the week
};

struct Course {
  std::string case_name;
  std::string top_cause;  // the leading cause of the assessment
  Scenario scenario = Scenario::kImproving;
  std::vector<Week> weeks;
};

// Answers from a case file's [answers] table (tests/cases/...).
Result<Answers> CaseAnswers(const KnowledgeBase& kb, const std::string& path);

// The course of `weeks` weeks for these answers under `scenario`.
Result<Course> Simulate(const KnowledgeBase& kb, const Answers& answers, Scenario scenario,
                        int weeks = 12);

// Breaches of the timeline every course must keep: a rung that has its first dose in the last
// phase, or added load, before that phase's first week; a phase that goes back or skips one; an
// urgent escalation in a course whose pain stayed within the pain-monitoring limits.
std::vector<std::string> TimelineBreaches(const KnowledgeBase& kb, const Course& course);

// The course as a Markdown table.
std::string Markdown(const Course& course);

}  // namespace hipcoach::course
