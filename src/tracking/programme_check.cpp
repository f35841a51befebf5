#include "hipcoach/programme_check.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "hipcoach/assessment.hpp"
#include "hipcoach/serialize.hpp"

namespace hipcoach::tracking {
namespace {

constexpr std::size_t kMaxItems = 100;
constexpr int kMaxLoadSteps = 100;

Result<void> Fail(std::string message) {
  return MakeError(ErrorCode::kInvalidInput, std::move(message));
}

Result<void> Within(std::string_view what, int value, int low, int high) {
  if (value < low || value > high) {
    return Fail(fmt::format("{} is {}; it must be from {} to {}", what, value, low, high));
  }
  return {};
}

#define HIPCOACH_CHECK(expr)                 \
  do {                                       \
    if (auto ok_ = (expr); !ok_) return ok_; \
  } while (false)

}  // namespace

Result<AssessmentLimits> LimitsOf(const KnowledgeBase& kb, const StoredAssessment& assessment) {
  auto answers = ParseAnswersDocument(kb, assessment.answers_json,
                                      fmt::format("assessment {}", assessment.id));
  if (!answers) {
    return MakeError(ErrorCode::kInvalidInput,
                     fmt::format("its answers do not fit this version of hipcoach's questions, so "
                                 "they cannot vouch for a programme ({})",
                                 answers.error().message));
  }
  auto assessed = Assess(kb, *answers);
  if (!assessed) {
    return MakeError(ErrorCode::kInvalidInput,
                     fmt::format("its answers leave out part of the danger screen, so they cannot "
                                 "vouch for a programme ({})",
                                 assessed.error().message));
  }
  return LimitsOfAssessment(*assessed);
}

AssessmentLimits LimitsOfAssessment(const Assessment& assessed) {
  AssessmentLimits limits;
  limits.programme = assessed.programme.has_value();
  limits.self_care_known = true;
  if (assessed.programme) {
    for (const ExcludedItem& item : assessed.programme->excluded) limits.excluded.insert(item.id);
    for (const SelfCareAdvice& advice : assessed.programme->self_care) {
      if (advice.allowed) limits.self_care_allowed.insert(advice.self_care);
    }
  }
  return limits;
}

Result<void> CheckNewVersion(const KnowledgeBase& kb, Store& store, RowId person,
                             const ActivePlan& plan, std::optional<RowId> assessment_id) {
  AssessmentLimits limits = LimitsOfPlan(plan);
  if (assessment_id) {
    auto assessments = store.Assessments(person);
    if (!assessments) return tl::unexpected(assessments.error());
    for (const StoredAssessment& a : *assessments) {
      if (a.id != *assessment_id) continue;
      if (auto of = LimitsOf(kb, a)) limits = std::move(*of);
    }
  }
  return CheckPlan(kb, plan, limits);
}

AssessmentLimits LimitsOfPlan(const ActivePlan& plan) {
  AssessmentLimits limits;
  limits.excluded.insert(plan.excluded.begin(), plan.excluded.end());
  return limits;
}

Result<void> CheckPlan(const KnowledgeBase& kb, const ActivePlan& plan,
                       const AssessmentLimits& limits) {
  const Rules& rules = kb.rules;
  if (!limits.programme && !plan.items.empty()) {
    return Fail(
        "its assessment found danger signs and gave no programme, so it cannot prescribe "
        "exercises");
  }
  if (plan.items.size() > kMaxItems) {
    return Fail(fmt::format("it has {} exercises; at most {}", plan.items.size(), kMaxItems));
  }
  int last_phase = 1;
  for (const Phase& phase : rules.phases) last_phase = std::max(last_phase, phase.number);
  HIPCOACH_CHECK(Within("the phase", plan.phase, 1, last_phase));
  for (const std::string& id : limits.excluded) {
    if (std::find(plan.excluded.begin(), plan.excluded.end(), id) == plan.excluded.end()) {
      return Fail(fmt::format("it drops '{}' from the exercises left out for this person", id));
    }
  }
  for (const Prescription& p : plan.items) {
    const Exercise* exercise = kb.FindExercise(p.exercise);
    if (exercise == nullptr) {
      return Fail(fmt::format("'{}' is not an exercise hipcoach knows", p.exercise));
    }
    if (limits.excluded.count(p.exercise) == 1 ||
        std::find(plan.excluded.begin(), plan.excluded.end(), p.exercise) != plan.excluded.end()) {
      return Fail(
          fmt::format("'{}' was left out for this person by their assessment (a reason "
                      "not to do it, or equipment they do not have)",
                      p.exercise));
    }
    const std::string what = fmt::format("'{}': ", p.exercise);
    HIPCOACH_CHECK(Within(what + "sets", p.sets, 1, rules.max_sets));
    HIPCOACH_CHECK(Within(what + "reps_min", p.reps_min, 1, rules.max_reps));
    HIPCOACH_CHECK(Within(what + "reps_max", p.reps_max, p.reps_min, rules.max_reps));
    HIPCOACH_CHECK(Within(what + "hold_seconds", p.hold_seconds, 0, rules.max_hold_seconds));
    HIPCOACH_CHECK(Within(what + "times_per_day", p.times_per_day, 1, rules.max_times_per_day));
    HIPCOACH_CHECK(Within(what + "phase", p.phase, 1, last_phase));
    HIPCOACH_CHECK(Within(what + "load_steps", p.load_steps, 0, kMaxLoadSteps));
  }
  for (const std::string& id : plan.self_care) {
    if (kb.FindSelfCare(id) == nullptr) {
      return Fail(fmt::format("'{}' is not a self-care measure hipcoach knows", id));
    }
    if (limits.self_care_known && limits.self_care_allowed.count(id) == 0) {
      return Fail(fmt::format("'{}' is not allowed for this person by their assessment", id));
    }
  }
  return {};
}

Result<void> CheckProgrammes(const KnowledgeBase& kb, const DataSet& data) {
  for (const ProgrammeVersion& version : data.programmes) {
    const std::string where = fmt::format("programme version {}", version.id);
    auto plan = ParsePlan(version.programme_json);
    if (!plan) return Fail(fmt::format("{}: {}", where, plan.error().message));
    // Its assessment: the one it names, or the latest before it.
    const StoredAssessment* assessment = nullptr;
    for (const StoredAssessment& a : data.assessments) {
      if (version.assessment_id ? a.id == *version.assessment_id : a.at <= version.at) {
        if (assessment == nullptr || version.assessment_id || a.at >= assessment->at) {
          assessment = &a;
        }
      }
    }
    if (assessment == nullptr) {
      if (plan->items.empty()) continue;
      return Fail(fmt::format("{}: there is no assessment it could come from", where));
    }
    auto limits = LimitsOf(kb, *assessment);
    if (!limits) {
      return Fail(
          fmt::format("{}: assessment {}: {}", where, assessment->id, limits.error().message));
    }
    if (auto ok = CheckPlan(kb, *plan, *limits); !ok) {
      return Fail(fmt::format("{}: {}", where, ok.error().message));
    }
  }
  return {};
}

}  // namespace hipcoach::tracking
