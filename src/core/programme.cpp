#include "hipcoach/programme.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace hipcoach {
namespace {

// Equipment everyone has: the floor (or a mat or towel), a chair and a wall.
bool AlwaysAvailable(std::string_view item) {
  return item == "mat" || item == "chair" || item == "wall";
}

// For contraindications a "not sure" counts as yes (the cautious reading); a question that was
// never asked counts as no.
Tri CautiousFinding(const FindingState& state, int f) {
  const auto i = static_cast<std::size_t>(f);
  if (state.findings[i] != Tri::kUnknown) return state.findings[i];
  return state.unsure[i] ? Tri::kTrue : Tri::kFalse;
}

struct Context {
  const KnowledgeBase& kb;
  const FindingState& state;
  const std::vector<double>& posteriors;

  bool Has(std::string_view finding) const {
    const int f = kb.FindingIndex(finding);
    return f >= 0 && state.findings[static_cast<std::size_t>(f)] == Tri::kTrue;
  }
  bool Applies(const Expr& when) const {
    auto finding = [this](int f) { return CautiousFinding(state, f); };
    auto cause = [this](int c) {
      return posteriors[static_cast<std::size_t>(c)] >= kb.rules.likely ? Tri::kTrue : Tri::kFalse;
    };
    return Evaluate(when, finding, cause) == Tri::kTrue;
  }
  const Contraindication* Contra(const std::vector<Contraindication>& list) const {
    for (const Contraindication& c : list) {
      if (Applies(c.when)) return &c;
    }
    return nullptr;
  }
};

// The first missing piece of equipment, or empty when everything needed is at hand.
std::string MissingEquipment(const Context& ctx, const Exercise& exercise) {
  for (const std::string& item : exercise.equipment) {
    if (AlwaysAvailable(item)) continue;
    if (!ctx.Has("has_" + item)) return item;
  }
  return {};
}

// Position on its ladder (0 = easiest) and the ladder's easiest member, to keep one rung per
// ladder in a phase.
std::pair<std::string, int> LadderOf(const KnowledgeBase& kb, const Exercise& exercise) {
  const Exercise* current = &exercise;
  int depth = 0;
  for (std::size_t guard = 0; guard < kb.exercises.size() && !current->easier.empty(); ++guard) {
    const Exercise* easier = kb.FindExercise(current->easier);
    if (easier == nullptr) break;
    current = easier;
    ++depth;
  }
  return {current->id, depth};
}

double Score(const Context& ctx, const Exercise& exercise) {
  double score = 0.05;  // a small base so that general exercises still rank when nothing is likely
  for (int c : exercise.suit_causes) {
    if (ctx.kb.causes[static_cast<std::size_t>(c)].kind != "serious") {
      score += ctx.posteriors[static_cast<std::size_t>(c)];
    }
  }
  return score;
}

// Minutes one item takes: about 4 s a repetition plus its hold, both sides if per side, and a
// short rest between sets.
double Minutes(const Exercise& exercise, const Dose& dose) {
  const double per_set = dose.reps_max * (4.0 + dose.hold_seconds);
  const double sides = exercise.per_side ? 2.0 : 1.0;
  return (dose.sets * per_set * sides + (dose.sets - 1) * 30.0) / 60.0 * dose.times_per_day;
}

std::string Category(const Exercise& exercise) {
  if (exercise.kind == "strength" || exercise.kind == "isometric") return "strength";
  if (exercise.kind == "stretch" || exercise.kind == "mobility") return "stretch";
  return exercise.kind;  // core, foam_roll
}

std::string SideNote(const Exercise& exercise, const std::string& painful_side) {
  if (!exercise.per_side) return {};
  if (painful_side == "left" || painful_side == "right") {
    const std::string other = painful_side == "left" ? "right" : "left";
    return fmt::format(
        "Both sides, the same dose. Start with your {} side (the one that does not "
        "hurt) so the {} side can copy good form.",
        other, painful_side);
  }
  return "Both sides, the same dose.";
}

PlanItem MakeItem(const Exercise& exercise, const Dose& dose, const std::string& painful_side,
                  std::string why) {
  PlanItem item;
  item.exercise = exercise.id;
  item.sets = dose.sets;
  item.reps_min = dose.reps_min;
  item.reps_max = dose.reps_max;
  item.hold_seconds = dose.hold_seconds;
  item.times_per_day = dose.times_per_day;
  item.per_side = exercise.per_side;
  item.side_note = SideNote(exercise, painful_side);
  item.why = std::move(why);
  item.sources = dose.sources;
  for (const std::string& s : exercise.sources) {
    if (std::find(item.sources.begin(), item.sources.end(), s) == item.sources.end()) {
      item.sources.push_back(s);
    }
  }
  return item;
}

// Why an exercise is in this person's plan: its own reason plus the likely causes it serves.
std::string WhyFor(const Context& ctx, const Exercise& exercise) {
  std::string why = exercise.why;
  std::vector<std::string> names;
  for (int c : exercise.suit_causes) {
    if (ctx.posteriors[static_cast<std::size_t>(c)] >= ctx.kb.rules.likely) {
      names.push_back(ctx.kb.causes[static_cast<std::size_t>(c)].name);
    }
  }
  if (!names.empty()) {
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i) {
      list += (i == 0 ? "" : (i + 1 == names.size() ? " and " : ", ")) + names[i];
    }
    why += fmt::format(" Chosen for you because of {}.", list);
  }
  return why;
}

struct Quota {
  int strength;
  int core;
  int stretch;
  int foam_roll;
};

Quota QuotaFor(int minutes) {
  if (minutes <= 10) return {2, 1, 1, 0};
  if (minutes <= 20) return {3, 1, 2, 1};
  if (minutes <= 35) return {4, 1, 3, 1};
  return {5, 2, 3, 1};
}

}  // namespace

std::vector<const MedicationCaution*> ApplicableCautions(const KnowledgeBase& kb,
                                                         const std::vector<Tri>& findings) {
  std::vector<const MedicationCaution*> out;
  auto finding = [&findings](int f) { return findings[static_cast<std::size_t>(f)]; };
  for (const MedicationCaution& caution : kb.medication_cautions) {
    // A caution shows when it applies or might apply ("not sure" counts): no medicine text is
    // ever shown without the caution that goes with it.
    if (!caution.when || Evaluate(*caution.when, finding, NoCauses) != Tri::kFalse) {
      out.push_back(&caution);
    }
  }
  return out;
}

std::optional<Programme> BuildProgramme(const KnowledgeBase& kb, const ProgrammeInput& input) {
  if (input.level >= TriageLevel::kUrgent) return std::nullopt;
  const Context ctx{kb, *input.state, *input.posteriors};
  const Rules& rules = kb.rules;
  Programme programme;

  if (input.answers != nullptr) {
    auto side = input.answers->find("painful_side");
    if (side != input.answers->end() && side->second.kind == AnswerValue::Kind::kChoice) {
      programme.painful_side = side->second.choice;
    }
    auto minutes = input.answers->find("minutes_per_day");
    if (minutes != input.answers->end() && minutes->second.kind == AnswerValue::Kind::kNumber) {
      programme.minutes_per_day = static_cast<int>(std::lround(minutes->second.number));
    }
  }
  if (programme.minutes_per_day <= 0) programme.minutes_per_day = rules.default_minutes_per_day;

  // What is left out, and why: contraindications first, then missing equipment.
  std::vector<bool> usable(kb.exercises.size(), true);
  for (std::size_t i = 0; i < kb.exercises.size(); ++i) {
    const Exercise& exercise = kb.exercises[i];
    if (const Contraindication* contra = ctx.Contra(exercise.contraindications)) {
      usable[i] = false;
      programme.excluded.push_back(ExcludedItem{exercise.id, contra->reason, contra->sources});
      continue;
    }
    const std::string missing = MissingEquipment(ctx, exercise);
    if (!missing.empty()) {
      usable[i] = false;
      programme.excluded.push_back(
          ExcludedItem{exercise.id,
                       fmt::format("Needs equipment you did not list ({}).", missing),
                       {"product_rule"}});
    }
  }

  const Quota quota = QuotaFor(programme.minutes_per_day);
  for (const Phase& phase : rules.phases) {
    PhasePlan plan;
    plan.phase = phase;
    // Best candidate per ladder: easiest rung in the first phase, hardest rung after it.
    struct Candidate {
      std::size_t index;
      double score;
      int depth;
    };
    std::map<std::string, Candidate> best_per_ladder;
    for (std::size_t i = 0; i < kb.exercises.size(); ++i) {
      const Exercise& exercise = kb.exercises[i];
      if (!usable[i] || exercise.DoseFor(phase.number) == nullptr) continue;
      const auto [root, depth] = LadderOf(kb, exercise);
      const Candidate candidate{i, Score(ctx, exercise), depth};
      auto it = best_per_ladder.find(root);
      if (it == best_per_ladder.end()) {
        best_per_ladder.emplace(root, candidate);
        continue;
      }
      const bool prefer_easy = phase.number == 1;
      const bool better =
          candidate.score > it->second.score + 1e-9 ||
          (std::abs(candidate.score - it->second.score) <= 1e-9 &&
           (prefer_easy ? candidate.depth < it->second.depth : candidate.depth > it->second.depth));
      if (better) it->second = candidate;
    }
    std::vector<Candidate> candidates;
    candidates.reserve(best_per_ladder.size());
    for (const auto& [root, candidate] : best_per_ladder) candidates.push_back(candidate);
    std::sort(candidates.begin(), candidates.end(), [&kb](const Candidate& a, const Candidate& b) {
      if (a.score != b.score) return a.score > b.score;
      return kb.exercises[a.index].id < kb.exercises[b.index].id;
    });
    std::map<std::string, int> taken;
    const std::map<std::string, int> limit = {{"strength", quota.strength},
                                              {"core", quota.core},
                                              {"stretch", quota.stretch},
                                              {"foam_roll", quota.foam_roll}};
    double minutes = 0;
    for (const Candidate& candidate : candidates) {
      const Exercise& exercise = kb.exercises[candidate.index];
      const std::string category = Category(exercise);
      auto cap = limit.find(category);
      if (cap == limit.end() || taken[category] >= cap->second) continue;
      const Dose& dose = *exercise.DoseFor(phase.number);
      const double cost = Minutes(exercise, dose);
      // Stay within the person's time, but always keep at least one strengthening exercise.
      if (minutes + cost > programme.minutes_per_day * 1.2 &&
          !(category == "strength" && taken[category] == 0)) {
        continue;
      }
      minutes += cost;
      ++taken[category];
      plan.items.push_back(MakeItem(exercise, dose, programme.painful_side, WhyFor(ctx, exercise)));
    }
    programme.phases.push_back(std::move(plan));
  }

  // The first phase's week: harder work on non-consecutive days, light daily work, a rest day.
  if (!programme.phases.empty()) {
    const PhasePlan& current = programme.phases.front();
    bool phase_has_strength = false;
    for (const PlanItem& item : current.items) {
      const Dose* dose = kb.FindExercise(item.exercise)->DoseFor(current.phase.number);
      phase_has_strength = phase_has_strength || dose->days == DoseDays::kStrength;
    }
    for (int day = 1; day <= 7; ++day) {
      PlanDay plan_day;
      plan_day.day = day;
      const bool strength_day = day == 1 || day == 3 || day == 5;
      plan_day.rest_day = day == 7;
      bool has_strength_work = false;
      for (const PlanItem& item : current.items) {
        const Exercise* exercise = kb.FindExercise(item.exercise);
        const Dose* dose = exercise->DoseFor(current.phase.number);
        const bool include = dose->days == DoseDays::kRestDaysOk ||
                             (!plan_day.rest_day && dose->days == DoseDays::kDaily) ||
                             (strength_day && dose->days == DoseDays::kStrength);
        if (!include) continue;
        has_strength_work = has_strength_work || dose->days == DoseDays::kStrength;
        plan_day.items.push_back(item);
      }
      if (plan_day.rest_day) {
        plan_day.focus = "Rest day: gentle stretches and an easy walk only";
      } else if (has_strength_work) {
        plan_day.focus = "Strength day: the daily exercises plus the harder ones";
      } else if (phase_has_strength) {
        plan_day.focus = "Light day: the daily exercises only";
      } else {
        plan_day.focus = "Exercise day";
      }
      programme.week.push_back(std::move(plan_day));
    }
  }

  // Self-care measures with their limits, or why they are not for this person.
  for (const SelfCare& care : kb.self_care) {
    SelfCareAdvice advice;
    advice.self_care = care.id;
    advice.sources = care.sources;
    if (const Contraindication* contra = ctx.Contra(care.contraindications)) {
      advice.allowed = false;
      advice.note = contra->reason;
      advice.sources = contra->sources;
    } else {
      advice.note = care.why;
    }
    programme.self_care.push_back(std::move(advice));
  }

  // The rules the person follows while doing the programme.
  programme.notes.push_back(Reason{
      fmt::format("Pain during exercise: 0-{} out of 10 is fine; up to {} is acceptable if it has "
                  "settled by the next morning. Above {}, or worse the next morning, ease back to "
                  "the easier version.",
                  rules.pain_safe_max, rules.pain_acceptable_max, rules.pain_acceptable_max),
      {"pain_monitoring_model", "silbernagel_2007", "product_rule"}});
  programme.notes.push_back(Reason{
      fmt::format("Progress gradually: when you reach the top of the rep range on every set in {} "
                  "sessions running, move to the harder version or add {:.0f}-{:.0f}% load.",
                  rules.progression_sessions, rules.load_step_min_percent,
                  rules.load_step_max_percent),
      {"acsm_2009", "art_cause", "product_rule"}});
  const int sitting = kb.CauseIndex("prolonged_sitting");
  if (ctx.Has("desk_worker") || ctx.Has("driver_or_long_sitting") ||
      (sitting >= 0 && input.posteriors->at(static_cast<std::size_t>(sitting)) >= rules.likely)) {
    programme.notes.push_back(Reason{
        fmt::format("Sitting breaks: stand up, walk and stretch at least every {} minutes when "
                    "you sit for long.",
                    rules.sitting_break_minutes),
        {"art_cause", "product_rule"}});
  }
  if (input.level == TriageLevel::kRoutine) {
    programme.notes.push_back(Reason{
        "Book a GP or physiotherapist in the next 1-2 weeks. This programme is safe to start "
        "meanwhile; take it with you.",
        {"art_treat", "product_rule"}});
  }
  return programme;
}

}  // namespace hipcoach
