// What the tracking commands share: opening the database, saving an assessment, and telling the
// person about escalations and programme changes after new data.
#include <fmt/format.h>

#include <filesystem>
#include <ostream>

#include "commands.hpp"
#include "tracking_commands.hpp"

namespace hipcoach::cli {

std::unique_ptr<Store> OpenTrackingStore(const std::string& db_path, std::ostream& err) {
  const std::string path = db_path.empty() ? DefaultDatabasePath() : db_path;
  auto store = OpenStore(path);  // a postgresql:// URL or an SQLite file
  if (!store) {
    err << "hipcoach: " << store.error().message << "\n";
    return nullptr;
  }
  return std::move(*store);
}

int SaveAssessment(const KnowledgeBase& kb, Store& store, tracking::Clock& clock,
                   const Answers& answers, const Assessment& assessment, std::ostream& note) {
  tracking::Tracker tracker(kb, store, clock);
  auto saved = tracker.SaveAssessment(answers, assessment);
  if (!saved) {
    note << "hipcoach: your result was not saved: " << saved.error().message << "\n";
    return kExitFailure;
  }
  note << (assessment.programme
               ? "\nSaved. Next: 'hipcoach plan' shows this week, 'hipcoach session' guides you "
                 "through today's exercises, and 'hipcoach checkin' records how you are.\n"
               : "\nSaved. Tracking is paused until a doctor has checked you.\n");
  return kExitOk;
}

void ShowUpdates(const KnowledgeBase& kb, const tracking::Updates& updates, std::ostream& out) {
  for (const Escalation& e : updates.escalations) {
    const TriageLevelInfo& level = kb.rules.Level(e.level);
    out << fmt::format("\n*** {} ***\n{}\n", level.title, e.message);
  }
  ShowChanges(updates.decisions, "Your programme has changed:", out);
  if (!updates.progression_refused.empty()) {
    out << "\n" << updates.progression_refused << "\n";
  }
}

void ShowChanges(const std::vector<tracking::ItemDecision>& decisions, const std::string& heading,
                 std::ostream& out) {
  bool first = true;
  for (const tracking::ItemDecision& d : decisions) {
    if (d.decision.next == d.before) continue;
    if (first) out << "\n" << heading << "\n";
    first = false;
    out << "  - " << d.decision.reason << "\n";
  }
}

}  // namespace hipcoach::cli
