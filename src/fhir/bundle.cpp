// A person's data set as a FHIR R4 Bundle of type "collection".
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "hipcoach/json_reader.hpp"
#include "hipcoach/tracking.hpp"
#include "hipcoach/tracking_report.hpp"
#include "internal.hpp"

namespace hipcoach::fhir {
namespace {

using detail::Coding;
using detail::json;
using detail::Ref;

constexpr std::string_view kObservationCategory =
    "http://terminology.hl7.org/CodeSystem/observation-category";

json Text(std::string_view text) { return {{"text", text}}; }

json Concept(std::string_view system, std::string_view code, std::string_view display) {
  return {{"coding", json::array({Coding(system, code, display)})}, {"text", display}};
}

json SurveyCategory() {
  return json::array(
      {{{"coding", json::array({Coding(kObservationCategory, "survey", "Survey")})}}});
}

json Parsed(const std::string& text) {
  auto parsed = ReadUntrustedOrderedJson(text, json_limits::Stored());
  return parsed ? std::move(*parsed) : json::object();
}

std::string Percent(double probability) {
  return fmt::format("{} %", static_cast<int>(std::lround(probability * 100)));
}

class Builder {
 public:
  Builder(const KnowledgeBase& kb, const DataSet& data, std::string pseudonym)
      : kb_(kb), data_(data), pseudonym_(std::move(pseudonym)) {}

  json Build() {
    patient_ = Uuid("Patient");
    Add(patient_, PatientJson());
    Add(NameUuid("Questionnaire|" + QuestionnaireCanonical(kb_.version)), QuestionnaireJson(kb_));
    const StoredAssessment* latest = nullptr;
    for (const StoredAssessment& a : data_.assessments) {
      if (latest == nullptr || a.at >= latest->at) latest = &a;
    }
    for (const StoredAssessment& a : data_.assessments) {
      const std::string response = Uuid("QuestionnaireResponse", a.id);
      Add(response, ResponseJson(a));
      Add(Uuid("Observation|triage", a.id), TriageJson(a, response));
      if (&a == latest) AddConditions(a, response);
    }
    AddPainObservations();
    AddCarePlan(latest);
    TimeSeconds newest = data_.profile.created_at;
    auto newer = [&newest](TimeSeconds t) { newest = std::max(newest, t); };
    for (const auto& a : data_.assessments) newer(a.at);
    for (const auto& p : data_.programmes) newer(p.at);
    for (const auto& c : data_.checkins) newer(c.at);
    for (const auto& o : data_.outcomes) newer(o.at);
    for (const auto& e : data_.events) newer(e.at);
    // The id follows the content, so the same data gives the same Bundle, and new data a new id.
    json bundle = {{"resourceType", "Bundle"},
                   {"id", NameUuid("Bundle|" + entries_.dump())},
                   {"type", "collection"}};
    if (newest > 0) bundle["timestamp"] = tracking::IsoUtc(newest);
    bundle["entry"] = std::move(entries_);
    return bundle;
  }

 private:
  std::string Uuid(std::string_view kind, RowId id = 0) const {
    return NameUuid(fmt::format("{}|{}|{}", kind, pseudonym_, id));
  }

  void Add(const std::string& uuid, json resource) {
    json entry = {{"fullUrl", "urn:uuid:" + uuid}};
    json ordered = {{"resourceType", resource.at("resourceType")}, {"id", uuid}};
    for (auto& [key, value] : resource.items()) {
      if (key != "resourceType" && key != "id") ordered[key] = std::move(value);
    }
    entry["resource"] = std::move(ordered);
    entries_.push_back(std::move(entry));
  }

  json PatientJson() const {
    // Pseudonymous: no name, birth date, gender, address or contact; only the keyed pseudonym.
    return {{"resourceType", "Patient"},
            {"meta",
             {{"security",
               json::array({Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
                                   "PSEUDED", "pseudonymized")})}}},
            {"identifier", json::array({{{"system", kPseudonymSystem}, {"value", pseudonym_}}})},
            {"active", true}};
  }

  json ResponseJson(const StoredAssessment& a) const {
    const json answers = Parsed(a.answers_json);
    json out = {{"resourceType", "QuestionnaireResponse"},
                {"questionnaire", QuestionnaireCanonical(a.knowledge_version)},
                {"status", "completed"},
                {"subject", Ref(patient_)},
                {"authored", tracking::IsoUtc(a.at)}};
    out["item"] = detail::ResponseItems(kb_, answers.is_object() && answers.contains("answers")
                                                 ? answers.at("answers")
                                                 : json::object());
    return out;
  }

  // The triage level as an Observation derived from the answers.
  json TriageJson(const StoredAssessment& a, const std::string& response) const {
    const json result = Parsed(a.result_json);
    const json triage = MemberOf(result, "triage", nlohmann::json::value_t::object);
    const std::string level = TextField(triage, "level");
    const std::string title = TextField(triage, "title", level);
    json notes = json::array();
    std::string advice = TextField(triage, "action");
    if (const std::string window = TextField(triage, "window"); !window.empty()) {
      advice += (advice.empty() ? "" : " ") + std::string("(") + window + ")";
    }
    if (!advice.empty()) notes.push_back(Text("What to do: " + advice));
    for (const json& reason : MemberOf(triage, "reasons", nlohmann::json::value_t::array)) {
      const std::string why = TextField(reason, "text");
      if (!why.empty() && why != TextField(triage, "action")) notes.push_back(Text("Why: " + why));
    }
    for (const json& flag : MemberOf(triage, "red_flags", nlohmann::json::value_t::array)) {
      if (!flag.is_object()) continue;
      notes.push_back(Text(
          fmt::format("Danger sign: {} ({}{}); suspected: {}",
                      TextField(flag, "name", TextField(flag, "id")), TextField(flag, "level"),
                      BoolField(flag, "uncertain", false) ? ", from a \"not sure\" answer" : "",
                      TextField(flag, "suspected"))));
    }
    for (const json& doubt : MemberOf(triage, "doubts", nlohmann::json::value_t::array)) {
      const std::string text = TextField(doubt, "text");
      if (!text.empty()) notes.push_back(Text("Where the person was not sure: " + text));
    }
    notes.push_back(
        Text("Self-reported answers assessed by hipcoach's rules; self-care guidance, not a "
             "diagnosis."));
    json out = {{"resourceType", "Observation"},
                {"status", "final"},
                {"category", SurveyCategory()},
                {"code", Concept(kObservationSystem, "triage",
                                 "hipcoach triage: how urgently to "
                                 "get help")},
                {"subject", Ref(patient_)},
                {"effectiveDateTime", tracking::IsoUtc(a.at)}};
    if (!level.empty()) {
      out["valueCodeableConcept"] = Concept(kTriageLevelSystem, level, title);
    } else {
      out["dataAbsentReason"] = Concept(kDataAbsentReasonSystem, "unknown", "Unknown");
    }
    out["note"] = std::move(notes);
    out["derivedFrom"] = json::array({Ref(response)});
    return out;
  }

  // The causes of the latest assessment in the order `hipcoach assess` shows them: what a doctor
  // needs to rule out (the serious causes a danger sign points to), then the likely causes (at or
  // above rules.likely, most likely first). No figure is above rules.max_probability.
  void AddConditions(const StoredAssessment& a, const std::string& response) {
    const tracking::StoredRanking ranking = tracking::RankingOf(kb_, Parsed(a.result_json));
    for (const tracking::StoredCause& cause : ranking.rule_out) {
      const RedFlag* flag = kb_.FindRedFlag(cause.flagged_by);
      json notes = json::array();
      notes.push_back(Text(fmt::format(
          "What a doctor needs to rule out: the danger sign \"{}\" in the person's own answers "
          "points to this. A hypothesis for a clinician to confirm or rule out, not a diagnosis.",
          flag != nullptr ? flag->name : cause.flagged_by)));
      if (!cause.why.empty()) notes.push_back(Text("Why: " + cause.why));
      AddCondition(a, response, cause, std::move(notes));
    }
    for (const tracking::StoredCause& cause : ranking.causes) {
      if (cause.probability < kb_.rules.likely) continue;
      // One Condition per cause: a cause to rule out is not listed again as a likely one.
      const bool listed =
          std::any_of(ranking.rule_out.begin(), ranking.rule_out.end(),
                      [&](const tracking::StoredCause& other) { return other.id == cause.id; });
      if (listed) continue;
      json notes = json::array();
      notes.push_back(Text(fmt::format(
          "Estimated by hipcoach from the person's own answers: {} ({} likely). A hypothesis "
          "for a clinician to confirm or rule out, not a diagnosis.",
          cause.chance, Percent(cause.probability))));
      AddCondition(a, response, cause, std::move(notes));
    }
    conditions_assessment_ = a.id;
  }

  void AddCondition(const StoredAssessment& a, const std::string& response,
                    const tracking::StoredCause& cause, json notes) {
    if (!cause.summary.empty()) notes.push_back(Text(cause.summary));
    std::string for_it, against;
    for (const tracking::StoredEvidence& item : cause.evidence) {
      std::string text = item.text;
      while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
      const std::string line =
          fmt::format("{} (likelihood ratio {:.2f})", text, item.likelihood_ratio);
      std::string& list = item.supports ? for_it : against;
      list += (list.empty() ? "" : "; ") + line;
    }
    if (!for_it.empty()) notes.push_back(Text("Evidence for: " + for_it));
    if (!against.empty()) notes.push_back(Text("Evidence against: " + against));
    const std::string uuid = Uuid("Condition|" + cause.id, a.id);
    conditions_.push_back(uuid);
    Add(uuid,
        {{"resourceType", "Condition"},
         {"clinicalStatus",
          Concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")},
         {"verificationStatus",
          Concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "provisional",
                  "Provisional")},
         {"code", Concept(kCauseSystem, cause.id, cause.name)},
         {"subject", Ref(patient_)},
         {"recordedDate", tracking::IsoUtc(a.at)},
         {"evidence", json::array({{{"detail", json::array({Ref(response)})}}})},
         {"note", std::move(notes)}});
  }

  json PainObservation(TimeSeconds at, std::string_view code, std::string_view text,
                       int value) const {
    return {{"resourceType", "Observation"},
            {"status", "final"},
            {"category", SurveyCategory()},
            {"code",
             {{"coding",
               json::array({Coding(kLoinc, kPainSeverityLoinc,
                                   "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
                            Coding(kObservationSystem, code, text)})},
              {"text", text}}},
            {"subject", Ref(patient_)},
            {"effectiveDateTime", tracking::IsoUtc(at)},
            {"valueInteger", value}};
  }

  void AddPainObservations() {
    for (const CheckIn& c : data_.checkins) {
      Add(Uuid("Observation|pain_now", c.id),
          PainObservation(c.at, "pain_now", "Pain now (0-10)", c.pain_now));
      if (c.pain_worst) {
        Add(Uuid("Observation|pain_worst", c.id),
            PainObservation(c.at, "pain_worst", "Worst pain in the last 24 hours (0-10)",
                            *c.pain_worst));
      }
    }
    for (const OutcomeRecord& o : data_.outcomes) {
      if (o.measure == "nprs") {
        // A weekly check-in stores its "pain now" again as the NPRS outcome: one measurement,
        // already exported with the check-in.
        const bool same = std::any_of(data_.checkins.begin(), data_.checkins.end(), [&](auto& c) {
          return c.at == o.at && static_cast<double>(c.pain_now) == o.score;
        });
        if (same) continue;
        Add(Uuid("Observation|nprs", o.id),
            PainObservation(o.at, "nprs", "Pain score (NPRS, 0-10)",
                            static_cast<int>(std::lround(o.score))));
      } else if (o.measure == "psfs") {
        json components = json::array();
        for (const PsfsItem& item : o.items) {
          components.push_back({{"code", Text(item.activity)}, {"valueInteger", item.score}});
        }
        Add(Uuid("Observation|psfs", o.id),
            {{"resourceType", "Observation"},
             {"status", "final"},
             {"category", SurveyCategory()},
             {"code", Concept(kObservationSystem, "psfs",
                              "Patient-Specific Functional Scale (mean of 3-5 activities, 0-10)")},
             {"subject", Ref(patient_)},
             {"effectiveDateTime", tracking::IsoUtc(o.at)},
             {"valueQuantity",
              {{"value", std::round(o.score * 100) / 100},
               {"unit", "score"},
               {"system", detail::kUcum},
               {"code", "{score}"}}},
             {"component", std::move(components)}});
      }
    }
  }

  bool Paused() const {
    bool paused = false;
    for (const Event& e : data_.events) {
      if (e.kind == "pause") paused = true;
      if (e.kind == "resume") paused = false;
    }
    return paused;
  }

  static std::string Dose(const Prescription& p) {
    std::string out = fmt::format("{} set{} of ", p.sets, p.sets == 1 ? "" : "s");
    out += p.reps_min == p.reps_max ? std::to_string(p.reps_min)
                                    : fmt::format("{}-{}", p.reps_min, p.reps_max);
    out += p.reps_max == 1 ? " repetition" : " repetitions";
    if (p.hold_seconds > 0) out += fmt::format(", each held {} s", p.hold_seconds);
    if (p.per_side) out += ", each side";
    out +=
        fmt::format(", {} a day", p.times_per_day == 1 ? std::string("once")
                                                       : fmt::format("{} times", p.times_per_day));
    switch (p.days) {
      case DoseDays::kStrength:
        out += ", on 3 non-consecutive days a week";
        break;
      case DoseDays::kDaily:
        out += ", 6 days a week (one rest day)";
        break;
      case DoseDays::kRestDaysOk:
        out += ", every day";
        break;
    }
    if (p.load_steps > 0) {
      out += fmt::format(" (load raised {} time{})", p.load_steps, p.load_steps == 1 ? "" : "s");
    }
    return out;
  }

  // The weekdays a prescription falls on, counted from the programme's first day (as
  // ScheduledOn does); empty when it is every day.
  static json DaysOfWeek(const tracking::ActivePlan& plan, const Prescription& p) {
    static const char* const kCodes[] = {"thu", "fri", "sat", "sun", "mon", "tue", "wed"};
    static const char* const kOrder[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    if (p.days == DoseDays::kRestDaysOk) return json::array();
    std::vector<std::string> days;
    for (int offset = 0; offset < 7; ++offset) {
      if (!ScheduledOn(p.days, offset)) continue;
      const int day = plan.start_day + offset;
      days.push_back(kCodes[((day % 7) + 7) % 7]);
    }
    json out = json::array();
    for (const char* code : kOrder) {
      if (std::find(days.begin(), days.end(), code) != days.end()) out.push_back(code);
    }
    return out;
  }

  void AddCarePlan(const StoredAssessment* latest) {
    const ProgrammeVersion* version = nullptr;
    for (const ProgrammeVersion& v : data_.programmes) {
      if (version == nullptr || v.at >= version->at) version = &v;
    }
    if (version == nullptr) return;
    auto plan = tracking::ParsePlan(version->programme_json);
    if (!plan) return;
    const bool paused = Paused();
    const std::string detail_status = paused ? "on-hold" : "in-progress";
    // Why exercises were left out, from the assessment that built the programme.
    json excluded_reasons = json::object();
    for (const StoredAssessment& a : data_.assessments) {
      if (!version->assessment_id || a.id != *version->assessment_id) continue;
      const json programme =
          MemberOf(Parsed(a.result_json), "programme", nlohmann::json::value_t::object);
      if (!programme.is_object()) continue;
      for (const json& item : MemberOf(programme, "excluded", nlohmann::json::value_t::array)) {
        if (item.is_object()) {
          excluded_reasons[TextField(item, "exercise")] = TextField(item, "reason");
        }
      }
    }
    json activities = json::array();
    for (const Prescription& p : plan->items) {
      const Exercise* exercise = kb_.FindExercise(p.exercise);
      const std::string name = exercise != nullptr ? exercise->name : p.exercise;
      std::string description = Dose(p);
      if (exercise != nullptr) {
        std::string steps;
        for (const std::string& step : exercise->instructions) {
          steps += (steps.empty() ? "" : " ") + step;
        }
        if (!steps.empty()) description += ". How: " + steps;
      }
      json repeat = {{"frequency", p.times_per_day}, {"period", 1}, {"periodUnit", "d"}};
      if (json days = DaysOfWeek(*plan, p); !days.empty()) repeat["dayOfWeek"] = std::move(days);
      activities.push_back({{"detail",
                             {{"code", Concept(kExerciseSystem, p.exercise, name)},
                              {"status", detail_status},
                              {"scheduledTiming", {{"repeat", std::move(repeat)}}},
                              {"quantity",
                               {{"value", p.sets},
                                {"unit", p.sets == 1 ? "set" : "sets"},
                                {"system", detail::kUcum},
                                {"code", "{sets}"}}},
                              {"description", description}}}});
    }
    for (const std::string& id : plan->self_care) {
      const SelfCare* care = kb_.FindSelfCare(id);
      const std::string name = care != nullptr ? care->name : id;
      std::string description = "When it helps";
      if (care != nullptr) {
        if (care->max_minutes > 0) {
          description += fmt::format("; at most {} minutes at a time", care->max_minutes);
        }
        if (care->min_gap_hours > 0) {
          description += fmt::format("; at least {:g} hours apart", care->min_gap_hours);
        }
        for (const std::string& step : care->instructions) description += ". " + step;
      }
      activities.push_back({{"detail",
                             {{"code", Concept(kSelfCareSystem, id, name)},
                              {"status", detail_status},
                              {"scheduledString", "as needed"},
                              {"description", description}}}});
    }
    for (const std::string& id : plan->excluded) {
      const Exercise* exercise = kb_.FindExercise(id);
      const std::string name = exercise != nullptr ? exercise->name : id;
      const std::string reason = TextField(excluded_reasons, id);
      activities.push_back(
          {{"detail",
            {{"code", Concept(kExerciseSystem, id, name)},
             {"status", "not-started"},
             {"doNotPerform", true},
             {"description",
              "Left out of the programme: " +
                  (reason.empty() ? std::string("not safe or not suitable for this person now")
                                  : reason)}}}});
    }
    std::string phase_name;
    for (const Phase& phase : kb_.rules.phases) {
      if (phase.number == plan->phase) phase_name = phase.name;
    }
    json care_plan = {
        {"resourceType", "CarePlan"},
        {"status", paused ? "on-hold" : "active"},
        {"intent", "plan"},
        {"title", "hipcoach exercise programme"},
        {"description",
         fmt::format("Phase {}{}: graded glute strengthening, stretching and self-care. Pain "
                     "during the exercises: 0-{} is fine, up to {} is acceptable if settled by the "
                     "next morning.{}",
                     plan->phase, phase_name.empty() ? "" : " (" + phase_name + ")",
                     kb_.rules.pain_safe_max, kb_.rules.pain_acceptable_max,
                     paused ? " Paused until a doctor or physiotherapist says it is safe." : "")},
        {"subject", Ref(patient_)},
        {"period", {{"start", tracking::LocalDate(plan->start_day)}}},
        {"created", tracking::IsoUtc(version->at)}};
    if (!conditions_.empty() && latest != nullptr && version->assessment_id &&
        *version->assessment_id == conditions_assessment_) {
      json addresses = json::array();
      for (const std::string& uuid : conditions_) addresses.push_back(Ref(uuid));
      care_plan["addresses"] = std::move(addresses);
    }
    if (version->assessment_id) {
      for (const StoredAssessment& a : data_.assessments) {
        if (a.id == *version->assessment_id) {
          care_plan["supportingInfo"] = json::array({Ref(Uuid("QuestionnaireResponse", a.id))});
        }
      }
    }
    care_plan["activity"] = std::move(activities);
    if (!version->reason.empty()) care_plan["note"] = json::array({Text(version->reason)});
    Add(Uuid("CarePlan", version->id), std::move(care_plan));
  }

  const KnowledgeBase& kb_;
  const DataSet& data_;
  std::string pseudonym_;
  std::string patient_;
  std::vector<std::string> conditions_;
  RowId conditions_assessment_ = 0;
  json entries_ = json::array();
};

}  // namespace

Result<json> BundleJson(const KnowledgeBase& kb, const DataSet& data,
                        const BundleOptions& options) {
  if (options.pseudonym_key.empty()) {
    return MakeError(ErrorCode::kInvalidInput, "a FHIR export needs the pseudonym key");
  }
  Builder builder(kb, data, Pseudonym(options.pseudonym_key, data.profile.person_id));
  return builder.Build();
}

}  // namespace hipcoach::fhir
