// Triage: red flags first, then the staged safety net, then the level of any likely cause. The
// result is never less urgent than any matched red flag.
#pragma once

#include <string>
#include <vector>

#include "hipcoach/answers.hpp"
#include "hipcoach/knowledge.hpp"

namespace hipcoach {

struct Reason {
  std::string text;
  std::vector<std::string> sources;
};

struct MatchedRedFlag {
  int red_flag = -1;
  bool uncertain = false;  // matched because an answer was "not sure"
};

struct TriageResult {
  TriageLevel level = TriageLevel::kSelfCare;
  std::vector<Reason> reasons;
  std::vector<MatchedRedFlag> red_flags;
  std::vector<std::string> safety_net;  // ids of the safety-net rules that applied
  std::vector<Reason> watch_for;        // for routine and self_care: what should bring you back
  std::vector<std::string> unanswered_screening;  // danger-sign questions nobody answered
};

// How to read a finding whose question was not asked: during the interview it is still pending
// (it may yet be asked); in a final result it counts as absent (not reported).
enum class Unasked { kPending, kAbsent };

// Red flags whose pattern is true. A "not sure" answer takes whichever value is worse for the
// person (clinical reference 2(c): take the more urgent branch); a flag matched only through such
// an answer is marked uncertain.
std::vector<MatchedRedFlag> MatchRedFlags(const KnowledgeBase& kb, const FindingState& state,
                                          Unasked unasked);

// Full triage from the findings and the cause posteriors.
TriageResult Triage(const KnowledgeBase& kb, const FindingState& state,
                    const std::vector<double>& posteriors);

}  // namespace hipcoach
