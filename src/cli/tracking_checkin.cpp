// `hipcoach checkin` (the daily check-in; weekly, the danger-sign questions again) and
// `hipcoach log` (quick entries).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "hipcoach/interview.hpp"
#include "hipcoach/triage.hpp"
#include "render.hpp"
#include "tracking_commands.hpp"
#include "tracking_prompt.hpp"

namespace hipcoach::cli {
namespace {

using tracking::Clock;
using tracking::Tracker;

// Asks one question, then its plainer follow-ups one at a time while the answer stays "not sure".
// false: the person stopped.
bool AskWithFollowUps(const KnowledgeBase& kb, const Question& q, Prompter& p, Answers& answers) {
  auto value = p.AskAnswer(q);
  if (!value) return false;
  answers[q.id] = *value;
  for (const std::string& id : q.if_unknown) {
    if (answers[q.id].kind != AnswerValue::Kind::kUnknown) break;
    const Question* follow_up = kb.FindQuestion(id);
    if (follow_up == nullptr) continue;
    auto plain = p.AskAnswer(*follow_up);
    if (!plain) return false;
    answers[follow_up->id] = *plain;
    if (plain->kind != AnswerValue::Kind::kUnknown) break;
  }
  return true;
}

// The danger check's questions: the danger-sign (red_flag stage) questions in interview order,
// through NextQuestion so that follow-ups and ask_if work exactly as in the assessment; then any
// other question about a sign the programme is paused for (Tracker::DangerQuestions). nullopt:
// the person stopped.
std::optional<Answers> AskDangerSigns(const KnowledgeBase& kb, const Tracker& tracker,
                                      const tracking::State& state, Prompter& p) {
  p.out() << "\nSafety check: a few questions about danger signs. Answer y (yes), n (no) or u "
             "(not sure).\n";
  Answers answers;
  for (;;) {
    const NextStep step = NextQuestion(kb, answers);
    if (step.question == nullptr || step.question->stage != Stage::kRedFlag) break;
    const Question& q = *step.question;
    auto value = p.AskAnswer(q);
    if (!value) return std::nullopt;
    answers[q.id] = *value;
  }
  for (const Question* q : tracker.DangerQuestions(state)) {
    if (q->stage == Stage::kRedFlag || answers.count(q->id) != 0) continue;
    if (!AskWithFollowUps(kb, *q, p, answers)) return std::nullopt;
  }
  return answers;
}

// Shows what a positive danger-sign answer means: re-triage with the check-in's answers.
void ShowRetriage(const KnowledgeBase& kb, const Answers& answers, std::ostream& out) {
  const FindingState state = DeriveFindings(kb, answers);
  const std::vector<double> posteriors = Posteriors(kb, state.Evidence());
  const TriageResult triage = Triage(kb, state, posteriors, answers);
  out << "\n" << EscalationMessage(kb, "danger_sign", 0, 0, 0) << "\n";
  RenderTriage(kb, triage, out);
}

}  // namespace

int Checkin(const KnowledgeBase& kb, Store& store, Clock& clock, const CheckinOptions& options,
            std::istream& in, std::ostream& out, std::ostream& err) {
  Tracker tracker(kb, store, clock);
  auto state = tracker.Load();
  if (!state) {
    err << "hipcoach: " << state.error().message << "\n";
    return kExitFailure;
  }
  auto due = tracker.DangerCheckDue();
  if (!due) {
    err << "hipcoach: " << due.error().message << "\n";
    return kExitFailure;
  }
  Prompter p(in, out);
  const bool weekly = options.weekly || options.resume || *due;
  CheckIn checkin;
  checkin.person_id = state->profile.person_id;
  out << "hipcoach check-in (" << tracking::LocalDate(tracking::LocalDay(clock.Now())) << ")\n";
  if (state->paused && !options.resume) {
    out << "Your programme is paused: " << state->pause_message
        << "\nWhen a doctor or physiotherapist says it is safe, run 'hipcoach checkin --resume'.\n";
  }
  tracking::CheckInInput input;
  if (weekly) {
    auto answers = AskDangerSigns(kb, tracker, *state, p);
    if (!answers) {
      out << "\nStopped; nothing was saved.\n";
      return kExitOk;
    }
    auto matched = tracker.DangerSigns(*answers);
    if (!matched) {
      err << "hipcoach: " << matched.error().message << "\n";
      return kExitFailure;
    }
    if (!matched->empty()) {
      // Kept at once (the programme pauses), whatever happens to the rest of the check-in.
      auto kept = tracker.RecordDangerAnswers(*answers);
      if (!kept) {
        err << "hipcoach: " << kept.error().message << "\n";
        return kExitFailure;
      }
      input.danger_recorded = true;
      ShowRetriage(kb, *answers, out);
    } else if (options.resume && state->paused) {
      // Resuming may need a clinician's word (after an urgent pause, or for a sign resting on
      // the person's history). Skipping the question is not a yes: the programme stays paused,
      // and the check-in carries on and is saved, as the web check-in does.
      input.resume = true;
      input.clinician_seen =
          p.AskYesNo(
               "Since the programme was paused, has a doctor or physiotherapist seen you about "
               "this and said it is safe to exercise?")
              .value_or(false);
    } else {
      out << "\nNo danger signs. Thank you.\n";
    }
    input.danger_answers = std::move(*answers);
  }

  auto pain = p.AskInt("How much does it hurt right now? (0 = no pain, 10 = worst imaginable)", 0,
                       10, false);
  if (pain.stopped) {
    // Danger signs already answered were kept (they paused the programme); nothing else is.
    out << "\nStopped; nothing more was saved.\n";
    return kExitOk;
  }
  checkin.pain_now = *pain.value;
  auto ask = [&](const std::string& question, int low, int high) -> std::optional<int> {
    return p.AskInt(question + " (Enter to skip)", low, high, true).value;
  };
  checkin.pain_worst = ask("Worst pain in the last 24 hours, 0-10?", 0, 10);
  // Where it hurts, by region and side (the assessment's body map).
  const Question* body = kb.BodyMapQuestion();
  if (body != nullptr) {
    out << "Where does it hurt? Type the numbers (e.g. 1 3), or Enter to skip:\n";
    for (std::size_t i = 0; i < body->choices.size(); ++i) {
      out << fmt::format("  {}) {}\n", i + 1, body->choices[i].text);
    }
    std::vector<int> picked = p.AskChoices(static_cast<int>(body->choices.size()));
    for (int index : picked) {
      const Choice& region = body->choices[static_cast<std::size_t>(index)];
      const std::string side = p.AskSide(region.text);
      const auto region_pain =
          p.AskInt(fmt::format("Pain there ({}), 0-10? (Enter: {})", region.text, checkin.pain_now),
                   0, 10, true);
      checkin.regions.push_back(
          RegionPain{region.id, side, region_pain.value.value_or(checkin.pain_now)});
    }
  }
  checkin.slept_on_painful_side = p.AskYesNo("Did you sleep on the painful side last night?");
  checkin.sitting_tolerance_minutes =
      ask("How many minutes can you sit before the pain makes you move?", 0, 1440);
  if (auto km = p.AskNumber("Running today, in km? (Enter to skip)", 0, 300)) {
    checkin.running_km = *km;
  }
  checkin.cycling_minutes = ask("Cycling today, in minutes?", 0, 1440);
  if (auto hours = p.AskNumber("Hours spent sitting today? (Enter to skip)", 0, 24)) {
    checkin.sitting_hours = *hours;
  }
  std::optional<OutcomeRecord> psfs;
  if (weekly) {
    out << "Compared with a week ago, your pain is:\n  1) much better  2) better  3) about the "
           "same  4) worse  5) much worse\n";
    static const char* kChanges[] = {"much_better", "better", "same", "worse", "much_worse"};
    if (auto change = ask("Your answer, 1-5?", 1, 5)) {
      checkin.change = kChanges[*change - 1];
    }
    psfs = p.AskPsfs(store, state->profile.person_id);
  }
  input.checkin = checkin;
  input.psfs = std::move(psfs);
  auto recorded = tracker.RecordCheckIn(input);
  if (!recorded) {
    err << "hipcoach: " << recorded.error().message << "\n";
    return recorded.error().code == ErrorCode::kInvalidInput ? kExitBadInput : kExitFailure;
  }
  if (input.resume) {
    if (recorded->resumed) {
      out << "\nNo danger signs. Your programme is running again; take it gently at first.\n";
    } else {
      out << "\nThe programme stays paused. " << recorded->not_resumed << "\n";
    }
  }
  out << "\nSaved. Thank you.\n";
  ShowUpdates(kb, recorded->updates, out);
  return kExitOk;
}

int Log(const KnowledgeBase& kb, Store& store, Clock& clock, const LogOptions& o, std::ostream& out,
        std::ostream& err) {
  Tracker tracker(kb, store, clock);
  auto person = tracking::PersonId(store);
  if (!person) {
    err << "hipcoach: " << person.error().message << "\n";
    return kExitFailure;
  }
  TimeSeconds at = clock.Now();
  if (!o.at.empty()) {
    auto parsed = tracking::ParseTime(o.at);
    if (!parsed) {
      err << fmt::format(
          "hipcoach: '{}' is not a time I understand; use 2026-01-05 or 2026-01-05T18:30. "
          "Nothing was saved.\n",
          o.at);
      return kExitBadInput;
    }
    at = *parsed;
  }
  auto whole = [&](const std::string& text, const char* what, int low,
                   int high) -> std::optional<int> {
    std::size_t used = 0;
    int value = 0;
    try {
      value = std::stoi(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != text.size() || value < low || value > high) {
      err << fmt::format(
          "hipcoach: {} must be a whole number from {} to {} (you gave '{}'). Nothing was "
          "saved.\n",
          what, low, high, text);
      return std::nullopt;
    }
    return value;
  };
  // What to save; saved with what it leads to (the safety net, progression) in one transaction.
  std::function<Result<RowId>()> write;
  if (o.what == "pain") {
    if (o.values.size() != 1) {
      err << "hipcoach: say how much it hurts now, 0-10: 'hipcoach log pain 4'. Nothing was "
             "saved.\n";
      return kExitBadInput;
    }
    auto pain = whole(o.values[0], "Pain", 0, 10);
    if (!pain) return kExitBadInput;
    CheckIn c;
    c.person_id = *person;
    c.at = at;
    c.pain_now = *pain;
    if (o.worst >= 0) c.pain_worst = o.worst;
    if (o.running_km >= 0) c.running_km = o.running_km;
    if (o.cycling_minutes >= 0) c.cycling_minutes = o.cycling_minutes;
    if (o.sitting_hours >= 0) c.sitting_hours = o.sitting_hours;
    write = [&store, c] { return store.AddCheckIn(c); };
  } else if (o.what == "exercise") {
    if (o.values.size() != 1) {
      err << "hipcoach: name the exercise: 'hipcoach log exercise glute_bridge --sets 2 --reps "
             "12 --pain 3'. Nothing was saved.\n";
      return kExitBadInput;
    }
    const Exercise* exercise = kb.FindExercise(o.values[0]);
    if (exercise == nullptr) {
      std::vector<std::string> ids;
      for (const Exercise& e : kb.exercises) ids.push_back(e.id);
      const std::string hint = ClosestMatch(o.values[0], ids);
      err << fmt::format("hipcoach: there is no exercise called '{}'{}. Nothing was saved.\n",
                         o.values[0], hint.empty() ? "" : " (did you mean '" + hint + "'?)");
      return kExitBadInput;
    }
    if (o.sets < 0 || o.reps < 0 || o.pain < 0) {
      err << "hipcoach: give --sets, --reps and --pain (0-10) for an exercise. Nothing was "
             "saved.\n";
      return kExitBadInput;
    }
    ExerciseLog log;
    log.person_id = *person;
    log.at = at;
    log.exercise = exercise->id;
    log.side = o.side;
    log.sets = o.sets;
    log.reps = o.reps;
    log.hold_seconds = o.hold;
    log.pain = o.pain;
    if (o.effort >= 0) log.effort = o.effort;
    write = [&store, log] { return store.AddExerciseLog(log); };
  } else if (o.what == "psfs") {
    OutcomeRecord psfs;
    psfs.person_id = *person;
    psfs.at = at;
    psfs.measure = "psfs";
    double sum = 0;
    for (const std::string& item : o.values) {
      const auto eq = item.rfind('=');
      if (eq == std::string::npos || eq == 0) {
        err << fmt::format(
            "hipcoach: write each activity as \"activity=score\", e.g. "
            "\"climbing stairs=4\" (you gave '{}'). Nothing was saved.\n",
            item);
        return kExitBadInput;
      }
      auto score = whole(item.substr(eq + 1), "A PSFS score", 0, 10);
      if (!score) return kExitBadInput;
      psfs.items.push_back(PsfsItem{item.substr(0, eq), *score});
      sum += *score;
    }
    psfs.score = psfs.items.empty() ? 0 : sum / static_cast<double>(psfs.items.size());
    write = [&store, psfs] { return store.AddOutcome(psfs); };
  } else {
    err << fmt::format("hipcoach: I can log pain, exercise or psfs, not '{}'.\n", o.what);
    return kExitBadInput;
  }
  auto updates = tracker.Record([&](RowId) -> Result<void> {
    auto id = write();
    if (!id) return tl::unexpected(id.error());
    return {};
  });
  if (!updates) {
    err << "hipcoach: " << updates.error().message
        << (updates.error().code == ErrorCode::kInvalidInput ? ". Nothing was saved.\n" : "\n");
    return updates.error().code == ErrorCode::kInvalidInput ? kExitBadInput : kExitFailure;
  }
  out << "Saved.\n";
  ShowUpdates(kb, *updates, out);
  return kExitOk;
}

}  // namespace hipcoach::cli
