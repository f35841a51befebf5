// Loads the knowledge base from TOML held in memory and checks everything that can be checked
// without running the engine: schema and types, ids, references, ranges and citations.
// Engine-level checks (every red flag reachable by the interview) live in kb_check.cpp.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "hipcoach/knowledge.hpp"
#include "toml_reader.hpp"

namespace hipcoach {
namespace {

using detail::TomlReader;

bool ValidId(std::string_view id) {
  if (id.empty() || id.front() < 'a' || id.front() > 'z') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Everything parsed from one file, before references are resolved.
struct Builder {
  KnowledgeBase kb;
  std::vector<Diagnostic>& diagnostics;
  std::optional<int> required_facts;
  void Report(const SourceLocation& where, std::string message) {
    diagnostics.push_back(Diagnostic{where.file, where.line, where.column, std::move(message)});
  }
};

std::optional<TriageLevel> ReadLevel(const TomlReader& reader, const toml::table& table,
                                     std::string_view key) {
  const std::string text = reader.String(table, key);
  if (text.empty()) return std::nullopt;
  auto level = ParseTriageLevel(text);
  if (!level) {
    std::string hint = ClosestMatch(text, {"emergency", "urgent", "routine", "self_care"});
    reader.Report(
        *table.get(key),
        fmt::format("'{}' must be emergency, urgent, routine or self_care, not '{}'{}", key, text,
                    hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }
  return level;
}

std::string ReadId(const TomlReader& reader, const toml::table& table) {
  std::string id = reader.String(table, "id");
  if (!id.empty() && !ValidId(id)) {
    reader.Report(*table.get("id"),
                  fmt::format("id '{}' must be lower_snake_case (a-z, 0-9, _)", id));
  }
  return id;
}

void ReadSources(Builder& b, const TomlReader& r, const toml::table& root) {
  for (const toml::table* t : r.Tables(root, "source")) {
    r.CheckKeys(*t, "[[source]]", {"id", "title", "kind", "url", "doi", "verified"});
    Source s;
    s.id = ReadId(r, *t);
    s.title = r.String(*t, "title");
    s.kind = r.String(*t, "kind");
    s.url = r.String(*t, "url", false);
    s.doi = r.String(*t, "doi", false);
    s.verified = r.Bool(*t, "verified").value_or(true);
    s.where = r.Where(*t);
    static const std::vector<std::string> kKinds = {"article", "guideline", "trial",       "review",
                                                    "study",   "web",       "product_rule"};
    if (!s.kind.empty() && std::find(kKinds.begin(), kKinds.end(), s.kind) == kKinds.end()) {
      r.Report(*t, fmt::format("source kind '{}' is not one of article, guideline, trial, review, "
                               "study, web, product_rule",
                               s.kind));
    }
    if (s.kind != "article" && s.kind != "product_rule" && s.url.empty() && s.doi.empty()) {
      r.Report(*t, fmt::format("source '{}' needs a url or a doi", s.id));
    }
    b.kb.sources.push_back(std::move(s));
  }
}

void ReadFindings(Builder& b, const TomlReader& r, const toml::table& root) {
  for (const toml::table* t : r.Tables(root, "finding")) {
    r.CheckKeys(*t, "[[finding]]", {"id", "text", "background", "lasting", "sources", "evidence"});
    Finding f;
    static_cast<Cited&>(f) = r.Citation(*t);
    f.id = ReadId(r, *t);
    f.text = r.String(*t, "text");
    f.lasting = r.Bool(*t, "lasting").value_or(false);
    f.background = r.Number(*t, "background", true).value_or(0.5);
    f.where = r.Where(*t);
    if (!(f.background > 0 && f.background < 1)) {
      r.Report(*t,
               fmt::format("finding '{}': background must be between 0 and 1 (exclusive)", f.id));
    }
    b.kb.findings.push_back(std::move(f));
  }
}

std::optional<AnswerType> ParseAnswerType(std::string_view text) {
  if (text == "yes_no") return AnswerType::kYesNo;
  if (text == "number") return AnswerType::kNumber;
  if (text == "single_choice") return AnswerType::kSingleChoice;
  if (text == "multi_choice") return AnswerType::kMultiChoice;
  if (text == "body_location") return AnswerType::kBodyLocation;
  if (text == "side") return AnswerType::kSide;
  return std::nullopt;
}

std::optional<Stage> ParseStage(std::string_view text) {
  if (text == "red_flag") return Stage::kRedFlag;
  if (text == "core") return Stage::kCore;
  if (text == "adaptive") return Stage::kAdaptive;
  if (text == "programme") return Stage::kProgramme;
  return std::nullopt;
}

// `unsure = { read_as = ..., why = "...", sources = [...] }`: read_as is "absent" (every finding
// the question sets counts as absent), true or false for a yes/no question, a choice id for a
// single choice, or a list of choice ids.
DoubtReading ReadDoubtReading(const TomlReader& r, const toml::table& t, const Question& q) {
  r.CheckKeys(t, "unsure", {"read_as", "why", "sources", "evidence"});
  DoubtReading reading;
  static_cast<Cited&>(reading) = r.Citation(t);
  reading.why = r.String(t, "why");
  const toml::node* value = t.get("read_as");
  auto wrong = [&](std::string_view expected) {
    r.Report(value != nullptr ? *value : static_cast<const toml::node&>(t),
             fmt::format("question '{}': unsure.read_as must be \"absent\" or {}", q.id, expected));
  };
  std::string_view expected;
  switch (q.type) {
    case AnswerType::kYesNo:
      expected = "true or false";
      break;
    case AnswerType::kSingleChoice:
    case AnswerType::kSide:
      expected = "one choice id";
      break;
    case AnswerType::kMultiChoice:
    case AnswerType::kBodyLocation:
      expected = "a list of choice ids";
      break;
    case AnswerType::kNumber:
      expected = "nothing else for a number question";
      break;
  }
  if (value == nullptr) {
    wrong(expected);
    return reading;
  }
  auto check_choice = [&](const std::string& id) {
    if (q.FindChoice(id) != nullptr) return;
    std::vector<std::string> ids;
    for (const Choice& c : q.choices) ids.push_back(c.id);
    const std::string hint = ClosestMatch(id, ids);
    r.Report(*value,
             fmt::format("question '{}': unsure.read_as names unknown choice '{}'{}", q.id, id,
                         hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  };
  if (const auto* text = value->as_string(); text != nullptr && text->get() == "absent") {
    reading.absent = true;
  } else if (const auto* flag = value->as_boolean(); flag != nullptr) {
    if (q.type != AnswerType::kYesNo) return wrong(expected), reading;
    reading.boolean = flag->get();
  } else if (text != nullptr) {
    if (q.type != AnswerType::kSingleChoice && q.type != AnswerType::kSide) {
      return wrong(expected), reading;
    }
    reading.choices.push_back(text->get());
    check_choice(reading.choices.back());
  } else if (const auto* list = value->as_array(); list != nullptr) {
    if (q.type != AnswerType::kMultiChoice && q.type != AnswerType::kBodyLocation) {
      return wrong(expected), reading;
    }
    for (const toml::node& element : *list) {
      if (const auto* id = element.as_string()) {
        reading.choices.push_back(id->get());
        check_choice(reading.choices.back());
      } else {
        wrong(expected);
      }
    }
  } else {
    wrong(expected);
  }
  reading.absent = reading.absent || (!reading.boolean && reading.choices.empty());
  return reading;
}

void ReadQuestions(Builder& b, const TomlReader& r, const toml::table& root) {
  for (const toml::table* t : r.Tables(root, "question")) {
    r.CheckKeys(
        *t, "[[question]]",
        {"id", "stage", "order", "text", "help", "type", "unit", "min", "max", "integer", "choice",
         "finding", "ask_if", "if_unknown", "unsure", "check", "optional", "sources", "evidence"});
    Question q;
    static_cast<Cited&>(q) = r.Citation(*t);
    q.id = ReadId(r, *t);
    q.where = r.Where(*t);
    q.text = r.String(*t, "text");
    q.help = r.String(*t, "help", false);
    q.order = r.Integer(*t, "order").value_or(0);
    const std::string stage = r.String(*t, "stage");
    if (auto parsed = ParseStage(stage)) {
      q.stage = *parsed;
    } else if (!stage.empty()) {
      std::string hint = ClosestMatch(stage, {"red_flag", "core", "adaptive", "programme"});
      r.Report(*t->get("stage"),
               fmt::format("unknown stage '{}'{}", stage,
                           hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
    const std::string type = r.String(*t, "type");
    if (auto parsed = ParseAnswerType(type)) {
      q.type = *parsed;
    } else if (!type.empty()) {
      std::string hint = ClosestMatch(
          type, {"yes_no", "number", "single_choice", "multi_choice", "body_location", "side"});
      r.Report(*t->get("type"),
               fmt::format("unknown answer type '{}'{}", type,
                           hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
    q.unit = r.String(*t, "unit", false);
    q.integer = r.Bool(*t, "integer").value_or(false);
    if (q.type == AnswerType::kNumber) {
      q.min = r.Number(*t, "min", true).value_or(0);
      q.max = r.Number(*t, "max", true).value_or(0);
      if (q.min >= q.max) r.Report(*t, fmt::format("question '{}': min must be below max", q.id));
    }
    for (const toml::table* c : r.Tables(*t, "choice")) {
      r.CheckKeys(*c, "[[question.choice]]", {"id", "text"});
      q.choices.push_back(Choice{ReadId(r, *c), r.String(*c, "text")});
    }
    if (q.type == AnswerType::kSide) {
      if (!q.choices.empty()) r.Report(*t, "side questions have fixed choices; do not list them");
      q.choices = {{"left", "Left"}, {"right", "Right"}, {"both", "Both sides"}};
    }
    const bool has_choices = q.type == AnswerType::kSingleChoice ||
                             q.type == AnswerType::kMultiChoice ||
                             q.type == AnswerType::kBodyLocation || q.type == AnswerType::kSide;
    if (has_choices && q.choices.size() < 2) {
      r.Report(*t, fmt::format("question '{}' needs at least two choices", q.id));
    }
    if (!has_choices && !q.choices.empty()) {
      r.Report(*t, fmt::format("question '{}' is {} and cannot have choices", q.id, type));
    }
    for (const toml::table* f : r.Tables(*t, "finding")) {
      r.CheckKeys(*f, "[[question.finding]]", {"id", "when", "any_of", "at_least", "below"});
      FindingRule rule;
      rule.finding_id = r.String(*f, "id");
      rule.when = r.Bool(*f, "when");
      rule.any_of = r.Strings(*f, "any_of");
      rule.at_least = r.Number(*f, "at_least");
      rule.below = r.Number(*f, "below");
      const SourceLocation where = r.Where(*f);
      if (q.type == AnswerType::kYesNo && !rule.when) {
        b.Report(where, fmt::format("question '{}': a yes_no finding rule needs 'when = true' or "
                                    "'when = false'",
                                    q.id));
      }
      if (has_choices) {
        if (rule.any_of.empty()) {
          b.Report(where, fmt::format("question '{}': a choice finding rule needs 'any_of'", q.id));
        }
        for (const std::string& choice : rule.any_of) {
          if (q.FindChoice(choice) == nullptr) {
            std::vector<std::string> ids;
            for (const Choice& c : q.choices) ids.push_back(c.id);
            std::string hint = ClosestMatch(choice, ids);
            b.Report(where,
                     fmt::format("question '{}': any_of names unknown choice '{}'{}", q.id, choice,
                                 hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
          }
        }
      }
      if (q.type == AnswerType::kNumber && !rule.at_least && !rule.below) {
        b.Report(where, fmt::format("question '{}': a number finding rule needs 'at_least' or "
                                    "'below'",
                                    q.id));
      }
      q.findings.push_back(std::move(rule));
    }
    if (q.findings.empty()) {
      r.Report(*t, fmt::format("question '{}' establishes no finding; every question must feed "
                               "the triage, the ranking or the programme",
                               q.id));
    }
    q.ask_if = r.Expression(*t, "ask_if", false);
    q.check = r.String(*t, "check", false);
    q.optional = r.Bool(*t, "optional").value_or(false);
    q.if_unknown = r.Strings(*t, "if_unknown");
    if (const toml::node* node = t->get("unsure")) {
      if (const toml::table* u = node->as_table()) {
        q.unsure = ReadDoubtReading(r, *u, q);
      } else {
        r.Report(*node, fmt::format("question '{}': 'unsure' must be a table "
                                    "{{ read_as = ..., why = \"...\", sources = [...] }}",
                                    q.id));
      }
    }
    b.kb.questions.push_back(std::move(q));
  }
}

void ReadRedFlags(Builder& b, const TomlReader& r, const toml::table& root) {
  for (const toml::table* t : r.Tables(root, "red_flag")) {
    r.CheckKeys(*t, "[[red_flag]]",
                {"id", "ref", "name", "suspected", "level", "pattern", "reason", "action",
                 "sources", "evidence"});
    RedFlag f;
    static_cast<Cited&>(f) = r.Citation(*t);
    f.id = ReadId(r, *t);
    f.where = r.Where(*t);
    f.ref = r.String(*t, "ref", false);
    f.name = r.String(*t, "name");
    f.suspected = r.String(*t, "suspected");
    f.level = ReadLevel(r, *t, "level").value_or(TriageLevel::kEmergency);
    if (f.level == TriageLevel::kSelfCare) {
      r.Report(*t, fmt::format("red flag '{}' cannot have level self_care", f.id));
    }
    if (auto pattern = r.Expression(*t, "pattern", true)) f.pattern = std::move(*pattern);
    f.reason = r.String(*t, "reason");
    f.action = r.String(*t, "action");
    b.kb.red_flags.push_back(std::move(f));
  }
}

void ReadCauses(Builder& b, const TomlReader& r, const toml::table& root) {
  for (const toml::table* t : r.Tables(root, "cause")) {
    r.CheckKeys(
        *t, "[[cause]]",
        {"id", "ref", "name", "also_known_as", "kind", "prior", "level", "summary", "education",
         "programme", "red_flag", "model_group", "likelihood", "sources", "evidence"});
    Cause c;
    static_cast<Cited&>(c) = r.Citation(*t);
    c.id = ReadId(r, *t);
    c.where = r.Where(*t);
    c.ref = r.String(*t, "ref", false);
    c.name = r.String(*t, "name");
    c.also_known_as = r.String(*t, "also_known_as", false);
    c.kind = r.String(*t, "kind");
    if (!c.kind.empty() && c.kind != "condition" && c.kind != "driver" && c.kind != "serious") {
      r.Report(*t->get("kind"),
               fmt::format("cause kind must be condition, driver or serious, not '{}'", c.kind));
    }
    c.prior = r.Number(*t, "prior", true).value_or(0.05);
    if (!(c.prior > 0 && c.prior < 1)) {
      r.Report(*t, fmt::format("cause '{}': prior must be between 0 and 1 (exclusive)", c.id));
    }
    c.level = ReadLevel(r, *t, "level").value_or(TriageLevel::kSelfCare);
    c.summary = r.String(*t, "summary");
    c.education = r.String(*t, "education");
    c.programme = r.String(*t, "programme", false);
    c.red_flag = r.String(*t, "red_flag", false);
    c.model_group = r.String(*t, "model_group", false);
    for (const toml::table* l : r.Tables(*t, "likelihood")) {
      r.CheckKeys(*l, "[[cause.likelihood]]",
                  {"finding", "lr_pos", "lr_neg", "sensitivity", "specificity", "sources",
                   "evidence", "note"});
      Likelihood like;
      static_cast<Cited&>(like) = r.Citation(*l);
      like.finding_id = r.String(*l, "finding");
      auto lr_pos = r.Number(*l, "lr_pos");
      auto lr_neg = r.Number(*l, "lr_neg");
      auto sens = r.Number(*l, "sensitivity");
      auto spec = r.Number(*l, "specificity");
      const SourceLocation where = r.Where(*l);
      if (sens || spec) {
        if (!sens || !spec || lr_pos || lr_neg) {
          b.Report(where, "give either sensitivity and specificity, or lr_pos (and lr_neg)");
        } else if (!(*sens > 0 && *sens < 1 && *spec > 0 && *spec <= 1)) {
          b.Report(where, "sensitivity and specificity must be between 0 and 1");
        } else {
          like.lr_pos = std::min(50.0, *sens / std::max(1e-3, 1 - *spec));
          like.lr_neg = std::max(0.02, (1 - *sens) / *spec);
        }
      } else if (!lr_pos) {
        b.Report(where, "a likelihood needs lr_pos (or sensitivity and specificity)");
      } else {
        like.lr_pos = *lr_pos;
        like.lr_neg = lr_neg.value_or(1.0);
        if (!(like.lr_pos > 0 && like.lr_pos <= 100 && like.lr_neg > 0 && like.lr_neg <= 100)) {
          b.Report(where, "likelihood ratios must be above 0 and at most 100");
        }
      }
      c.likelihoods.push_back(std::move(like));
    }
    b.kb.causes.push_back(std::move(c));
  }
}

std::vector<Contraindication> ReadContraindications(const TomlReader& r, const toml::table& t) {
  std::vector<Contraindication> out;
  for (const toml::table* c : r.Tables(t, "contraindication")) {
    r.CheckKeys(*c, "[[contraindication]]", {"when", "reason", "sources", "evidence"});
    Contraindication item;
    static_cast<Cited&>(item) = r.Citation(*c);
    if (auto when = r.Expression(*c, "when", true)) item.when = std::move(*when);
    item.reason = r.String(*c, "reason");
    out.push_back(std::move(item));
  }
  return out;
}

void ReadExercises(Builder& b, const TomlReader& r, const toml::table& root) {
  for (const toml::table* t : r.Tables(root, "exercise")) {
    r.CheckKeys(
        *t, "[[exercise]]",
        {"id", "name", "kind", "targets", "per_side", "equipment", "easier", "harder",
         "instructions", "why", "suits", "dose", "contraindication", "sources", "evidence"});
    Exercise e;
    static_cast<Cited&>(e) = r.Citation(*t);
    e.id = ReadId(r, *t);
    e.where = r.Where(*t);
    e.name = r.String(*t, "name");
    e.kind = r.String(*t, "kind");
    static const std::vector<std::string> kKinds = {"strength", "isometric", "stretch",
                                                    "mobility", "foam_roll", "core"};
    if (!e.kind.empty() && std::find(kKinds.begin(), kKinds.end(), e.kind) == kKinds.end()) {
      std::string hint = ClosestMatch(e.kind, kKinds);
      r.Report(*t->get("kind"),
               fmt::format("unknown exercise kind '{}'{}", e.kind,
                           hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
    e.targets = r.Strings(*t, "targets", true);
    e.per_side = r.Bool(*t, "per_side").value_or(false);
    e.equipment = r.Strings(*t, "equipment");
    e.easier = r.String(*t, "easier", false);
    e.harder = r.String(*t, "harder", false);
    e.instructions = r.Strings(*t, "instructions", true);
    e.why = r.String(*t, "why");
    e.suits = r.Strings(*t, "suits");
    for (const toml::table* d : r.Tables(*t, "dose")) {
      r.CheckKeys(*d, "[[exercise.dose]]",
                  {"phase", "sets", "reps_min", "reps_max", "hold_seconds", "times_per_day", "days",
                   "sources", "evidence"});
      Dose dose;
      static_cast<Cited&>(dose) = r.Citation(*d);
      dose.phase = r.Integer(*d, "phase", true).value_or(1);
      dose.sets = r.Integer(*d, "sets", true).value_or(1);
      dose.reps_min = r.Integer(*d, "reps_min", true).value_or(1);
      dose.reps_max = r.Integer(*d, "reps_max", true).value_or(1);
      dose.hold_seconds = r.Integer(*d, "hold_seconds").value_or(0);
      dose.times_per_day = r.Integer(*d, "times_per_day").value_or(1);
      const std::string days = r.String(*d, "days", false);
      if (days.empty() || days == "daily") {
        dose.days = DoseDays::kDaily;
      } else if (days == "strength") {
        dose.days = DoseDays::kStrength;
      } else if (days == "rest_days_ok") {
        dose.days = DoseDays::kRestDaysOk;
      } else {
        r.Report(*d->get("days"),
                 fmt::format("days must be daily, strength or rest_days_ok, not '{}'", days));
      }
      if (dose.reps_min > dose.reps_max) {
        r.Report(*d, fmt::format("exercise '{}' phase {}: reps_min is above reps_max", e.id,
                                 dose.phase));
      }
      e.doses.push_back(std::move(dose));
    }
    if (e.doses.empty()) r.Report(*t, fmt::format("exercise '{}' has no [[exercise.dose]]", e.id));
    e.contraindications = ReadContraindications(r, *t);
    b.kb.exercises.push_back(std::move(e));
  }
}

void ReadSelfCare(Builder& b, const TomlReader& r, const toml::table& root) {
  for (const toml::table* t : r.Tables(root, "self_care")) {
    r.CheckKeys(*t, "[[self_care]]",
                {"id", "name", "kind", "min_minutes", "max_minutes", "min_gap_hours",
                 "instructions", "why", "contraindication", "sources", "evidence"});
    SelfCare s;
    static_cast<Cited&>(s) = r.Citation(*t);
    s.id = ReadId(r, *t);
    s.where = r.Where(*t);
    s.name = r.String(*t, "name");
    s.kind = r.String(*t, "kind");
    s.min_minutes = r.Integer(*t, "min_minutes").value_or(0);
    s.max_minutes = r.Integer(*t, "max_minutes").value_or(0);
    s.min_gap_hours = r.Number(*t, "min_gap_hours").value_or(0);
    s.instructions = r.Strings(*t, "instructions", true);
    s.why = r.String(*t, "why");
    s.contraindications = ReadContraindications(r, *t);
    if (s.min_minutes > s.max_minutes && s.max_minutes > 0) {
      r.Report(*t, fmt::format("self-care '{}': min_minutes is above max_minutes", s.id));
    }
    b.kb.self_care.push_back(std::move(s));
  }
  for (const toml::table* t : r.Tables(root, "medication_caution")) {
    r.CheckKeys(*t, "[[medication_caution]]",
                {"id", "medicine", "when", "message", "sources", "evidence"});
    MedicationCaution m;
    static_cast<Cited&>(m) = r.Citation(*t);
    m.id = ReadId(r, *t);
    m.where = r.Where(*t);
    m.medicine = r.String(*t, "medicine");
    m.when = r.Expression(*t, "when", false);
    m.message = r.String(*t, "message");
    b.kb.medication_cautions.push_back(std::move(m));
  }
}

void ReadEducation(Builder& b, const TomlReader& r, const toml::table& root) {
  for (const toml::table* t : r.Tables(root, "education")) {
    r.CheckKeys(*t, "[[education]]", {"id", "topic", "title", "body", "sources", "evidence"});
    EducationPage page;
    static_cast<Cited&>(page) = r.Citation(*t);
    page.id = ReadId(r, *t);
    page.where = r.Where(*t);
    page.topic = r.String(*t, "topic");
    page.title = r.String(*t, "title");
    page.body = r.String(*t, "body");
    static const std::vector<std::string> kTopics = {
        "anatomy", "causes", "mechanisms", "seek_help", "evidence", "self_care", "about"};
    if (!page.topic.empty() &&
        std::find(kTopics.begin(), kTopics.end(), page.topic) == kTopics.end()) {
      std::string hint = ClosestMatch(page.topic, kTopics);
      r.Report(*t->get("topic"),
               fmt::format("unknown education topic '{}'{}", page.topic,
                           hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    }
    b.kb.education.push_back(std::move(page));
  }
}

void ReadCoverage(Builder& b, const TomlReader& r, const toml::table& root) {
  for (const toml::table* t : r.Tables(root, "fact")) {
    r.CheckKeys(*t, "[[fact]]", {"id", "summary", "records"});
    CoverageFact fact;
    fact.id = r.String(*t, "id");
    fact.summary = r.String(*t, "summary");
    fact.records = r.Strings(*t, "records", true);
    fact.where = r.Where(*t);
    if (fact.records.empty()) {
      r.Report(*t, fmt::format("fact {} maps to no record", fact.id));
    }
    b.kb.coverage.push_back(std::move(fact));
  }
}

void ReadRules(Builder& b, const TomlReader& r, const toml::table& root) {
  Rules& rules = b.kb.rules;
  auto section = [&](std::string_view key) -> const toml::table* {
    const toml::node* node = root.get(key);
    if (node == nullptr) return nullptr;
    const auto* table = node->as_table();
    if (table == nullptr) r.Report(*node, fmt::format("'{}' must be a table", key));
    return table;
  };
  auto cite = [&](const toml::table& t) {
    // Each rules table is a clinical rule and cites its sources; keep them on the Rules object.
    Cited c = r.Citation(t);
    for (auto& s : c.sources) rules.sources.push_back(s);
  };
  if (const auto* t = section("interview")) {
    r.CheckKeys(*t, "[interview]",
                {"max_questions", "optional_budget", "stop_probability", "stop_margin",
                 "min_information_gain", "min_adaptive_questions", "sources", "evidence"});
    cite(*t);
    rules.max_questions = r.Integer(*t, "max_questions", true).value_or(25);
    rules.optional_budget = r.Integer(*t, "optional_budget", true).value_or(18);
    rules.stop_probability = r.Number(*t, "stop_probability", true).value_or(0.85);
    rules.stop_margin = r.Number(*t, "stop_margin", true).value_or(0.3);
    rules.min_information_gain = r.Number(*t, "min_information_gain", true).value_or(0.01);
    rules.min_adaptive_questions = r.Integer(*t, "min_adaptive_questions", true).value_or(3);
  }
  if (const auto* t = section("inference")) {
    r.CheckKeys(*t, "[inference]",
                {"likely", "cause_level", "report_min", "max_probability", "causes_shown",
                 "sources", "evidence"});
    cite(*t);
    rules.likely = r.Number(*t, "likely", true).value_or(0.3);
    rules.cause_level = r.Number(*t, "cause_level", true).value_or(0.5);
    rules.report_min = r.Number(*t, "report_min", true).value_or(0.02);
    rules.max_probability = r.Number(*t, "max_probability", true).value_or(0.9);
    rules.causes_shown = r.Integer(*t, "causes_shown", true).value_or(5);
    if (!(rules.max_probability > 0.5 && rules.max_probability < 1) || rules.causes_shown < 1) {
      r.Report(*t, "inference: max_probability must be between 0.5 and 1, causes_shown at least 1");
    }
  }
  for (const toml::table* t : r.Tables(root, "triage_level")) {
    r.CheckKeys(*t, "[[triage_level]]",
                {"level", "title", "action", "window", "sources", "evidence"});
    TriageLevelInfo info;
    static_cast<Cited&>(info) = r.Citation(*t);
    info.level = ReadLevel(r, *t, "level").value_or(TriageLevel::kSelfCare);
    info.title = r.String(*t, "title");
    info.action = r.String(*t, "action");
    info.window = r.String(*t, "window");
    rules.levels.push_back(std::move(info));
  }
  for (const toml::table* t : r.Tables(root, "safety_net")) {
    r.CheckKeys(*t, "[[safety_net]]",
                {"id", "day", "when", "level", "message", "sources", "evidence"});
    SafetyNetRule rule;
    static_cast<Cited&>(rule) = r.Citation(*t);
    rule.id = ReadId(r, *t);
    rule.day = r.Integer(*t, "day", true).value_or(0);
    if (auto when = r.Expression(*t, "when", true)) rule.when = std::move(*when);
    rule.level = ReadLevel(r, *t, "level").value_or(TriageLevel::kRoutine);
    rule.message = r.String(*t, "message");
    rule.where = r.Where(*t);
    rules.safety_net.push_back(std::move(rule));
  }
  if (const auto* t = section("pain_monitoring")) {
    r.CheckKeys(*t, "[pain_monitoring]", {"safe_max", "acceptable_max", "sources", "evidence"});
    const std::size_t first_pain_monitoring_sources = rules.sources.size();
    cite(*t);
    rules.pain_monitoring_sources.assign(
        rules.sources.begin() + static_cast<std::ptrdiff_t>(first_pain_monitoring_sources),
        rules.sources.end());
    rules.pain_safe_max = r.Integer(*t, "safe_max", true).value_or(2);
    rules.pain_acceptable_max = r.Integer(*t, "acceptable_max", true).value_or(5);
  }
  if (const auto* t = section("progression")) {
    r.CheckKeys(*t, "[progression]",
                {"sessions_at_top", "load_step_min_percent", "load_step_max_percent",
                 "missed_sessions_regress", "restart_gap_days", "min_days_on_rung",
                 "load_from_phase", "sources", "evidence"});
    const std::size_t first_progression_sources = rules.sources.size();
    cite(*t);
    rules.progression_sources.assign(
        rules.sources.begin() + static_cast<std::ptrdiff_t>(first_progression_sources),
        rules.sources.end());
    rules.progression_sessions = r.Integer(*t, "sessions_at_top", true).value_or(2);
    rules.load_step_min_percent = r.Number(*t, "load_step_min_percent", true).value_or(2);
    rules.load_step_max_percent = r.Number(*t, "load_step_max_percent", true).value_or(10);
    rules.missed_sessions_regress = r.Integer(*t, "missed_sessions_regress", true).value_or(3);
    rules.restart_gap_days = r.Integer(*t, "restart_gap_days", true).value_or(7);
    rules.min_days_on_rung = r.Integer(*t, "min_days_on_rung", false).value_or(7);
    rules.load_from_phase = r.Integer(*t, "load_from_phase", false).value_or(3);
  }
  if (const auto* t = section("tracking")) {
    r.CheckKeys(*t, "[tracking]",
                {"danger_check_days", "trend_window_days", "review_days",
                 "meaningful_change_points", "meaningful_change_percent", "worse_rise_points",
                 "worse_sustained_days", "pause_pain_min", "high_sustained_days",
                 "resolved_pain_max", "physio_days", "msk_days", "sources", "evidence"});
    const std::size_t first_tracking_sources = rules.sources.size();
    cite(*t);
    rules.tracking_sources.assign(
        rules.sources.begin() + static_cast<std::ptrdiff_t>(first_tracking_sources),
        rules.sources.end());
    rules.danger_check_days = r.Integer(*t, "danger_check_days", true).value_or(7);
    rules.trend_window_days = r.Integer(*t, "trend_window_days", true).value_or(3);
    rules.review_days = r.Integer(*t, "review_days", true).value_or(14);
    rules.meaningful_change_points = r.Number(*t, "meaningful_change_points", true).value_or(2);
    rules.meaningful_change_percent = r.Number(*t, "meaningful_change_percent", true).value_or(30);
    rules.worse_rise_points = r.Integer(*t, "worse_rise_points", true).value_or(2);
    rules.worse_sustained_days = r.Integer(*t, "worse_sustained_days", false).value_or(7);
    rules.pause_pain_min = r.Integer(*t, "pause_pain_min", true).value_or(7);
    rules.high_sustained_days = r.Integer(*t, "high_sustained_days", false).value_or(3);
    rules.resolved_pain_max = r.Integer(*t, "resolved_pain_max", true).value_or(2);
    rules.physio_days = r.Integer(*t, "physio_days", true).value_or(42);
    rules.msk_days = r.Integer(*t, "msk_days", true).value_or(90);
  }
  for (const toml::table* t : r.Tables(root, "escalation")) {
    r.CheckKeys(*t, "[[escalation]]", {"id", "level", "message", "sources", "evidence"});
    EscalationText text;
    static_cast<Cited&>(text) = r.Citation(*t);
    text.id = ReadId(r, *t);
    text.level = ReadLevel(r, *t, "level").value_or(TriageLevel::kRoutine);
    text.message = r.String(*t, "message");
    text.where = r.Where(*t);
    static constexpr std::string_view kKnown[] = {
        "danger_sign",         "much_worse",     "flare",        "pain_rise", "pain_high",
        "pain_high_sustained", "no_improvement", "not_resolved", "persisting"};
    if (std::find(std::begin(kKnown), std::end(kKnown), text.id) == std::end(kKnown)) {
      r.Report(*t, fmt::format("unknown escalation '{}'; the engine knows danger_sign, "
                               "much_worse, flare, pain_rise, pain_high, pain_high_sustained, "
                               "no_improvement, not_resolved and persisting",
                               text.id));
    }
    rules.escalations.push_back(std::move(text));
  }
  if (const auto* t = section("session")) {
    r.CheckKeys(*t, "[session]",
                {"get_ready_seconds", "rest_seconds", "restart_sets", "sources", "evidence"});
    cite(*t);
    rules.get_ready_seconds = r.Integer(*t, "get_ready_seconds", true).value_or(5);
    rules.rest_seconds = r.Integer(*t, "rest_seconds", true).value_or(60);
    rules.restart_sets = r.Integer(*t, "restart_sets", true).value_or(1);
  }
  if (const auto* t = section("programme")) {
    r.CheckKeys(*t, "[programme]",
                {"sitting_break_minutes", "default_minutes_per_day", "sources", "evidence"});
    cite(*t);
    rules.sitting_break_minutes = r.Integer(*t, "sitting_break_minutes", true).value_or(30);
    rules.default_minutes_per_day = r.Integer(*t, "default_minutes_per_day", true).value_or(15);
  }
  for (const toml::table* t : r.Tables(root, "phase")) {
    r.CheckKeys(*t, "[[phase]]",
                {"number", "name", "first_week", "last_week", "goal", "sources", "evidence"});
    cite(*t);
    Phase phase;
    phase.number = r.Integer(*t, "number", true).value_or(1);
    phase.name = r.String(*t, "name");
    phase.first_week = r.Integer(*t, "first_week", true).value_or(1);
    phase.last_week = r.Integer(*t, "last_week", true).value_or(1);
    phase.goal = r.String(*t, "goal");
    rules.phases.push_back(std::move(phase));
  }
  if (const auto* t = section("limits")) {
    r.CheckKeys(*t, "[limits]",
                {"max_sets", "max_reps", "max_hold_seconds", "max_times_per_day", "ice_max_minutes",
                 "heat_max_minutes", "ice_min_gap_hours", "sources", "evidence"});
    cite(*t);
    rules.max_sets = r.Integer(*t, "max_sets", true).value_or(4);
    rules.max_reps = r.Integer(*t, "max_reps", true).value_or(20);
    rules.max_hold_seconds = r.Integer(*t, "max_hold_seconds", true).value_or(60);
    rules.max_times_per_day = r.Integer(*t, "max_times_per_day", true).value_or(3);
    rules.ice_max_minutes = r.Integer(*t, "ice_max_minutes", true).value_or(20);
    rules.heat_max_minutes = r.Integer(*t, "heat_max_minutes", true).value_or(20);
    rules.ice_min_gap_hours = r.Number(*t, "ice_min_gap_hours", true).value_or(2);
  }
}

void ReadFile(Builder& b, const KnowledgeFile& file) {
  toml::table root;
  try {
    root = toml::parse(file.text, file.name);
  } catch (const toml::parse_error& error) {
    b.diagnostics.push_back(Diagnostic{file.name, static_cast<int>(error.source().begin.line),
                                       static_cast<int>(error.source().begin.column),
                                       std::string(error.description())});
    return;
  }
  TomlReader r(file.name, b.diagnostics);
  r.CheckKeys(root, "a knowledge file",
              {"version",    "title",           "required_facts",     "source",
               "finding",    "question",        "red_flag",           "cause",
               "exercise",   "self_care",       "medication_caution", "education",
               "fact",       "interview",       "inference",          "triage_level",
               "safety_net", "pain_monitoring", "progression",        "programme",
               "phase",      "limits",          "tracking",           "escalation",
               "session"});
  if (root.contains("version")) b.kb.version = r.String(root, "version");
  if (root.contains("title")) b.kb.title = r.String(root, "title");
  if (root.contains("required_facts")) b.required_facts = r.Integer(root, "required_facts");
  ReadSources(b, r, root);
  ReadFindings(b, r, root);
  ReadQuestions(b, r, root);
  ReadRedFlags(b, r, root);
  ReadCauses(b, r, root);
  ReadExercises(b, r, root);
  ReadSelfCare(b, r, root);
  ReadEducation(b, r, root);
  ReadCoverage(b, r, root);
  ReadRules(b, r, root);
}

// ---- Resolution: every reference must name something that exists. ----

class Resolver {
 public:
  explicit Resolver(Builder& b) : b_(b), kb_(b.kb) {
    for (const auto& f : kb_.findings) finding_ids_.push_back(f.id);
    for (const auto& c : kb_.causes) cause_ids_.push_back(c.id);
    for (const auto& q : kb_.questions) question_ids_.push_back(q.id);
    for (const auto& e : kb_.exercises) exercise_ids_.push_back(e.id);
    for (const auto& s : kb_.sources) source_ids_.push_back(s.id);
  }

  std::string Hint(std::string_view id, const std::vector<std::string>& ids) const {
    std::string hint = ClosestMatch(id, ids);
    return hint.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", hint);
  }

  void Expression(Expr& expr, const SourceLocation& where, bool allow_causes) {
    switch (expr.kind) {
      case Expr::Kind::kFinding:
        expr.index = kb_.FindingIndex(expr.id);
        if (expr.index < 0) {
          b_.Report(At(where, expr),
                    fmt::format("unknown finding '{}'{}", expr.id, Hint(expr.id, finding_ids_)));
        }
        return;
      case Expr::Kind::kCause:
        expr.index = kb_.CauseIndex(expr.id);
        if (!allow_causes) {
          b_.Report(At(where, expr), "causes cannot be used here, only findings");
        } else if (expr.index < 0) {
          b_.Report(At(where, expr),
                    fmt::format("unknown cause '{}'{}", expr.id, Hint(expr.id, cause_ids_)));
        }
        return;
      default:
        for (Expr& child : expr.children) Expression(child, where, allow_causes);
    }
  }

  void Sources(const Cited& item, const SourceLocation& where, std::string_view what) {
    if (item.sources.empty()) {
      b_.Report(where, fmt::format("{} cites no source; every clinical item needs one", what));
    }
    for (const std::string& id : item.sources) {
      if (kb_.FindSource(id) == nullptr) {
        b_.Report(where,
                  fmt::format("{} cites unknown source '{}'{}", what, id, Hint(id, source_ids_)));
      }
    }
    if (item.evidence == Evidence::kEstimate &&
        std::find(item.sources.begin(), item.sources.end(), "product_rule") == item.sources.end()) {
      b_.Report(where, fmt::format("{} is an estimate and must also cite 'product_rule'", what));
    }
  }

  // After Index(), which works out which questions screen for danger and the interview order.
  void RunAfterIndex() {
    DoubtRefs();
    GateOrder();
  }

  void Run() {
    Duplicates();
    for (const Finding& f : kb_.findings) Sources(f, f.where, fmt::format("finding '{}'", f.id));
    for (Question& q : kb_.questions) QuestionRefs(q);
    for (RedFlag& f : kb_.red_flags) {
      Sources(f, f.where, fmt::format("red flag '{}'", f.id));
      Expression(f.pattern, f.where, false);
    }
    for (Cause& c : kb_.causes) CauseRefs(c);
    for (Exercise& e : kb_.exercises) ExerciseRefs(e);
    for (SelfCare& s : kb_.self_care) {
      Sources(s, s.where, fmt::format("self-care item '{}'", s.id));
      for (Contraindication& c : s.contraindications) {
        Sources(c, s.where, fmt::format("a contraindication of '{}'", s.id));
        Expression(c.when, s.where, true);
      }
    }
    for (MedicationCaution& m : kb_.medication_cautions) {
      Sources(m, m.where, fmt::format("medication caution '{}'", m.id));
      if (m.when) Expression(*m.when, m.where, false);
    }
    for (const EducationPage& p : kb_.education) {
      Sources(p, p.where, fmt::format("education page '{}'", p.id));
    }
    RulesRefs();
    Coverage();
  }

 private:
  static SourceLocation At(const SourceLocation& record, const Expr& expr) {
    if (expr.line > 0) return SourceLocation{record.file, expr.line, expr.column};
    return record;
  }

  template <typename T>
  void DuplicateIds(const std::vector<T>& items, std::string_view what) {
    std::set<std::string, std::less<>> seen;
    for (const T& item : items) {
      if (item.id.empty()) continue;
      if (!seen.insert(item.id).second) {
        b_.Report(item.where, fmt::format("duplicate {} id '{}'", what, item.id));
      }
    }
  }

  void Duplicates() {
    DuplicateIds(kb_.sources, "source");
    DuplicateIds(kb_.findings, "finding");
    DuplicateIds(kb_.questions, "question");
    DuplicateIds(kb_.red_flags, "red flag");
    DuplicateIds(kb_.causes, "cause");
    DuplicateIds(kb_.exercises, "exercise");
    DuplicateIds(kb_.self_care, "self-care");
    DuplicateIds(kb_.medication_cautions, "medication caution");
    DuplicateIds(kb_.education, "education");
    DuplicateIds(kb_.coverage, "coverage fact");
  }

  void QuestionRefs(Question& q) {
    Sources(q, q.where, fmt::format("question '{}'", q.id));
    for (FindingRule& rule : q.findings) {
      rule.finding = kb_.FindingIndex(rule.finding_id);
      if (rule.finding < 0) {
        b_.Report(q.where, fmt::format("question '{}' sets unknown finding '{}'{}", q.id,
                                       rule.finding_id, Hint(rule.finding_id, finding_ids_)));
      }
    }
    if (q.ask_if) Expression(*q.ask_if, q.where, false);
    if (q.unsure) Sources(*q.unsure, q.where, fmt::format("question '{}': unsure", q.id));
    q.follow_ups.clear();
    const int self = kb_.QuestionIndex(q.id);
    for (const std::string& id : q.if_unknown) {
      const int follow_up = kb_.QuestionIndex(id);
      if (follow_up < 0) {
        b_.Report(q.where, fmt::format("question '{}': if_unknown names unknown question '{}'{}",
                                       q.id, id, Hint(id, question_ids_)));
        continue;
      }
      Question& other = kb_.questions[static_cast<std::size_t>(follow_up)];
      if (other.is_follow_up || follow_up == self) {
        b_.Report(q.where, fmt::format("question '{}': '{}' already follows up another question; "
                                       "a follow-up belongs to one question",
                                       q.id, id));
        continue;
      }
      if (other.stage != q.stage) {
        b_.Report(q.where, fmt::format("question '{}': its follow-up '{}' must be in the same "
                                       "stage",
                                       q.id, id));
      }
      other.is_follow_up = true;
      other.follows = self;
      q.follow_ups.push_back(follow_up);
    }
  }

  // The model of doubt: every screening question says what "not sure" means, by asking plainer
  // follow-ups or by a reading with its reason and sources; other questions do not (their "not
  // sure" is simply not known). Screening questions come before the adaptive stage, so that an
  // assessment always has them.
  // An ask_if can only be decided by answers that come before its question in interview order.
  void GateOrder() {
    std::vector<int> position(kb_.questions.size(), 0);
    for (std::size_t i = 0; i < kb_.interview_order.size(); ++i) {
      position[static_cast<std::size_t>(kb_.interview_order[i])] = static_cast<int>(i);
    }
    for (std::size_t q = 0; q < kb_.questions.size(); ++q) {
      const Question& question = kb_.questions[q];
      if (!question.ask_if) continue;
      std::vector<int> gate;
      CollectFindings(*question.ask_if, gate);
      for (int f : gate) {
        if (f < 0) continue;
        bool earlier = false;
        for (int setter : kb_.finding_setters[static_cast<std::size_t>(f)]) {
          earlier = earlier || position[static_cast<std::size_t>(setter)] < position[q];
        }
        if (!earlier) {
          b_.Report(question.where,
                    fmt::format("question '{}': ask_if reads '{}', which no question before it "
                                "sets; put the question after one that does",
                                question.id, kb_.findings[static_cast<std::size_t>(f)].id));
        }
      }
    }
  }

  void DoubtRefs() {
    for (const Question& q : kb_.questions) {
      // A chain of follow-ups must lead back to a main question.
      int up = q.follows;
      for (std::size_t steps = 0; up >= 0 && steps < kb_.questions.size(); ++steps) {
        up = kb_.questions[static_cast<std::size_t>(up)].follows;
      }
      if (up >= 0) {
        b_.Report(q.where, fmt::format("question '{}': its follow-ups form a loop", q.id));
      }
      const bool has_follow_ups = !q.follow_ups.empty();
      if (q.screening) {
        if (q.stage == Stage::kAdaptive || q.stage == Stage::kProgramme) {
          b_.Report(q.where, fmt::format("question '{}' feeds a danger sign or the safety net, so "
                                         "it must be in the red_flag or core stage",
                                         q.id));
        }
        if (has_follow_ups == q.unsure.has_value()) {
          b_.Report(q.where,
                    fmt::format("question '{}' feeds a danger sign or the safety net: say what "
                                "\"not sure\" means with either if_unknown (plainer follow-ups) "
                                "or unsure = {{ read_as = ..., why = ..., sources = [...] }}, not "
                                "{}",
                                q.id, has_follow_ups ? "both" : "neither"));
        }
      }
      if (q.optional && (q.screening || q.stage != Stage::kProgramme)) {
        b_.Report(q.where, fmt::format("question '{}': only programme questions that screen for "
                                       "nothing can be optional",
                                       q.id));
      }
      if (!q.screening && q.unsure) {
        b_.Report(q.where, fmt::format("question '{}' feeds no danger sign; its \"not sure\" is "
                                       "simply unknown, so it takes no 'unsure' reading",
                                       q.id));
      }
    }
  }

  void CauseRefs(Cause& c) {
    Sources(c, c.where, fmt::format("cause '{}'", c.id));
    for (Likelihood& like : c.likelihoods) {
      Sources(like, c.where, fmt::format("a likelihood of cause '{}'", c.id));
      like.finding = kb_.FindingIndex(like.finding_id);
      if (like.finding < 0) {
        b_.Report(c.where, fmt::format("cause '{}': likelihood names unknown finding '{}'{}", c.id,
                                       like.finding_id, Hint(like.finding_id, finding_ids_)));
        continue;
      }
      const double background = kb_.findings[static_cast<std::size_t>(like.finding)].background;
      DeriveProbabilities(like, background);
    }
    if (!c.red_flag.empty() && kb_.FindRedFlag(c.red_flag) == nullptr) {
      std::vector<std::string> ids;
      for (const auto& f : kb_.red_flags) ids.push_back(f.id);
      b_.Report(c.where, fmt::format("cause '{}' names unknown red flag '{}'{}", c.id, c.red_flag,
                                     Hint(c.red_flag, ids)));
    }
    if (c.kind == "serious" && c.red_flag.empty()) {
      b_.Report(c.where,
                fmt::format("serious cause '{}' must name the red flag that routes it", c.id));
    }
  }

  // P(finding | cause) and P(finding | not cause) for the information-gain model. With both
  // likelihood ratios, they follow exactly; with LR+ alone, P(finding | not cause) is the
  // finding's background rate.
  static void DeriveProbabilities(Likelihood& like, double background) {
    const double pos = like.lr_pos;
    const double neg = like.lr_neg;
    const bool exact = std::abs(pos - neg) > 1e-9 && ((pos > 1 && neg < 1) || (pos < 1 && neg > 1));
    if (exact) {
      const double spec = (pos - 1) / (pos - neg);
      const double sens = pos * (1 - spec);
      like.p_given_cause = std::clamp(sens, 0.001, 0.999);
      like.p_given_other = std::clamp(1 - spec, 0.001, 0.999);
    } else {
      like.p_given_other = background;
      like.p_given_cause = std::clamp(background * pos, 0.001, 0.999);
    }
  }

  void ExerciseRefs(Exercise& e) {
    Sources(e, e.where, fmt::format("exercise '{}'", e.id));
    for (const std::string* variant : {&e.easier, &e.harder}) {
      if (!variant->empty() && kb_.FindExercise(*variant) == nullptr) {
        b_.Report(e.where, fmt::format("exercise '{}': variant '{}' does not exist{}", e.id,
                                       *variant, Hint(*variant, exercise_ids_)));
      }
    }
    if (e.easier == e.id || e.harder == e.id) {
      b_.Report(e.where, fmt::format("exercise '{}' names itself as a variant", e.id));
    }
    e.suit_causes.clear();
    for (const std::string& cause : e.suits) {
      if (kb_.CauseIndex(cause) >= 0) e.suit_causes.push_back(kb_.CauseIndex(cause));
      if (kb_.FindCause(cause) == nullptr) {
        b_.Report(e.where, fmt::format("exercise '{}' suits unknown cause '{}'{}", e.id, cause,
                                       Hint(cause, cause_ids_)));
      }
    }
    const Rules& rules = kb_.rules;
    std::set<int> phases;
    for (const Dose& d : e.doses) {
      Sources(d, e.where, fmt::format("exercise '{}' phase {} dose", e.id, d.phase));
      if (!phases.insert(d.phase).second) {
        b_.Report(e.where, fmt::format("exercise '{}' has two doses for phase {}", e.id, d.phase));
      }
      if (d.phase < 1 ||
          d.phase > static_cast<int>(std::max<std::size_t>(1, rules.phases.size()))) {
        b_.Report(e.where,
                  fmt::format("exercise '{}': phase {} is not defined in rules", e.id, d.phase));
      }
      auto check = [&](int value, int low, int high, std::string_view field) {
        if (value < low || value > high) {
          b_.Report(e.where, fmt::format("exercise '{}' phase {}: {} = {} is outside the limit "
                                         "{}-{} in rules.toml",
                                         e.id, d.phase, field, value, low, high));
        }
      };
      check(d.sets, 1, rules.max_sets, "sets");
      check(d.reps_min, 1, rules.max_reps, "reps_min");
      check(d.reps_max, 1, rules.max_reps, "reps_max");
      check(d.hold_seconds, 0, rules.max_hold_seconds, "hold_seconds");
      check(d.times_per_day, 1, rules.max_times_per_day, "times_per_day");
    }
    for (Contraindication& c : e.contraindications) {
      Sources(c, e.where, fmt::format("a contraindication of exercise '{}'", e.id));
      Expression(c.when, e.where, true);
    }
  }

  void RulesRefs() {
    Rules& rules = kb_.rules;
    const SourceLocation where{"rules.toml", 0, 0};
    for (SafetyNetRule& rule : rules.safety_net) {
      Sources(rule, rule.where, fmt::format("safety-net rule '{}'", rule.id));
      Expression(rule.when, rule.where, true);
    }
    for (const EscalationText& text : rules.escalations) {
      Sources(text, text.where, fmt::format("escalation '{}'", text.id));
    }
    for (TriageLevel level : {TriageLevel::kSelfCare, TriageLevel::kRoutine, TriageLevel::kUrgent,
                              TriageLevel::kEmergency}) {
      bool found = false;
      for (const auto& info : rules.levels) found = found || info.level == level;
      if (!found) {
        b_.Report(where, fmt::format("rules define no [[triage_level]] for '{}'", ToString(level)));
      }
    }
    if (rules.phases.empty()) b_.Report(where, "rules define no [[phase]]");
    for (std::size_t i = 0; i < rules.phases.size(); ++i) {
      if (rules.phases[i].number != static_cast<int>(i + 1)) {
        b_.Report(where, "phases must be numbered 1, 2, 3... in order");
      }
    }
    if (!(rules.likely > 0 && rules.likely < 1 && rules.cause_level > 0 && rules.cause_level < 1)) {
      b_.Report(where, "inference thresholds must be between 0 and 1");
    }
    if (rules.pain_safe_max >= rules.pain_acceptable_max) {
      b_.Report(where, "pain_monitoring: safe_max must be below acceptable_max");
    }
    if (rules.ice_max_minutes > 20 || rules.heat_max_minutes > 20) {
      b_.Report(where, "ice and heat are capped at 20 minutes (clinical reference section 7)");
    }
  }

  bool RecordExists(std::string_view ref) const {
    const auto colon = ref.find(':');
    if (colon == std::string_view::npos) return false;
    const std::string_view kind = ref.substr(0, colon);
    const std::string_view id = ref.substr(colon + 1);
    if (kind == "question") return kb_.FindQuestion(id) != nullptr;
    if (kind == "finding") return kb_.FindingIndex(id) >= 0;
    if (kind == "red_flag") return kb_.FindRedFlag(id) != nullptr;
    if (kind == "cause") return kb_.FindCause(id) != nullptr;
    if (kind == "exercise") return kb_.FindExercise(id) != nullptr;
    if (kind == "self_care") return kb_.FindSelfCare(id) != nullptr;
    if (kind == "education") return kb_.FindEducation(id) != nullptr;
    if (kind == "medication_caution") {
      for (const auto& m : kb_.medication_cautions) {
        if (m.id == id) return true;
      }
      return false;
    }
    if (kind == "rule") {
      for (const auto& s : kb_.rules.safety_net) {
        if (s.id == id) return true;
      }
      static const std::vector<std::string_view> kRuleSections = {
          "interview", "inference", "pain_monitoring", "progression",
          "programme", "limits",    "phases",          "triage_levels"};
      return std::find(kRuleSections.begin(), kRuleSections.end(), id) != kRuleSections.end();
    }
    return false;
  }

  void Coverage() {
    const int required = b_.required_facts.value_or(0);
    std::set<std::string> present;
    for (const CoverageFact& fact : kb_.coverage) {
      present.insert(fact.id);
      for (const std::string& record : fact.records) {
        if (!RecordExists(record)) {
          b_.Report(fact.where, fmt::format("fact {} maps to '{}', which does not exist (records "
                                            "are kind:id, e.g. exercise:glute_bridge)",
                                            fact.id, record));
        }
      }
    }
    for (int i = 1; i <= required; ++i) {
      const std::string id = fmt::format("F{:02d}", i);
      if (present.count(id) == 0) {
        b_.Report(SourceLocation{"coverage.toml", 0, 0},
                  fmt::format("fact {} of the clinical reference is not covered", id));
      }
    }
  }

  Builder& b_;
  KnowledgeBase& kb_;
  std::vector<std::string> finding_ids_, cause_ids_, question_ids_, exercise_ids_, source_ids_;
};

}  // namespace

LoadOutcome LoadKnowledge(std::span<const KnowledgeFile> files) {
  LoadOutcome outcome;
  Builder builder{KnowledgeBase{}, outcome.diagnostics, std::nullopt};
  for (const KnowledgeFile& file : files) ReadFile(builder, file);
  if (builder.kb.version.empty()) {
    outcome.diagnostics.push_back(
        Diagnostic{"meta.toml", 0, 0, "the knowledge base has no version (meta.toml: version)"});
  }
  builder.kb.Index();
  Resolver(builder).Run();
  if (builder.kb.questions.empty() || builder.kb.causes.empty() || builder.kb.red_flags.empty()) {
    outcome.diagnostics.push_back(
        Diagnostic{"", 0, 0, "the knowledge base needs questions, red flags and causes"});
  }
  builder.kb.Index();
  Resolver(builder).RunAfterIndex();
  if (outcome.diagnostics.empty()) outcome.kb = std::move(builder.kb);
  return outcome;
}

}  // namespace hipcoach
