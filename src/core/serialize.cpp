#include "hipcoach/serialize.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "hipcoach/json_reader.hpp"

namespace hipcoach {
namespace {

using nlohmann::json;

// Untrusted text through the one limited reader (json_reader.hpp); messages name the place.
Result<json> ParseJson(std::string_view text, std::string_view file_name) {
  auto parsed = ReadUntrustedJson(text, json_limits::Answers());
  if (!parsed) return MakeError(ErrorCode::kInvalidInput, parsed.error().Format(file_name));
  return std::move(*parsed);
}

double Round(double value, double scale) { return std::round(value * scale) / scale; }

json Sources(const std::vector<std::string>& sources) { return json(sources); }

json ReasonsJson(const std::vector<Reason>& reasons) {
  json out = json::array();
  for (const Reason& reason : reasons) {
    out.push_back({{"text", reason.text}, {"sources", Sources(reason.sources)}});
  }
  return out;
}

json PlanItemJson(const KnowledgeBase& kb, const PlanItem& item) {
  const Exercise* exercise = kb.FindExercise(item.exercise);
  json out = {{"exercise", item.exercise},
              {"name", exercise != nullptr ? exercise->name : item.exercise},
              {"kind", exercise != nullptr ? exercise->kind : ""},
              {"sets", item.sets},
              {"reps_min", item.reps_min},
              {"reps_max", item.reps_max},
              {"hold_seconds", item.hold_seconds},
              {"times_per_day", item.times_per_day},
              {"per_side", item.per_side},
              {"why", item.why},
              {"sources", Sources(item.sources)}};
  if (!item.side_note.empty()) out["side_note"] = item.side_note;
  return out;
}

json ProgrammeJson(const KnowledgeBase& kb, const Programme& programme) {
  json phases = json::array();
  for (const PhasePlan& plan : programme.phases) {
    json items = json::array();
    for (const PlanItem& item : plan.items) items.push_back(PlanItemJson(kb, item));
    phases.push_back({{"number", plan.phase.number},
                      {"name", plan.phase.name},
                      {"weeks", {plan.phase.first_week, plan.phase.last_week}},
                      {"goal", plan.phase.goal},
                      {"exercises", items}});
  }
  json week = json::array();
  for (const PlanDay& day : programme.week) {
    json items = json::array();
    for (const PlanItem& item : day.items) items.push_back(item.exercise);
    week.push_back(
        {{"day", day.day}, {"rest_day", day.rest_day}, {"focus", day.focus}, {"exercises", items}});
  }
  json self_care = json::array();
  for (const SelfCareAdvice& advice : programme.self_care) {
    const SelfCare* care = kb.FindSelfCare(advice.self_care);
    json item = {{"id", advice.self_care}, {"name", care->name},
                 {"kind", care->kind},     {"allowed", advice.allowed},
                 {"note", advice.note},    {"sources", Sources(advice.sources)}};
    if (advice.allowed) {
      item["instructions"] = care->instructions;
      if (care->max_minutes > 0) item["max_minutes"] = care->max_minutes;
      if (care->min_minutes > 0) item["min_minutes"] = care->min_minutes;
      if (care->min_gap_hours > 0) item["min_gap_hours"] = care->min_gap_hours;
    }
    self_care.push_back(std::move(item));
  }
  json excluded = json::array();
  for (const ExcludedItem& item : programme.excluded) {
    const Exercise* exercise = kb.FindExercise(item.id);
    excluded.push_back({{"exercise", item.id},
                        {"name", exercise != nullptr ? exercise->name : item.id},
                        {"reason", item.reason},
                        {"sources", Sources(item.sources)}});
  }
  return {{"current_phase", programme.current_phase},
          {"painful_side",
           programme.painful_side.empty() ? json(nullptr) : json(programme.painful_side)},
          {"minutes_per_day", programme.minutes_per_day},
          {"phases", phases},
          {"week", week},
          {"self_care", self_care},
          {"excluded", excluded},
          {"rules", ReasonsJson(programme.notes)}};
}

}  // namespace

Result<AnswerValue> ParseAnswerValue(const Question& question, const json& value) {
  AnswerValue parsed;
  if (value.is_boolean()) {
    parsed = AnswerValue::Bool(value.get<bool>());
  } else if (value.is_number()) {
    parsed = AnswerValue::Number(value.get<double>());
  } else if (value.is_string()) {
    const auto text = value.get<std::string>();
    if (text == "unknown") {
      parsed = AnswerValue::Unknown();
    } else if (question.type == AnswerType::kYesNo && (text == "yes" || text == "no")) {
      parsed = AnswerValue::Bool(text == "yes");
    } else {
      parsed = AnswerValue::Choice(text);
    }
  } else if (value.is_array()) {
    std::vector<std::string> ids;
    for (const json& element : value) {
      if (!element.is_string()) {
        return MakeError(
            ErrorCode::kInvalidInput,
            fmt::format("question '{}': a list answer must hold only choice ids", question.id));
      }
      ids.push_back(element.get<std::string>());
    }
    parsed = AnswerValue::Choices(std::move(ids));
  } else {
    return MakeError(ErrorCode::kInvalidInput,
                     fmt::format("question '{}': {} is not an answer (use true/false, \"unknown\", "
                                 "a number, a choice id or a list of choice ids)",
                                 question.id, value.is_null() ? "null" : "an object"));
  }
  return ValidateAnswer(question, parsed);
}

Result<Answers> ParseAnswersDocument(const KnowledgeBase& kb, std::string_view text,
                                     std::string_view file_name) {
  auto document = ParseJson(text, file_name);
  if (!document) return tl::unexpected(document.error());
  if (!document->is_object() || !document->contains("answers") ||
      !(*document)["answers"].is_object()) {
    return MakeError(ErrorCode::kInvalidInput,
                     fmt::format("{}: expected an object {{\"answers\": {{\"<question id>\": "
                                 "value}}}}",
                                 file_name));
  }
  for (const auto& [key, unused] : document->items()) {
    if (key != "answers") {
      return MakeError(
          ErrorCode::kInvalidInput,
          fmt::format("{}: unknown top-level key '{}' (only \"answers\")", file_name, key));
    }
  }
  std::vector<std::string> ids;
  for (const Question& q : kb.questions) ids.push_back(q.id);
  Answers answers;
  for (const auto& [id, value] : (*document)["answers"].items()) {
    const Question* question = kb.FindQuestion(id);
    if (question == nullptr) {
      const std::string hint = ClosestMatch(id, ids);
      return MakeError(ErrorCode::kInvalidInput,
                       fmt::format("{}: answers.{}: unknown question id '{}'{}", file_name, id, id,
                                   hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
    auto parsed = ParseAnswerValue(*question, value);
    if (!parsed) {
      return MakeError(ErrorCode::kInvalidInput,
                       fmt::format("{}: answers.{}: {}", file_name, id, parsed.error().message));
    }
    answers.emplace(id, std::move(*parsed));
  }
  return answers;
}

Result<InterviewInput> ParseInterviewLine(const KnowledgeBase& kb, std::string_view line) {
  auto document = ParseJson(line, "input");
  if (!document) return tl::unexpected(document.error());
  if (!document->is_object() || !document->contains("id") || !(*document)["id"].is_string() ||
      !document->contains("value")) {
    return MakeError(ErrorCode::kInvalidInput,
                     "input: each line must be {\"id\": \"<question id>\", \"value\": ...}");
  }
  InterviewInput input;
  input.id = (*document)["id"].get<std::string>();
  const Question* question = kb.FindQuestion(input.id);
  if (question == nullptr) {
    std::vector<std::string> ids;
    for (const Question& q : kb.questions) ids.push_back(q.id);
    const std::string hint = ClosestMatch(input.id, ids);
    return MakeError(ErrorCode::kInvalidInput,
                     fmt::format("input: unknown question id '{}'{}", input.id,
                                 hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }
  auto value = ParseAnswerValue(*question, (*document)["value"]);
  if (!value) return tl::unexpected(value.error());
  input.value = std::move(*value);
  return input;
}

json QuestionJson(const KnowledgeBase& kb, const Question& question) {
  json choices = json::array();
  for (const Choice& choice : question.choices) {
    choices.push_back({{"id", choice.id}, {"text", choice.text}});
  }
  json out = {{"id", question.id},
              {"text", question.text},
              {"help", question.help},
              {"type", ToString(question.type)},
              {"stage", ToString(question.stage)},
              {"choices", choices},
              {"unit", question.unit.empty() ? json(nullptr) : json(question.unit)},
              {"min", question.type == AnswerType::kNumber ? json(question.min) : json(nullptr)},
              {"max", question.type == AnswerType::kNumber ? json(question.max) : json(nullptr)},
              {"red_flag_screen", question.screening},
              {"allows_unknown", true}};
  if (question.type == AnswerType::kNumber) out["integer"] = question.integer;
  if (!question.check.empty()) out["check"] = question.check;
  if (question.follows >= 0) {
    out["follows_up"] = kb.questions[static_cast<std::size_t>(question.follows)].id;
  }
  return out;
}

json AnswerJson(const AnswerValue& value) {
  switch (value.kind) {
    case AnswerValue::Kind::kUnknown:
      return "unknown";
    case AnswerValue::Kind::kBool:
      return value.boolean;
    case AnswerValue::Kind::kNumber:
      return value.number;
    case AnswerValue::Kind::kChoice:
      return value.choice;
    case AnswerValue::Kind::kChoices:
      return value.choices;
  }
  return nullptr;
}

json AssessmentJson(const KnowledgeBase& kb, const Assessment& assessment) {
  const TriageResult& triage = assessment.triage;
  const TriageLevelInfo& info = kb.rules.Level(triage.level);
  json red_flags = json::array();
  for (const MatchedRedFlag& match : triage.red_flags) {
    const RedFlag& flag = kb.red_flags[static_cast<std::size_t>(match.red_flag)];
    red_flags.push_back({{"id", flag.id},
                         {"name", flag.name},
                         {"level", ToString(flag.level)},
                         {"suspected", flag.suspected},
                         {"action", flag.action},
                         {"uncertain", match.uncertain},
                         {"sources", Sources(flag.sources)}});
  }
  auto cause_json = [&kb](const RankedCause& ranked) {
    const Cause& cause = kb.causes[static_cast<std::size_t>(ranked.cause)];
    json evidence = json::array();
    for (const EvidenceItem& item : ranked.evidence) {
      evidence.push_back({{"finding", item.finding},
                          {"text", item.text},
                          {"supports", item.supports},
                          {"likelihood_ratio", Round(item.likelihood_ratio, 100)},
                          {"sources", Sources(item.sources)}});
    }
    json out = {{"id", cause.id},
                {"name", cause.name},
                {"kind", cause.kind},
                {"probability", Round(ranked.probability, 1000)},
                {"chance", ChanceText(ranked.probability)},
                {"summary", cause.summary},
                {"evidence", evidence},
                {"sources", Sources(cause.sources)}};
    if (ranked.flagged_by >= 0) {
      const RedFlag& flag = kb.red_flags[static_cast<std::size_t>(ranked.flagged_by)];
      out["flagged_by"] = flag.id;
      out["why"] = flag.reason;
    }
    return out;
  };
  json causes = json::array();
  for (const RankedCause& ranked : assessment.causes) causes.push_back(cause_json(ranked));
  json more_causes = json::array();
  for (const RankedCause& ranked : assessment.more_causes) {
    more_causes.push_back(cause_json(ranked));
  }
  json rule_out = json::array();
  for (const RankedCause& ranked : assessment.rule_out) rule_out.push_back(cause_json(ranked));
  json doubts = json::array();
  for (const Doubt& doubt : triage.doubts) {
    doubts.push_back({{"question", doubt.question}, {"text", doubt.text}});
  }
  json medication = json::array();
  for (const MedicationCaution* caution : assessment.medication_cautions) {
    medication.push_back({{"id", caution->id},
                          {"medicine", caution->medicine},
                          {"message", caution->message},
                          {"sources", Sources(caution->sources)}});
  }
  return {{"knowledge_version", assessment.knowledge_version},
          {"about",
           "hipcoach gives self-care guidance from your answers. It is not a diagnosis and does "
           "not replace a clinician's examination."},
          {"questions_answered", assessment.questions_answered},
          {"triage",
           {{"level", ToString(triage.level)},
            {"title", info.title},
            {"action", info.action},
            {"window", info.window},
            {"reasons", ReasonsJson(triage.reasons)},
            {"red_flags", red_flags},
            {"safety_net", triage.safety_net},
            {"watch_for", ReasonsJson(triage.watch_for)},
            {"doubts", doubts}}},
          {"rule_out", rule_out},
          {"causes", causes},
          {"more_causes", more_causes},
          {"programme",
           assessment.programme ? ProgrammeJson(kb, *assessment.programme) : json(nullptr)},
          {"medication", medication}};
}

}  // namespace hipcoach
