// The interview as a Questionnaire, and answers as a QuestionnaireResponse.
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "hipcoach/serialize.hpp"
#include "internal.hpp"

namespace hipcoach::fhir {
namespace detail {

json Coding(std::string_view system, std::string_view code, std::string_view display) {
  json out = {{"system", system}, {"code", code}};
  if (!display.empty()) out["display"] = display;
  return out;
}

json NotSureCoding() { return Coding(kDataAbsentReasonSystem, kNotSureCode, kNotSureDisplay); }

json NotSureExtension() {
  return {{"url", kDataAbsentReasonExtension}, {"valueCode", kNotSureCode}};
}

json Ref(std::string_view uuid) { return {{"reference", "urn:uuid:" + std::string(uuid)}}; }

namespace {

bool IsChoiceType(AnswerType type) {
  return type == AnswerType::kSingleChoice || type == AnswerType::kMultiChoice ||
         type == AnswerType::kBodyLocation || type == AnswerType::kSide;
}

json ChoiceCoding(const Question* question, const std::string& question_id,
                  const std::string& code) {
  const Choice* choice = question != nullptr ? question->FindChoice(code) : nullptr;
  return Coding(AnswerSystem(question_id), code, choice != nullptr ? choice->text : "");
}

json IntegerJson(double value) { return json(static_cast<std::int64_t>(std::llround(value))); }

// The answers of one item; an empty array when `value` is not an answer.
json AnswerList(const Question* question, const std::string& id, const json& value) {
  json out = json::array();
  const bool yes_no = question != nullptr && question->type == AnswerType::kYesNo;
  const bool number = question != nullptr && question->type == AnswerType::kNumber;
  if (value.is_string() && value.get<std::string>() == "unknown") {
    // A typed item says "not sure" with the data-absent-reason extension on its (absent) value;
    // a choice item with the data-absent-reason coding, which its answerOptions list.
    if (yes_no) {
      out.push_back({{"_valueBoolean", {{"extension", json::array({NotSureExtension()})}}}});
    } else if (number) {
      out.push_back({{question->integer ? "_valueInteger" : "_valueDecimal",
                      {{"extension", json::array({NotSureExtension()})}}}});
    } else {
      out.push_back({{"valueCoding", NotSureCoding()}});
    }
  } else if (value.is_boolean()) {
    out.push_back({{"valueBoolean", value.get<bool>()}});
  } else if (yes_no && value.is_string() &&
             (value.get<std::string>() == "yes" || value.get<std::string>() == "no")) {
    out.push_back({{"valueBoolean", value.get<std::string>() == "yes"}});
  } else if (value.is_number()) {
    const double n = value.get<double>();
    const bool integer = number ? question->integer : std::floor(n) == n;
    if (integer) {
      out.push_back({{"valueInteger", IntegerJson(n)}});
    } else {
      out.push_back({{"valueDecimal", n}});
    }
  } else if (value.is_string()) {
    out.push_back({{"valueCoding", ChoiceCoding(question, id, value.get<std::string>())}});
  } else if (value.is_array()) {
    for (const json& element : value) {
      if (!element.is_string()) return json::array();
      out.push_back({{"valueCoding", ChoiceCoding(question, id, element.get<std::string>())}});
    }
  }
  return out;
}

// ---- enableWhen: ask_if written as conditions on other items, when that maps simply ----

struct Gate {
  std::vector<json> conditions;
  std::string behavior = "any";  // any | all
};

// The alternative answers that make `finding` present; nullopt when one does not map to a single
// condition.
std::optional<std::vector<json>> FindingConditions(const KnowledgeBase& kb, int finding) {
  std::vector<json> out;
  for (const Question& q : kb.questions) {
    for (const FindingRule& rule : q.findings) {
      if (rule.finding != finding) continue;
      if (q.type == AnswerType::kYesNo) {
        out.push_back(
            {{"question", q.id}, {"operator", "="}, {"answerBoolean", rule.when.value_or(true)}});
      } else if (q.type == AnswerType::kNumber) {
        if (rule.at_least.has_value() == rule.below.has_value()) return std::nullopt;
        const double bound = rule.at_least ? *rule.at_least : *rule.below;
        if (q.integer && std::floor(bound) != bound) return std::nullopt;
        json condition = {{"question", q.id}, {"operator", rule.at_least ? ">=" : "<"}};
        if (q.integer) {
          condition["answerInteger"] = IntegerJson(bound);
        } else {
          condition["answerDecimal"] = bound;
        }
        out.push_back(std::move(condition));
      } else {
        for (const std::string& choice : rule.any_of) {
          out.push_back({{"question", q.id},
                         {"operator", "="},
                         {"answerCoding", Coding(AnswerSystem(q.id), choice)}});
        }
      }
    }
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::optional<Gate> GateOf(const KnowledgeBase& kb, const Expr& expr) {
  Gate gate;
  if (expr.kind == Expr::Kind::kFinding) {
    auto conditions = FindingConditions(kb, expr.index);
    if (!conditions) return std::nullopt;
    gate.conditions = std::move(*conditions);
    return gate;
  }
  if (expr.kind != Expr::Kind::kAny && expr.kind != Expr::Kind::kAll) return std::nullopt;
  gate.behavior = expr.kind == Expr::Kind::kAny ? "any" : "all";
  for (const Expr& child : expr.children) {
    if (child.kind != Expr::Kind::kFinding) return std::nullopt;
    auto conditions = FindingConditions(kb, child.index);
    if (!conditions) return std::nullopt;
    // all(): each finding must be one condition, or "all" would need every alternative.
    if (expr.kind == Expr::Kind::kAll && conditions->size() != 1) return std::nullopt;
    for (json& c : *conditions) gate.conditions.push_back(std::move(c));
  }
  if (gate.conditions.empty()) return std::nullopt;
  return gate;
}

// A follow-up is asked when its gate was answered "not sure"; that maps only for choice gates,
// whose answerOptions carry the "not sure" coding.
std::optional<Gate> FollowUpGate(const KnowledgeBase& kb, const Question& question) {
  if (question.follows >= 0) {
    const Question& gate = kb.questions[static_cast<std::size_t>(question.follows)];
    if (!IsChoiceType(gate.type)) return std::nullopt;
    Gate out;
    out.conditions.push_back(
        {{"question", gate.id}, {"operator", "="}, {"answerCoding", NotSureCoding()}});
    return out;
  }
  return std::nullopt;
}

std::string UcumCode(const std::string& unit) {
  if (unit == "years") return "a";
  if (unit == "days") return "d";
  if (unit == "minutes") return "min";
  if (unit == "/10") return "{score}";
  return {};
}

json QuestionnaireItem(const KnowledgeBase& kb, const Question& q) {
  json item = {{"linkId", q.id}, {"text", q.text}};
  json extensions = json::array();
  switch (q.type) {
    case AnswerType::kYesNo:
      item["type"] = "boolean";
      break;
    case AnswerType::kNumber: {
      item["type"] = q.integer ? "integer" : "decimal";
      const char* value_key = q.integer ? "valueInteger" : "valueDecimal";
      auto number = [&](double v) { return q.integer ? IntegerJson(v) : json(v); };
      extensions.push_back({{"url", "http://hl7.org/fhir/StructureDefinition/minValue"},
                            {value_key, number(q.min)}});
      extensions.push_back({{"url", "http://hl7.org/fhir/StructureDefinition/maxValue"},
                            {value_key, number(q.max)}});
      if (const std::string ucum = UcumCode(q.unit); !ucum.empty()) {
        extensions.push_back({{"url", "http://hl7.org/fhir/StructureDefinition/questionnaire-unit"},
                              {"valueCoding", Coding(kUcum, ucum, q.unit)}});
      }
      break;
    }
    case AnswerType::kSingleChoice:
    case AnswerType::kSide:
    case AnswerType::kMultiChoice:
    case AnswerType::kBodyLocation: {
      item["type"] = "choice";
      if (q.type == AnswerType::kMultiChoice || q.type == AnswerType::kBodyLocation) {
        item["repeats"] = true;
      }
      json options = json::array();
      for (const Choice& choice : q.choices) {
        options.push_back({{"valueCoding", Coding(AnswerSystem(q.id), choice.id, choice.text)}});
      }
      options.push_back({{"valueCoding", NotSureCoding()}});
      item["answerOption"] = std::move(options);
      break;
    }
  }
  if (!extensions.empty()) item["extension"] = std::move(extensions);
  std::optional<Gate> gate;
  if (q.is_follow_up) {
    if (!q.ask_if) gate = FollowUpGate(kb, q);
  } else if (q.ask_if) {
    gate = GateOf(kb, *q.ask_if);
  }
  if (gate) {
    item["enableWhen"] = gate->conditions;
    if (gate->conditions.size() > 1) item["enableBehavior"] = gate->behavior;
  }
  return item;
}

}  // namespace

json ResponseItems(const KnowledgeBase& kb, const json& answers) {
  json items = json::array();
  if (!answers.is_object()) return items;
  std::vector<std::string> order;
  for (int qi : kb.interview_order) {
    const std::string& id = kb.questions[static_cast<std::size_t>(qi)].id;
    if (answers.contains(id)) order.push_back(id);
  }
  for (const auto& [id, unused] : answers.items()) {
    if (kb.FindQuestion(id) == nullptr) order.push_back(id);
  }
  for (const std::string& id : order) {
    const Question* question = kb.FindQuestion(id);
    json answer = AnswerList(question, id, answers.at(id));
    if (answer.empty()) continue;
    json item = {{"linkId", id}};
    if (question != nullptr) item["text"] = question->text;
    item["answer"] = std::move(answer);
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace detail

using detail::json;

std::string QuestionnaireCanonical(std::string_view version) {
  std::string out(kQuestionnaireUrl);
  if (!version.empty()) out += "|" + std::string(version);
  return out;
}

json QuestionnaireJson(const KnowledgeBase& kb) {
  json items = json::array();
  for (int qi : kb.interview_order) {
    items.push_back(detail::QuestionnaireItem(kb, kb.questions[static_cast<std::size_t>(qi)]));
  }
  return {{"resourceType", "Questionnaire"},
          {"id", NameUuid("Questionnaire|" + QuestionnaireCanonical(kb.version))},
          {"url", kQuestionnaireUrl},
          {"version", kb.version},
          {"name", "HipcoachInterview"},
          {"title", "hipcoach interview: hip and buttock pain"},
          {"status", "active"},
          {"subjectType", json::array({"Patient"})},
          {"publisher", "hipcoach"},
          {"description",
           "The questions hipcoach asks about hip and buttock pain: danger signs first, then the "
           "core questions, then questions that tell the likely causes apart, then what the "
           "exercise programme needs. Every question may be answered \"not sure\": with the "
           "data-absent-reason code asked-unknown (choice questions list it as an option), or "
           "with the data-absent-reason extension on a yes/no or number answer. Questions left "
           "out count as not reported. This is self-care guidance, not a diagnosis."},
          {"item", std::move(items)}};
}

json QuestionnaireResponseJson(const KnowledgeBase& kb, const Answers& answers,
                               std::string_view knowledge_version, std::string_view subject,
                               std::string_view authored) {
  json values = json::object();
  for (const auto& [id, value] : answers) values[id] = AnswerJson(value);
  json out = {{"resourceType", "QuestionnaireResponse"},
              {"questionnaire", QuestionnaireCanonical(knowledge_version)},
              {"status", "completed"}};
  if (!subject.empty()) out["subject"] = {{"reference", subject}};
  if (!authored.empty()) out["authored"] = authored;
  out["item"] = detail::ResponseItems(kb, values);
  return out;
}

json AnswersDocumentJson(const Answers& answers) {
  json values = json::object();
  for (const auto& [id, value] : answers) values[id] = AnswerJson(value);
  return json{{"answers", std::move(values)}};
}

}  // namespace hipcoach::fhir
