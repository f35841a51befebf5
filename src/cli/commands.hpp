// The hipcoach subcommands. Each returns the process exit code: 0 success, 1 failure of the
// product or its data, 2 bad input (one clear message on stderr, nothing on stdout).
#pragma once

#include <functional>
#include <iosfwd>
#include <string>

#include "hipcoach/assessment.hpp"
#include "hipcoach/knowledge.hpp"

namespace hipcoach::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

// Called with a finished assessment (to save it); empty: not saved.
using AssessmentSink = std::function<void(const Answers&, const Assessment&)>;

int AssessInteractive(const KnowledgeBase& kb, std::istream& in, std::ostream& out,
                      const AssessmentSink& on_result = {});
int AssessFromFile(const KnowledgeBase& kb, const std::string& path, bool json, std::ostream& out,
                   std::ostream& err, const AssessmentSink& on_result = {});
// Assesses answers that came from a file, prints the result (JSON or text), hands it to
// `on_result`; the end of AssessFromFile and of `assess --fhir`.
// An incomplete danger screen is bad input (exit 2, the message on `err`, prefixed with `where`).
int AssessAndShow(const KnowledgeBase& kb, const Answers& answers, bool json, std::ostream& out,
                  std::ostream& err, std::string_view where, const AssessmentSink& on_result);
int InterviewJsonl(const KnowledgeBase& kb, std::istream& in, std::ostream& out, std::ostream& err);
int Questions(const KnowledgeBase& kb, bool json, std::ostream& out);
int Explain(const KnowledgeBase& kb, const std::string& id, std::ostream& out, std::ostream& err);
int KbCheck(const std::string& dir, std::ostream& out, std::ostream& err);

}  // namespace hipcoach::cli
