// The programme: a phase-based weekly plan built from the triage, the likely causes, the painful
// side, equipment, time per day and activities. Nothing contraindicated by the answers goes in;
// every item says why it is there.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hipcoach/answers.hpp"
#include "hipcoach/knowledge.hpp"
#include "hipcoach/triage.hpp"

namespace hipcoach {

struct PlanItem {
  std::string exercise;  // exercise id
  int sets = 1;
  int reps_min = 1;
  int reps_max = 1;
  int hold_seconds = 0;
  int times_per_day = 1;
  bool per_side = false;
  std::string side_note;  // e.g. "both sides; start with your left (less painful) side"
  std::string why;
  std::vector<std::string> sources;
};

struct PlanDay {
  int day = 1;  // 1 = first day of the week
  bool rest_day = false;
  std::string focus;
  std::vector<PlanItem> items;
};

struct PhasePlan {
  Phase phase;
  std::vector<PlanItem> items;  // what the phase contains, with its doses
};

struct SelfCareAdvice {
  std::string self_care;  // id
  bool allowed = true;
  std::string note;  // why, or why not
  std::vector<std::string> sources;
};

struct ExcludedItem {
  std::string id;  // exercise id
  std::string reason;
  std::vector<std::string> sources;
};

struct Programme {
  int current_phase = 1;
  std::vector<PhasePlan> phases;
  std::vector<PlanDay> week;  // the current phase's week
  std::vector<SelfCareAdvice> self_care;
  std::vector<ExcludedItem> excluded;
  std::vector<Reason> notes;  // sitting breaks, activity advice, progression and pain rules
  std::string painful_side;   // left | right | both | ""
  int minutes_per_day = 0;
};

struct ProgrammeInput {
  TriageLevel level = TriageLevel::kSelfCare;
  const FindingState* state = nullptr;
  const std::vector<double>* posteriors = nullptr;
  const Answers* answers = nullptr;
};

// No programme (nullopt) when the triage is urgent or emergency.
std::optional<Programme> BuildProgramme(const KnowledgeBase& kb, const ProgrammeInput& input);

// Medication cautions that apply (no doses: who should ask a pharmacist or doctor first).
std::vector<const MedicationCaution*> ApplicableCautions(const KnowledgeBase& kb,
                                                         const std::vector<Tri>& findings);

}  // namespace hipcoach
