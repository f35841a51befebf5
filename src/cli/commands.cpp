#include "commands.hpp"

#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "hipcoach/app.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/interview.hpp"
#include "hipcoach/kb_check.hpp"
#include "hipcoach/serialize.hpp"
#include "model_link.hpp"
#include "render.hpp"

namespace hipcoach::cli {

int AssessFromFile(const KnowledgeBase& kb, const std::string& path, bool json, std::ostream& out,
                   std::ostream& err, const AssessmentSink& on_result) {
  auto text = app::ReadFile(path, app::kMaxAnswersFileBytes);
  if (!text) {
    err << "hipcoach: " << text.error().message << "\n";
    return kExitBadInput;
  }
  auto answers = ParseAnswersDocument(kb, *text, path);
  if (!answers) {
    err << "hipcoach: " << answers.error().message << "\n";
    return kExitBadInput;
  }
  return AssessAndShow(kb, *answers, json, out, err, path, on_result);
}

int AssessAndShow(const KnowledgeBase& kb, const Answers& answers, bool json, std::ostream& out,
                  std::ostream& err, std::string_view where, const AssessmentSink& on_result) {
  auto assessed = Assess(kb, answers);
  if (!assessed) {
    err << "hipcoach: " << where << ": " << assessed.error().message << "\n";
    return kExitBadInput;
  }
  const Assessment& assessment = *assessed;
  if (json) {
    out << AssessmentJson(kb, assessment).dump(2) << "\n";
  } else {
    RenderAssessment(kb, assessment, out);
  }
  if (on_result) on_result(answers, assessment);
  return kExitOk;
}

int InterviewJsonl(const KnowledgeBase& kb, std::istream& in, std::ostream& out,
                   std::ostream& err) {
  Answers answers;
  std::string line;
  int line_number = 0;
  for (;;) {
    const NextStep step = NextQuestion(kb, answers);
    if (step.question == nullptr) {
      // The interview has asked every danger-sign question it needs, so the screen is complete.
      auto assessment = Assess(kb, answers);
      if (!assessment) {
        err << "hipcoach: " << assessment.error().message << "\n";
        return kExitFailure;
      }
      nlohmann::json result = AssessmentJson(kb, *assessment);
      result["stop_reason"] = step.stop_reason;
      out << nlohmann::json{{"result", result}}.dump() << "\n" << std::flush;
      return kExitOk;
    }
    nlohmann::json question = QuestionJson(kb, *step.question);
    question["progress"] = {{"asked", step.asked}, {"remaining_estimate", step.remaining_estimate}};
    out << nlohmann::json{{"question", question}}.dump() << "\n" << std::flush;
    // Read until a valid answer; a bad line gets an error line and the question is asked again.
    for (;;) {
      if (!std::getline(in, line)) {
        err << "hipcoach: input ended before the interview was complete\n";
        return kExitBadInput;
      }
      ++line_number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto input = ParseInterviewLine(kb, line);
      if (!input) {
        out << nlohmann::json{{"error",
                               {{"line", line_number}, {"message", input.error().message}}}}
                   .dump()
            << "\n";
        out << nlohmann::json{{"question", question}}.dump() << "\n" << std::flush;
        continue;
      }
      // Any question may be answered or changed; the interview recomputes from all answers.
      answers[input->id] = input->value;
      break;
    }
  }
}

int Questions(const KnowledgeBase& kb, bool json, std::ostream& out) {
  if (json) {
    nlohmann::json list = nlohmann::json::array();
    for (int q : kb.interview_order) {
      list.push_back(QuestionJson(kb, kb.questions[static_cast<std::size_t>(q)]));
    }
    out << list.dump(2) << "\n";
    return kExitOk;
  }
  for (int q : kb.interview_order) {
    const Question& question = kb.questions[static_cast<std::size_t>(q)];
    out << fmt::format("{:<28} {:<10} {}\n", question.id, ToString(question.stage), question.text);
  }
  return kExitOk;
}

namespace {
std::string Cite(const KnowledgeBase& kb, const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    const Source* source = kb.FindSource(id);
    if (source == nullptr) continue;
    std::string where = !source->url.empty()   ? source->url
                        : !source->doi.empty() ? "doi:" + source->doi
                                               : std::string();
    out += fmt::format("  [{}] {}{}{}\n", id, source->title, where.empty() ? "" : " - " + where,
                       source->verified ? "" : " (unverified)");
  }
  return out;
}
}  // namespace

int Explain(const KnowledgeBase& kb, const std::string& id, std::ostream& out, std::ostream& err) {
  if (const Cause* cause = kb.FindCause(id)) {
    out << cause->name << (cause->also_known_as.empty() ? "" : " (" + cause->also_known_as + ")")
        << "\n\n"
        << cause->education << "\n";
    if (!cause->programme.empty()) out << "\nIn your programme: " << cause->programme << "\n";
    const std::string model = ModelNote(*cause);
    if (!model.empty()) out << "\n" << model << "\n";
    out << "\nSources:\n" << Cite(kb, cause->sources);
    return kExitOk;
  }
  if (const Exercise* exercise = kb.FindExercise(id)) {
    out << exercise->name << "\n\n";
    int step = 0;
    for (const std::string& line : exercise->instructions) {
      out << fmt::format("  {}. {}\n", ++step, line);
    }
    out << "\nWhy: " << exercise->why << "\n";
    for (const Dose& dose : exercise->doses) {
      out << fmt::format("Phase {}: {} x {}-{}{}{}\n", dose.phase, dose.sets, dose.reps_min,
                         dose.reps_max,
                         dose.hold_seconds > 0 ? fmt::format(", hold {} s", dose.hold_seconds) : "",
                         exercise->per_side ? ", each side" : "");
    }
    if (!exercise->easier.empty()) out << "Easier: " << exercise->easier << "\n";
    if (!exercise->harder.empty()) out << "Harder: " << exercise->harder << "\n";
    for (const Contraindication& contra : exercise->contraindications) {
      out << "Not for you if: " << contra.reason << "\n";
    }
    out << "\nSources:\n" << Cite(kb, exercise->sources);
    return kExitOk;
  }
  if (const RedFlag* flag = kb.FindRedFlag(id)) {
    out << flag->name << " (" << ToString(flag->level) << ")\n\n"
        << flag->reason << "\n\nWhat to do: " << flag->action << "\n\nSources:\n"
        << Cite(kb, flag->sources);
    return kExitOk;
  }
  if (const SelfCare* care = kb.FindSelfCare(id)) {
    out << care->name << "\n\n";
    for (const std::string& line : care->instructions) out << "  - " << line << "\n";
    out << "\nWhy: " << care->why << "\n\nSources:\n" << Cite(kb, care->sources);
    return kExitOk;
  }
  if (const EducationPage* page = kb.FindEducation(id)) {
    out << page->title << "\n\n" << page->body << "\n\nSources:\n" << Cite(kb, page->sources);
    return kExitOk;
  }
  std::vector<std::string> ids;
  for (const auto& c : kb.causes) ids.push_back(c.id);
  for (const auto& e : kb.exercises) ids.push_back(e.id);
  for (const auto& r : kb.red_flags) ids.push_back(r.id);
  for (const auto& s : kb.self_care) ids.push_back(s.id);
  for (const auto& p : kb.education) ids.push_back(p.id);
  const std::string hint = ClosestMatch(id, ids);
  err << fmt::format("hipcoach: nothing called '{}' to explain{}\n", id,
                     hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint));
  return kExitBadInput;
}

int KbCheck(const std::string& dir, std::ostream& out, std::ostream& err) {
  LoadOutcome outcome = app::LoadKnowledgeFrom(dir);
  std::vector<Diagnostic> diagnostics = outcome.diagnostics;
  if (outcome.kb) {
    for (Diagnostic& d : CheckReachability(*outcome.kb)) diagnostics.push_back(std::move(d));
  }
  for (const Diagnostic& d : diagnostics) {
    Diagnostic shown = d;
    if (!dir.empty() && !shown.file.empty()) shown.file = dir + "/" + shown.file;
    err << shown.Format() << "\n";
  }
  if (!diagnostics.empty()) {
    err << fmt::format("kb check: {} problem{}\n", diagnostics.size(),
                       diagnostics.size() == 1 ? "" : "s");
    return kExitFailure;
  }
  const KnowledgeBase& kb = *outcome.kb;
  out << fmt::format(
      "kb check: ok (version {}): {} sources, {} findings, {} questions, {} red flags, {} causes, "
      "{} exercises, {} self-care items, {} medication cautions, {} education pages, "
      "{} of the clinical reference's facts covered\n",
      kb.version, kb.sources.size(), kb.findings.size(), kb.questions.size(), kb.red_flags.size(),
      kb.causes.size(), kb.exercises.size(), kb.self_care.size(), kb.medication_cautions.size(),
      kb.education.size(), kb.coverage.size());
  return kExitOk;
}

}  // namespace hipcoach::cli
