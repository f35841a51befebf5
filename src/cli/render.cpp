#include "render.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "model_link.hpp"

namespace hipcoach::cli {
namespace {

std::string Upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c == '_' ? ' ' : std::toupper(c));
  });
  return out;
}

std::string SourceList(const std::vector<std::string>& sources) {
  std::string out;
  for (const std::string& s : sources) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? std::string() : " [" + out + "]";
}

std::string Dose(const PlanItem& item) {
  std::string text = fmt::format("{} x {}", item.sets,
                                 item.reps_min == item.reps_max
                                     ? fmt::format("{}", item.reps_min)
                                     : fmt::format("{}-{}", item.reps_min, item.reps_max));
  text += item.reps_max == 1 ? "" : " reps";
  if (item.hold_seconds > 0) text += fmt::format(", hold {} s", item.hold_seconds);
  if (item.per_side) text += ", each side";
  if (item.times_per_day > 1) text += fmt::format(", {} times a day", item.times_per_day);
  return text;
}

const char* kDayNames[] = {"", "Day 1", "Day 2", "Day 3", "Day 4", "Day 5", "Day 6", "Day 7"};

}  // namespace

void RenderTriage(const KnowledgeBase& kb, const TriageResult& triage, std::ostream& out) {
  const TriageLevelInfo& info = kb.rules.Level(triage.level);
  out << "\n== What to do now ==\n";
  out << fmt::format("[{}] {}\n", Upper(ToString(triage.level)), info.title);
  out << info.action << "\n";
  if (!info.window.empty()) out << "When: " << info.window << "\n";
  for (const MatchedRedFlag& match : triage.red_flags) {
    const RedFlag& flag = kb.red_flags[static_cast<std::size_t>(match.red_flag)];
    out << fmt::format("! {}: {}\n", flag.name, flag.action);
  }
  out << "Why:\n";
  for (const Reason& reason : triage.reasons) {
    out << fmt::format("  - {}{}\n", reason.text, SourceList(reason.sources));
  }
  if (!triage.doubts.empty()) {
    out << "Where you were not sure:\n";
    for (const Doubt& doubt : triage.doubts) out << "  - " << doubt.text << "\n";
  }
}

void RenderAssessment(const KnowledgeBase& kb, const Assessment& assessment, std::ostream& out) {
  RenderTriage(kb, assessment.triage, out);

  if (!assessment.rule_out.empty()) {
    out << "\n== What a doctor needs to rule out ==\n";
    for (const RankedCause& ranked : assessment.rule_out) {
      const Cause& cause = kb.causes[static_cast<std::size_t>(ranked.cause)];
      const RedFlag& flag = kb.red_flags[static_cast<std::size_t>(ranked.flagged_by)];
      out << fmt::format("* {}: {}\n", cause.name, flag.reason);
    }
  }
  if (!assessment.causes.empty()) {
    out << "\n== What is probably behind it ==\n";
    out << "(Each is judged on its own, and more than one can be true at once. A questionnaire "
           "cannot be certain: a clinician's examination can.)\n";
  }
  int shown = 0;
  for (const RankedCause& ranked : assessment.causes) {
    const Cause& cause = kb.causes[static_cast<std::size_t>(ranked.cause)];
    out << fmt::format("{}. {}: {}\n", ++shown, cause.name, ChanceText(ranked.probability));
    out << "   " << cause.summary << "\n";
    if (shown <= 3) {
      const std::string model = ModelNote(cause);
      if (!model.empty()) out << "   " << model.substr(0, model.find('\n')) << "\n";
    }
    int evidence = 0;
    for (const EvidenceItem& item : ranked.evidence) {
      if (evidence++ == 3) break;
      out << fmt::format("   {} {}\n", item.supports ? "+" : "-", item.text);
    }
  }
  if (!assessment.more_causes.empty()) {
    std::string names;
    for (const RankedCause& ranked : assessment.more_causes) {
      names += (names.empty() ? "" : ", ") + kb.causes[static_cast<std::size_t>(ranked.cause)].name;
    }
    out << fmt::format("Less likely: {} (`hipcoach explain ID` tells more).\n", names);
  }

  if (!assessment.programme) {
    out << "\nNo exercise programme: please get the help described above first.\n";
  } else {
    const Programme& programme = *assessment.programme;
    const PhasePlan& phase = programme.phases.front();
    out << fmt::format("\n== Your programme: phase {} of {}, {} (weeks {}-{}) ==\n",
                       phase.phase.number, programme.phases.size(), phase.phase.name,
                       phase.phase.first_week, phase.phase.last_week);
    out << phase.phase.goal << "\n";
    for (const PlanItem& item : phase.items) {
      const Exercise* exercise = kb.FindExercise(item.exercise);
      out << fmt::format("* {}: {}\n", exercise->name, Dose(item));
      out << fmt::format("    Why: {}\n", item.why);
      if (!item.side_note.empty()) out << "    " << item.side_note << "\n";
    }
    out << "Week:\n";
    for (const PlanDay& day : programme.week) {
      std::string names;
      for (const PlanItem& item : day.items) {
        names += (names.empty() ? "" : ", ") + kb.FindExercise(item.exercise)->name;
      }
      out << fmt::format("  {}: {}{}\n", kDayNames[day.day], day.focus,
                         names.empty() ? "" : " - " + names);
    }
    out << "Self-care:\n";
    for (const SelfCareAdvice& advice : programme.self_care) {
      const SelfCare* care = kb.FindSelfCare(advice.self_care);
      std::string limit;
      if (advice.allowed && care->max_minutes > 0) {
        limit = fmt::format(" (at most {} min", care->max_minutes);
        if (care->min_gap_hours > 0) limit += fmt::format(", {} h apart", care->min_gap_hours);
        limit += ")";
      }
      out << fmt::format("  {} {}{}: {}\n", advice.allowed ? "*" : "x", care->name, limit,
                         advice.note);
    }
    if (!programme.excluded.empty()) {
      out << "Left out for you:\n";
      for (const ExcludedItem& item : programme.excluded) {
        out << fmt::format("  x {}: {}\n", kb.FindExercise(item.id)->name, item.reason);
      }
    }
    out << "Rules:\n";
    for (const Reason& note : programme.notes) out << "  - " << note.text << "\n";
  }

  if (!assessment.medication_cautions.empty()) {
    out << "\n== Pain relief ==\n";
    for (const MedicationCaution* caution : assessment.medication_cautions) {
      out << "  - " << caution->message << "\n";
    }
  }
  if (!assessment.triage.watch_for.empty()) {
    out << "\n== Come back or get help if ==\n";
    for (const Reason& reason : assessment.triage.watch_for) out << "  - " << reason.text << "\n";
  }
  out << "\nhipcoach gives self-care guidance, not a diagnosis. Knowledge base "
      << assessment.knowledge_version << ".\n";
}

}  // namespace hipcoach::cli
