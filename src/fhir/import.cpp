// A QuestionnaireResponse read back into interview answers. Strict: every problem is reported with
// the element's path, and nothing is returned unless the whole response can be used.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "hipcoach/json_reader.hpp"
#include "internal.hpp"

namespace hipcoach::fhir {
namespace {

using detail::json;

// Thrown inside this file only; AnswersFromQuestionnaireResponse turns it into an Error.
struct Problem {
  std::string message;
};

[[noreturn]] void Fail(const std::string& path, const std::string& what) {
  throw Problem{path + ": " + what};
}

std::string Quoted(const std::string& text) { return json(text).dump(); }

std::string Hint(const std::string& wrong, const std::vector<std::string>& candidates) {
  const std::string close = ClosestMatch(wrong, candidates);
  return close.empty() ? std::string() : fmt::format(" (did you mean {}?)", Quoted(close));
}

// The elements FHIR R4 defines at each level (an "_x" key carries x's extensions).
const std::vector<std::string> kResponseKeys = {
    "resourceType",      "id",         "meta",      "implicitRules",
    "language",          "text",       "contained", "extension",
    "modifierExtension", "identifier", "basedOn",   "partOf",
    "questionnaire",     "status",     "subject",   "encounter",
    "authored",          "author",     "source",    "item"};
const std::vector<std::string> kItemKeys = {
    "id", "extension", "modifierExtension", "linkId", "definition", "text", "answer", "item"};
const std::vector<std::string> kAnswerKeys = {"id",
                                              "extension",
                                              "modifierExtension",
                                              "item",
                                              "valueBoolean",
                                              "valueDecimal",
                                              "valueInteger",
                                              "valueDate",
                                              "valueDateTime",
                                              "valueTime",
                                              "valueString",
                                              "valueUri",
                                              "valueAttachment",
                                              "valueCoding",
                                              "valueQuantity",
                                              "valueReference"};

void CheckKeys(const json& object, const std::string& path, const std::vector<std::string>& known,
               const std::string& what) {
  for (const auto& [key, value] : object.items()) {
    std::string base = key;
    if (base.size() > 1 && base.front() == '_') base.erase(0, 1);
    if (std::find(known.begin(), known.end(), base) == known.end()) {
      Fail(fmt::format("{}.{}", path, key),
           fmt::format("not an element of {}{}", what, Hint(key, known)));
    }
  }
  // A modifier extension changes the meaning of what it sits on; one hipcoach does not know
  // must not be ignored (FHIR R4, Extensibility).
  if (auto it = object.find("modifierExtension"); it != object.end() && !it->empty()) {
    Fail(path + ".modifierExtension",
         "hipcoach does not understand modifier extensions, so it cannot use this response");
  }
}

bool HasNotSureExtension(const json& element) {
  if (!element.is_object()) return false;
  auto it = element.find("extension");
  if (it == element.end() || !it->is_array()) return false;
  for (const json& extension : *it) {
    if (extension.is_object() && TextField(extension, "url") == kDataAbsentReasonExtension) {
      return true;
    }
  }
  return false;
}

const char* ExpectedValue(const Question& q) {
  switch (q.type) {
    case AnswerType::kYesNo:
      return "valueBoolean";
    case AnswerType::kNumber:
      return q.integer ? "valueInteger" : "valueDecimal";
    case AnswerType::kSingleChoice:
    case AnswerType::kMultiChoice:
    case AnswerType::kBodyLocation:
    case AnswerType::kSide:
      break;
  }
  return "valueCoding";
}

std::vector<std::string> ChoiceIds(const Question& q) {
  std::vector<std::string> ids;
  if (q.type == AnswerType::kYesNo) return {"yes", "no"};
  for (const Choice& c : q.choices) ids.push_back(c.id);
  return ids;
}

std::string ChoiceList(const Question& q) {
  std::string out;
  for (const std::string& id : ChoiceIds(q)) out += (out.empty() ? "" : ", ") + id;
  return out;
}

// One answer's value: a choice id, true/false, a number, or "not sure".
AnswerValue ReadAnswer(const Question& q, const json& answer, const std::string& path) {
  if (!answer.is_object()) Fail(path, "must be an object with a value");
  CheckKeys(answer, path, kAnswerKeys, "a QuestionnaireResponse answer");
  if (answer.contains("item")) {
    Fail(path + ".item", "hipcoach's interview has no questions nested under an answer");
  }
  std::vector<std::string> values;
  for (const auto& [key, unused] : answer.items()) {
    std::string base = key.front() == '_' ? key.substr(1) : key;
    if (base.rfind("value", 0) == 0 &&
        std::find(values.begin(), values.end(), base) == values.end()) {
      values.push_back(base);
    }
  }
  const std::string expected = ExpectedValue(q);
  if (values.empty()) {
    Fail(path, fmt::format("no value (question {} takes {})", q.id, expected));
  }
  if (values.size() > 1) {
    Fail(path,
         fmt::format("more than one value ({} and {}); an answer has one", values[0], values[1]));
  }
  const std::string& key = values.front();
  const std::string value_path = path + "." + key;
  const bool has_value = answer.contains(key);
  // "Not sure" on a typed answer: the value is absent and the data-absent-reason extension says
  // why.
  if (!has_value) {
    if (HasNotSureExtension(answer.at("_" + key))) return AnswerValue::Unknown();
    Fail(value_path, "has no value (only a data-absent-reason extension may stand in for one)");
  }
  const json& value = answer.at(key);
  const std::string wrong_type = fmt::format("question {} takes {}, not {}", q.id, expected, key);
  if (key == "valueCoding") {
    if (!value.is_object()) Fail(value_path, "must be a Coding object");
    const json* code = value.contains("code") ? &value.at("code") : nullptr;
    if (code == nullptr) Fail(value_path + ".code", "missing");
    if (!code->is_string()) Fail(value_path + ".code", "must be a string");
    const std::string text = code->get<std::string>();
    std::string system;
    if (value.contains("system")) {
      if (!value.at("system").is_string()) Fail(value_path + ".system", "must be a string");
      system = value.at("system").get<std::string>();
    }
    if (system == kDataAbsentReasonSystem) {
      if (text == "asked-unknown" || text == "unknown") return AnswerValue::Unknown();
      Fail(value_path + ".code",
           fmt::format("{} is not read by hipcoach; use \"asked-unknown\" for \"not sure\"",
                       Quoted(text)));
    }
    if (!system.empty() && system != AnswerSystem(q.id)) {
      Fail(value_path + ".system", fmt::format("{} is not the answer system of question {} "
                                               "(expected {})",
                                               Quoted(system), q.id, Quoted(AnswerSystem(q.id))));
    }
    if (q.type == AnswerType::kNumber) Fail(value_path, wrong_type);
    if (text == "unknown") return AnswerValue::Unknown();
    const std::vector<std::string> ids = ChoiceIds(q);
    if (std::find(ids.begin(), ids.end(), text) == ids.end()) {
      const std::string hint = Hint(text, ids);
      Fail(value_path + ".code",
           fmt::format("{} is not an answer to question {}{}", Quoted(text), q.id,
                       hint.empty() ? fmt::format(" (answers: {})", ChoiceList(q)) : hint));
    }
    if (q.type == AnswerType::kYesNo) return AnswerValue::Bool(text == "yes");
    return AnswerValue::Choice(text);
  }
  if (key == "valueBoolean") {
    if (q.type != AnswerType::kYesNo) Fail(value_path, wrong_type);
    if (!value.is_boolean()) Fail(value_path, "must be true or false");
    return AnswerValue::Bool(value.get<bool>());
  }
  if (key == "valueInteger" || key == "valueDecimal") {
    if (q.type != AnswerType::kNumber) Fail(value_path, wrong_type);
    if (!value.is_number()) Fail(value_path, "must be a number");
    if (key == "valueInteger" && !value.is_number_integer()) {
      Fail(value_path, "must be a whole number");
    }
    return AnswerValue::Number(value.get<double>());
  }
  Fail(value_path, wrong_type);
}

Answers Read(const KnowledgeBase& kb, std::string_view text) {
  auto parsed = ReadUntrustedOrderedJson(text, json_limits::FhirFile());
  if (!parsed) {
    const JsonError& error = parsed.error();
    // A syntax error reads "malformed JSON at line 1, column 18"; a limit names itself.
    const bool syntax = error.what.rfind("malformed JSON", 0) == 0;
    Fail("QuestionnaireResponse",
         error.line == 0 ? error.what
                         : fmt::format("{} at line {}, column {}",
                                       syntax ? std::string("malformed JSON") : error.what,
                                       error.line, error.column));
  }
  const json doc = std::move(*parsed);
  const std::string root = "QuestionnaireResponse";
  if (!doc.is_object()) Fail(root, "expected a JSON object (a FHIR resource)");
  if (!doc.contains("resourceType")) {
    Fail(root + ".resourceType", "missing (expected \"QuestionnaireResponse\")");
  }
  const json& type = doc.at("resourceType");
  if (!type.is_string() || type.get<std::string>() != "QuestionnaireResponse") {
    Fail("resourceType",
         fmt::format(
             "{} is not a QuestionnaireResponse{}", type.dump(),
             type == "Bundle" ? "; send the QuestionnaireResponse itself, not a Bundle" : ""));
  }
  CheckKeys(doc, root, kResponseKeys, "a QuestionnaireResponse");
  if (doc.contains("implicitRules")) {
    Fail(root + ".implicitRules", "hipcoach cannot follow rules it does not know");
  }
  if (!doc.contains("status")) Fail(root + ".status", "missing (expected \"completed\")");
  const json& status = doc.at("status");
  if (!status.is_string()) Fail(root + ".status", "must be a string");
  const std::string status_text = status.get<std::string>();
  if (status_text != "completed" && status_text != "amended") {
    const std::vector<std::string> statuses = {"in-progress", "completed", "amended",
                                               "entered-in-error", "stopped"};
    if (std::find(statuses.begin(), statuses.end(), status_text) == statuses.end()) {
      Fail(root + ".status", fmt::format("{} is not a QuestionnaireResponse status{}",
                                         Quoted(status_text), Hint(status_text, statuses)));
    }
    Fail(root + ".status",
         fmt::format("{}: only a completed response can start an assessment", Quoted(status_text)));
  }
  if (doc.contains("questionnaire")) {
    const json& canonical = doc.at("questionnaire");
    if (!canonical.is_string()) Fail(root + ".questionnaire", "must be a string");
    const std::string url = canonical.get<std::string>();
    if (url.substr(0, url.find('|')) != kQuestionnaireUrl) {
      Fail(root + ".questionnaire",
           fmt::format("{} is not hipcoach's interview (expected {})", Quoted(url),
                       Quoted(std::string(kQuestionnaireUrl))));
    }
  }
  if (!doc.contains("item") || (doc.at("item").is_array() && doc.at("item").empty())) {
    Fail(root + ".item", "missing: a response needs at least one answered question");
  }
  if (!doc.at("item").is_array()) Fail(root + ".item", "must be an array");

  std::vector<std::string> ids;
  for (const Question& q : kb.questions) ids.push_back(q.id);
  std::map<std::string, std::size_t> seen;
  Answers answers;
  const json& items = doc.at("item");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string path = fmt::format("{}.item[{}]", root, i);
    const json& item = items[i];
    if (!item.is_object()) Fail(path, "must be an object");
    CheckKeys(item, path, kItemKeys, "a QuestionnaireResponse item");
    if (!item.contains("linkId")) Fail(path + ".linkId", "missing");
    if (!item.at("linkId").is_string()) Fail(path + ".linkId", "must be a string");
    const std::string id = item.at("linkId").get<std::string>();
    const Question* q = kb.FindQuestion(id);
    if (q == nullptr) {
      Fail(path + ".linkId", fmt::format("{} is not a question of the hipcoach interview{}",
                                         Quoted(id), Hint(id, ids)));
    }
    if (auto [it, fresh] = seen.emplace(id, i); !fresh) {
      Fail(path + ".linkId",
           fmt::format("question {} is answered twice (also item[{}])", id, it->second));
    }
    if (item.contains("item")) {
      Fail(path + ".item",
           "hipcoach's interview has no groups; every question is a top-level item");
    }
    if (!item.contains("answer") || (item.at("answer").is_array() && item.at("answer").empty())) {
      Fail(path + ".answer",
           fmt::format("missing; leave question {} out if it was not answered", id));
    }
    const json& list = item.at("answer");
    if (!list.is_array()) Fail(path + ".answer", "must be an array");
    const bool repeats =
        q->type == AnswerType::kMultiChoice || q->type == AnswerType::kBodyLocation;
    if (!repeats && list.size() > 1) {
      Fail(path + ".answer", fmt::format("question {} takes one answer, not {}", id, list.size()));
    }
    std::vector<AnswerValue> values;
    for (std::size_t j = 0; j < list.size(); ++j) {
      values.push_back(ReadAnswer(*q, list[j], fmt::format("{}.answer[{}]", path, j)));
    }
    AnswerValue value = values.front();
    std::string value_path = fmt::format("{}.answer[0]", path);
    if (repeats) {
      std::vector<std::string> choices;
      for (std::size_t j = 0; j < values.size(); ++j) {
        if (values[j].kind == AnswerValue::Kind::kUnknown && values.size() > 1) {
          Fail(fmt::format("{}.answer[{}]", path, j),
               "\"not sure\" cannot be given together with other answers");
        }
        if (values[j].kind == AnswerValue::Kind::kChoice) choices.push_back(values[j].choice);
      }
      if (!choices.empty()) value = AnswerValue::Choices(std::move(choices));
      value_path = path + ".answer";
    }
    auto checked = ValidateAnswer(*q, value);
    if (!checked) Fail(value_path, checked.error().message);
    answers.emplace(id, std::move(*checked));
  }
  return answers;
}

}  // namespace

Result<Answers> AnswersFromQuestionnaireResponse(const KnowledgeBase& kb, std::string_view text) {
  try {
    // Whether the danger screen is complete is the assessment's own check (Assess), as for every
    // other way answers arrive.
    return Read(kb, text);
  } catch (const Problem& problem) {
    return MakeError(ErrorCode::kInvalidInput, problem.message);
  } catch (const json::exception& error) {
    // Not expected (every access is checked first); kept so that nothing escapes as an exception.
    return MakeError(
        ErrorCode::kInvalidInput,
        std::string("QuestionnaireResponse: could not be read (") + error.what() + ")");
  }
}

}  // namespace hipcoach::fhir
