#include "hipcoach/knowledge.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace hipcoach {

std::string_view ToString(TriageLevel level) {
  switch (level) {
    case TriageLevel::kSelfCare:
      return "self_care";
    case TriageLevel::kRoutine:
      return "routine";
    case TriageLevel::kUrgent:
      return "urgent";
    case TriageLevel::kEmergency:
      return "emergency";
  }
  return "emergency";
}

std::optional<TriageLevel> ParseTriageLevel(std::string_view text) {
  if (text == "self_care") return TriageLevel::kSelfCare;
  if (text == "routine") return TriageLevel::kRoutine;
  if (text == "urgent") return TriageLevel::kUrgent;
  if (text == "emergency") return TriageLevel::kEmergency;
  return std::nullopt;
}

std::string_view ToString(Evidence evidence) {
  switch (evidence) {
    case Evidence::kVerified:
      return "verified";
    case Evidence::kUnverified:
      return "unverified";
    case Evidence::kComputed:
      return "computed";
    case Evidence::kEstimate:
      return "estimate";
  }
  return "unverified";
}

std::string_view ToString(AnswerType type) {
  switch (type) {
    case AnswerType::kYesNo:
      return "yes_no";
    case AnswerType::kNumber:
      return "number";
    case AnswerType::kSingleChoice:
      return "single_choice";
    case AnswerType::kMultiChoice:
      return "multi_choice";
    case AnswerType::kBodyLocation:
      return "body_location";
    case AnswerType::kSide:
      return "side";
  }
  return "yes_no";
}

std::string_view ToString(Stage stage) {
  switch (stage) {
    case Stage::kRedFlag:
      return "red_flag";
    case Stage::kCore:
      return "core";
    case Stage::kAdaptive:
      return "adaptive";
    case Stage::kProgramme:
      return "programme";
  }
  return "adaptive";
}

std::string_view ToString(DoseDays days) {
  switch (days) {
    case DoseDays::kDaily:
      return "daily";
    case DoseDays::kStrength:
      return "strength";
    case DoseDays::kRestDaysOk:
      return "rest_days_ok";
  }
  return "daily";
}

const Choice* Question::FindChoice(std::string_view choice_id) const {
  for (const Choice& choice : choices) {
    if (choice.id == choice_id) return &choice;
  }
  return nullptr;
}

const Dose* Exercise::DoseFor(int phase) const {
  for (const Dose& dose : doses) {
    if (dose.phase == phase) return &dose;
  }
  return nullptr;
}

const TriageLevelInfo& Rules::Level(TriageLevel level) const {
  for (const TriageLevelInfo& info : levels) {
    if (info.level == level) return info;
  }
  static const TriageLevelInfo kEmpty;
  return kEmpty;
}

void CollectFindings(const Expr& expr, std::vector<int>& out) {
  if (expr.kind == Expr::Kind::kFinding) {
    if (expr.index >= 0) out.push_back(expr.index);
    return;
  }
  for (const Expr& child : expr.children) CollectFindings(child, out);
}

namespace {
template <typename T>
void BuildIndex(const std::vector<T>& items, std::map<std::string, int, std::less<>>& index) {
  index.clear();
  for (std::size_t i = 0; i < items.size(); ++i) index.emplace(items[i].id, static_cast<int>(i));
}

int Lookup(const std::map<std::string, int, std::less<>>& index, std::string_view id) {
  auto it = index.find(id);
  return it == index.end() ? -1 : it->second;
}

template <typename T>
const T* Pointer(const std::vector<T>& items, int index) {
  return index < 0 ? nullptr : &items[static_cast<std::size_t>(index)];
}
}  // namespace

void KnowledgeBase::Index() {
  BuildIndex(findings, finding_index_);
  BuildIndex(questions, question_index_);
  BuildIndex(causes, cause_index_);
  BuildIndex(exercises, exercise_index_);
  BuildIndex(sources, source_index_);
  BuildIndex(red_flags, red_flag_index_);
  BuildIndex(self_care, self_care_index_);
  BuildIndex(education, education_index_);

  red_flag_findings.assign(red_flags.size(), {});
  for (std::size_t i = 0; i < red_flags.size(); ++i) {
    CollectFindings(red_flags[i].pattern, red_flag_findings[i]);
  }
  finding_setters.assign(findings.size(), {});
  for (std::size_t q = 0; q < questions.size(); ++q) {
    for (const FindingRule& rule : questions[q].findings) {
      if (rule.finding >= 0 && static_cast<std::size_t>(rule.finding) < findings.size()) {
        finding_setters[static_cast<std::size_t>(rule.finding)].push_back(static_cast<int>(q));
      }
    }
  }
  question_urgency.assign(questions.size(), -1);
  for (std::size_t q = 0; q < questions.size(); ++q) {
    for (const FindingRule& rule : questions[q].findings) {
      for (std::size_t f = 0; f < red_flags.size(); ++f) {
        const auto& used = red_flag_findings[f];
        if (std::find(used.begin(), used.end(), rule.finding) != used.end()) {
          question_urgency[q] = std::max(question_urgency[q], static_cast<int>(red_flags[f].level));
        }
      }
    }
  }
  // Screening questions: their findings feed a danger sign or the safety net. An assessment
  // needs their answers, and a "not sure" to them must say what it means (DoubtReading).
  std::vector<int> safety_findings;
  for (const SafetyNetRule& rule : rules.safety_net) CollectFindings(rule.when, safety_findings);
  for (std::size_t q = 0; q < questions.size(); ++q) {
    bool feeds = question_urgency[q] >= 0;
    for (const FindingRule& rule : questions[q].findings) {
      feeds = feeds || std::find(safety_findings.begin(), safety_findings.end(), rule.finding) !=
                           safety_findings.end();
    }
    questions[q].screening = feeds || questions[q].stage == Stage::kRedFlag;
  }
  interview_order.clear();
  std::vector<int> main;
  for (std::size_t q = 0; q < questions.size(); ++q) {
    if (!questions[q].is_follow_up) main.push_back(static_cast<int>(q));
  }
  // Stage, then the author's order: danger signs are written most urgent first, after the
  // question that routes them (where it hurts).
  std::stable_sort(main.begin(), main.end(), [this](int a, int b) {
    const Question& qa = questions[static_cast<std::size_t>(a)];
    const Question& qb = questions[static_cast<std::size_t>(b)];
    if (qa.stage != qb.stage) return qa.stage < qb.stage;
    return qa.order < qb.order;
  });
  // Follow-ups stay right after the question they follow up, depth first (guarded against
  // cycles, which the loader reports).
  std::vector<bool> placed(questions.size(), false);
  auto place = [&](auto& self, int q, std::size_t depth) -> void {
    const auto i = static_cast<std::size_t>(q);
    if (placed[i] || depth > questions.size()) return;
    placed[i] = true;
    interview_order.push_back(q);
    for (int next : questions[i].follow_ups) self(self, next, depth + 1);
  };
  for (int q : main) place(place, q, 0);
}

int KnowledgeBase::FindingIndex(std::string_view id) const { return Lookup(finding_index_, id); }
int KnowledgeBase::QuestionIndex(std::string_view id) const { return Lookup(question_index_, id); }
int KnowledgeBase::CauseIndex(std::string_view id) const { return Lookup(cause_index_, id); }
int KnowledgeBase::ExerciseIndex(std::string_view id) const { return Lookup(exercise_index_, id); }
const Source* KnowledgeBase::FindSource(std::string_view id) const {
  return Pointer(sources, Lookup(source_index_, id));
}
const Question* KnowledgeBase::FindQuestion(std::string_view id) const {
  return Pointer(questions, QuestionIndex(id));
}
const RedFlag* KnowledgeBase::FindRedFlag(std::string_view id) const {
  return Pointer(red_flags, Lookup(red_flag_index_, id));
}
const Cause* KnowledgeBase::FindCause(std::string_view id) const {
  return Pointer(causes, CauseIndex(id));
}
const Exercise* KnowledgeBase::FindExercise(std::string_view id) const {
  return Pointer(exercises, ExerciseIndex(id));
}
const SelfCare* KnowledgeBase::FindSelfCare(std::string_view id) const {
  return Pointer(self_care, Lookup(self_care_index_, id));
}
const Question* KnowledgeBase::BodyMapQuestion() const {
  for (const Question& q : questions) {
    if (q.type == AnswerType::kBodyLocation) return &q;
  }
  return nullptr;
}
int KnowledgeBase::SelfCareMaxMinutes(const SelfCare& care) const {
  if (care.kind == "cold") return std::min(care.max_minutes, rules.ice_max_minutes);
  if (care.kind == "heat") return std::min(care.max_minutes, rules.heat_max_minutes);
  return care.max_minutes;
}
const EducationPage* KnowledgeBase::FindEducation(std::string_view id) const {
  return Pointer(education, Lookup(education_index_, id));
}

std::string Diagnostic::Format() const {
  if (line > 0) return fmt::format("{}:{}:{}: {}", file, line, column, message);
  if (!file.empty()) return fmt::format("{}: {}", file, message);
  return message;
}

namespace {
std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string ClosestMatch(std::string_view id, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = EditDistance(id, candidate);
    if (best.empty() || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  // Close enough to be a typo: at most a third of the longer word, and at least one edit allowed.
  const std::size_t limit = std::max<std::size_t>(2, std::max(id.size(), best.size()) / 3);
  if (best.empty() || best_distance > limit) return {};
  return best;
}

}  // namespace hipcoach
