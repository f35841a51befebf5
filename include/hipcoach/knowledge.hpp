// The knowledge base: every clinical fact hipcoach uses, loaded from TOML (see
// docs/knowledge-schema.md). The engine reads it and holds no clinical facts of its own.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hipcoach/expr.hpp"
#include "hipcoach/status.hpp"

namespace hipcoach {

enum class TriageLevel : int { kSelfCare = 0, kRoutine = 1, kUrgent = 2, kEmergency = 3 };

std::string_view ToString(TriageLevel level);
std::optional<TriageLevel> ParseTriageLevel(std::string_view text);

// Where a record was defined, for messages such as "questions.toml:12:1: ...".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class Evidence { kVerified, kUnverified, kComputed, kEstimate };
std::string_view ToString(Evidence evidence);

struct Source {
  std::string id;
  std::string title;
  std::string kind;
  std::string url;
  std::string doi;
  bool verified = true;
  SourceLocation where;
};

// Fields every clinical item carries.
struct Cited {
  std::vector<std::string> sources;
  Evidence evidence = Evidence::kVerified;
};

struct Finding : Cited {
  std::string id;
  std::string text;  // completes "You reported ..."
  double background = 0.5;
  // A fact of the person's history or circumstances (age, a past cancer, a hip replacement, how
  // the pain started, how long ago) rather than a current symptom: a sign that rests on such facts
  // alone cannot be "answered no" later, so resuming after it needs a clinician's word.
  bool lasting = false;
  SourceLocation where;
};

enum class AnswerType { kYesNo, kNumber, kSingleChoice, kMultiChoice, kBodyLocation, kSide };
std::string_view ToString(AnswerType type);

enum class Stage { kRedFlag = 0, kCore = 1, kAdaptive = 2, kProgramme = 3 };
std::string_view ToString(Stage stage);

struct Choice {
  std::string id;
  std::string text;
};

// How an answer sets one finding.
struct FindingRule {
  std::string finding_id;
  int finding = -1;
  std::optional<bool> when;               // yes_no
  std::vector<std::string> any_of;        // choice types
  std::optional<double> at_least, below;  // number
};

// What a "not sure" to a danger-sign question means when no plainer follow-up settles it (the
// model of doubt, docs/clinical-safety.md). Either every finding the question sets counts as
// absent, or the answer is read as a stated value (true/false, a choice, a list of choices). A
// danger sign that then matches rests on the doubt and is worded as "possible".
struct DoubtReading : Cited {
  bool absent = false;
  std::optional<bool> boolean;
  std::vector<std::string> choices;  // one for a single choice, any number for a list
  std::string why;                   // the reason, for reviewers and the docs
};

struct Question : Cited {
  std::string id;
  Stage stage = Stage::kAdaptive;
  int order = 0;
  std::string text;
  std::string help;
  std::string check;  // how the person can check the sign now, shown with the question
  AnswerType type = AnswerType::kYesNo;
  std::string unit;
  double min = 0;
  double max = 0;
  bool integer = false;
  std::vector<Choice> choices;
  std::vector<FindingRule> findings;
  std::optional<Expr> ask_if;
  // Plainer questions asked one at a time after a "not sure" (one symptom each), and the question
  // this one follows up (-1 for a main question).
  std::vector<std::string> if_unknown;
  std::vector<int> follow_ups;
  int follows = -1;
  bool is_follow_up = false;
  std::optional<DoubtReading> unsure;  // what a "not sure" that nothing settles means
  // A programme question asked only within the question budget; without an answer the
  // programme uses its defaults (no equipment, the default minutes a day).
  bool optional = false;
  // Feeds a danger sign or the safety net: an assessment needs its answer (derived by Index()).
  bool screening = false;
  SourceLocation where;

  const Choice* FindChoice(std::string_view choice_id) const;
};

struct RedFlag : Cited {
  std::string id;
  std::string ref;
  std::string name;
  std::string suspected;
  TriageLevel level = TriageLevel::kUrgent;
  Expr pattern;
  std::string reason;
  std::string action;
  SourceLocation where;
};

struct Likelihood : Cited {
  std::string finding_id;
  int finding = -1;
  double lr_pos = 1.0;
  double lr_neg = 1.0;
  // Derived for information gain: P(finding | cause) and P(finding | not cause).
  double p_given_cause = 0.5;
  double p_given_other = 0.5;
};

struct Cause : Cited {
  std::string id;
  std::string ref;
  std::string name;
  std::string also_known_as;
  std::string kind;  // condition | driver | serious
  double prior = 0.05;
  TriageLevel level = TriageLevel::kSelfCare;
  std::string summary;
  std::string education;
  std::string programme;
  std::string red_flag;
  std::string model_group;  // muscle group the hip model weakens to show this cause's effect
  std::vector<Likelihood> likelihoods;
  SourceLocation where;
};

struct Contraindication : Cited {
  Expr when;
  std::string reason;
};

enum class DoseDays { kDaily, kStrength, kRestDaysOk };
std::string_view ToString(DoseDays days);

struct Dose : Cited {
  int phase = 1;
  int sets = 1;
  int reps_min = 1;
  int reps_max = 1;
  int hold_seconds = 0;
  int times_per_day = 1;
  DoseDays days = DoseDays::kDaily;
};

struct Exercise : Cited {
  std::string id;
  std::string name;
  std::string kind;  // strength | isometric | stretch | mobility | foam_roll | core
  std::vector<std::string> targets;
  bool per_side = false;
  std::vector<std::string> equipment;
  std::string easier;
  std::string harder;
  std::vector<std::string> instructions;
  std::string why;
  std::vector<std::string> suits;
  std::vector<int> suit_causes;  // resolved indices of `suits`
  std::vector<Dose> doses;
  std::vector<Contraindication> contraindications;
  SourceLocation where;

  const Dose* DoseFor(int phase) const;
};

struct SelfCare : Cited {
  std::string id;
  std::string name;
  std::string kind;
  int min_minutes = 0;
  int max_minutes = 0;
  double min_gap_hours = 0;
  std::vector<std::string> instructions;
  std::string why;
  std::vector<Contraindication> contraindications;
  SourceLocation where;
};

struct MedicationCaution : Cited {
  std::string id;
  std::string medicine;
  std::optional<Expr> when;  // empty: always shown
  std::string message;
  SourceLocation where;
};

struct EducationPage : Cited {
  std::string id;
  std::string topic;
  std::string title;
  std::string body;
  SourceLocation where;
};

struct CoverageFact {
  std::string id;
  std::string summary;
  std::vector<std::string> records;
  SourceLocation where;
};

// A staged safety-net rule (clinical reference section 8, D1).
struct SafetyNetRule : Cited {
  std::string id;
  int day = 0;
  Expr when;
  TriageLevel level = TriageLevel::kRoutine;
  std::string message;
  SourceLocation where;
};

// What the person sees when tracking escalates (rules.toml [[escalation]]). `message` may hold
// {baseline}, {current}, {rise} and {days}.
struct EscalationText : Cited {
  std::string id;
  TriageLevel level = TriageLevel::kRoutine;
  std::string message;
  SourceLocation where;
};

struct TriageLevelInfo : Cited {
  TriageLevel level = TriageLevel::kSelfCare;
  std::string title;
  std::string action;
  std::string window;
};

struct Phase {
  int number = 1;
  std::string name;
  int first_week = 1;
  int last_week = 2;
  std::string goal;
};

// Thresholds the engine uses. All of them come from rules.toml.
struct Rules : Cited {
  // interview
  int max_questions = 25;
  int optional_budget = 18;  // optional programme questions only while fewer have been asked
  double stop_probability = 0.85;
  double stop_margin = 0.30;
  double min_information_gain = 0.01;
  int min_adaptive_questions = 3;
  // inference
  double likely = 0.30;
  double cause_level = 0.50;
  double report_min = 0.02;
  double max_probability = 0.9;  // no figure above this from a questionnaire
  int causes_shown = 5;          // the rest are behind "show more"
  // triage
  std::vector<TriageLevelInfo> levels;
  std::vector<SafetyNetRule> safety_net;
  // pain monitoring and progression (used by tracking)
  int pain_safe_max = 2;
  int pain_acceptable_max = 5;
  int progression_sessions = 2;
  double load_step_min_percent = 2;
  double load_step_max_percent = 10;
  int missed_sessions_regress = 3;
  int restart_gap_days = 7;
  int min_days_on_rung = 7;  // time as well as response: at least this long on one rung
  int load_from_phase = 3;   // added load only from this phase
  // tracking: the staged safety net over logged data ([tracking], [[escalation]])
  int danger_check_days = 7;
  int trend_window_days = 3;
  int review_days = 14;
  double meaningful_change_points = 2;
  double meaningful_change_percent = 30;
  int worse_rise_points = 2;     // a flare
  int worse_sustained_days = 7;  // a flare that lasts this long: sustained worsening
  int pause_pain_min = 7;
  int high_sustained_days = 3;  // days within a week with pain of pause_pain_min or more
  int resolved_pain_max = 2;
  int physio_days = 42;
  int msk_days = 90;
  std::vector<EscalationText> escalations;
  // the sources of [pain_monitoring], [progression] and [tracking], cited by each decision
  std::vector<std::string> pain_monitoring_sources, progression_sources, tracking_sources;
  // the guided session ([session])
  int get_ready_seconds = 5;
  int rest_seconds = 60;
  int restart_sets = 1;
  // programme
  std::vector<Phase> phases;
  int sitting_break_minutes = 30;
  int default_minutes_per_day = 15;
  // limits every dose must respect
  int max_sets = 4;
  int max_reps = 20;
  int max_hold_seconds = 60;
  int max_times_per_day = 3;
  int ice_max_minutes = 20;
  int heat_max_minutes = 20;
  double ice_min_gap_hours = 2;

  const TriageLevelInfo& Level(TriageLevel level) const;
  const EscalationText* FindEscalation(std::string_view id) const {
    for (const EscalationText& e : escalations) {
      if (e.id == id) return &e;
    }
    return nullptr;
  }
};

class KnowledgeBase {
 public:
  std::string version;
  std::string title;
  std::vector<Source> sources;
  std::vector<Finding> findings;
  std::vector<Question> questions;
  std::vector<RedFlag> red_flags;
  std::vector<Cause> causes;
  std::vector<Exercise> exercises;
  std::vector<SelfCare> self_care;
  std::vector<MedicationCaution> medication_cautions;
  std::vector<EducationPage> education;
  std::vector<CoverageFact> coverage;
  Rules rules;

  // Lookups by id; -1 (or nullptr) when absent.
  int FindingIndex(std::string_view id) const;
  int QuestionIndex(std::string_view id) const;
  int CauseIndex(std::string_view id) const;
  int ExerciseIndex(std::string_view id) const;
  const Source* FindSource(std::string_view id) const;
  const Question* FindQuestion(std::string_view id) const;
  const RedFlag* FindRedFlag(std::string_view id) const;
  const Cause* FindCause(std::string_view id) const;
  const Exercise* FindExercise(std::string_view id) const;
  const SelfCare* FindSelfCare(std::string_view id) const;
  // The longest a self-care measure may be used at once: its own limit, and for cold and heat
  // the rules' cap as well (every front end shows and times this figure).
  int SelfCareMaxMinutes(const SelfCare& care) const;
  // The body map: the first body-location question, whose choices name the regions a check-in
  // records pain in (nullptr when the knowledge base has none).
  const Question* BodyMapQuestion() const;
  const EducationPage* FindEducation(std::string_view id) const;

  // The finding indices each red flag reads (pattern), and for each question the red flags its
  // findings feed. Built by Index().
  std::vector<std::vector<int>> red_flag_findings;
  std::vector<int> question_urgency;  // most urgent red-flag level a question feeds, or -1
  std::vector<std::vector<int>> finding_setters;  // per finding, the questions that set it
  // Question indices in interview order: stage, then (for danger signs) most urgent first, then
  // the `order` field. Follow-up questions come right after the question they follow.
  std::vector<int> interview_order;

  // Rebuilds the id maps and derived tables; called by the loader.
  void Index();

 private:
  std::map<std::string, int, std::less<>> finding_index_, question_index_, cause_index_,
      exercise_index_, source_index_, red_flag_index_, self_care_index_, education_index_;
};

// One knowledge file in memory: its name (for messages) and its text.
struct KnowledgeFile {
  std::string name;
  std::string text;
};

// A problem found while loading or checking, printed as "file:line:col: message".
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  std::string Format() const;
};

// Parses and validates a knowledge base held in memory. Any problem makes it fail with every
// diagnostic found (the knowledge base is all or nothing).
struct LoadOutcome {
  std::optional<KnowledgeBase> kb;
  std::vector<Diagnostic> diagnostics;
};
LoadOutcome LoadKnowledge(std::span<const KnowledgeFile> files);

// The closest id in `candidates` to `id` by edit distance, for "did you mean" hints; empty when
// nothing is close.
std::string ClosestMatch(std::string_view id, const std::vector<std::string>& candidates);

}  // namespace hipcoach
