// The tracking subcommands: checkin, session, log, plan, progress, export, import, calendar,
// report. Each returns the process exit code (commands.hpp) and writes only to the streams given.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hipcoach/knowledge.hpp"
#include "hipcoach/store.hpp"
#include "hipcoach/tracking.hpp"
#include "hipcoach/tracking_report.hpp"

namespace hipcoach::cli {

// Opens the database (--db, or the default path); prints why not and returns nullptr.
std::unique_ptr<Store> OpenTrackingStore(const std::string& db_path, std::ostream& err);

struct CheckinOptions {
  bool weekly = false;  // ask the danger-sign questions even if not due
  bool resume = false;  // resume a paused programme after the danger-sign questions
};
int Checkin(const KnowledgeBase& kb, Store& store, tracking::Clock& clock,
            const CheckinOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

struct SessionOptions {
  bool fast = false;     // timers do not wait (the clock still advances)
  bool restart = false;  // start today's session again instead of resuming it
};
int Session(const KnowledgeBase& kb, Store& store, tracking::Clock& clock,
            const SessionOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

struct LogOptions {
  std::string what;                 // pain | exercise | psfs
  std::vector<std::string> values;  // pain: N; exercise: ID; psfs: "activity=score" x 3-5
  std::string at;                   // when, if not now
  // exercise
  int sets = -1, reps = -1, hold = 0, pain = -1, effort = -1;
  std::string side = "both";
  // pain
  int worst = -1;
  double running_km = -1, sitting_hours = -1;
  int cycling_minutes = -1;
};
int Log(const KnowledgeBase& kb, Store& store, tracking::Clock& clock, const LogOptions& options,
        std::ostream& out, std::ostream& err);

int Plan(const KnowledgeBase& kb, Store& store, tracking::Clock& clock, std::ostream& out,
         std::ostream& err);
int Progress(const KnowledgeBase& kb, Store& store, tracking::Clock& clock, std::ostream& out,
             std::ostream& err);
int Export(Store& store, const std::string& output, const std::string& csv_dir, std::ostream& out,
           std::ostream& err);
int Import(const KnowledgeBase& kb, Store& store, const std::string& file, bool replace,
           std::ostream& out, std::ostream& err);
int Calendar(const KnowledgeBase& kb, Store& store, tracking::Clock& clock,
             const tracking::CalendarOptions& options, const std::string& output, std::ostream& out,
             std::ostream& err);
int Report(const KnowledgeBase& kb, Store& store, tracking::Clock& clock, const std::string& output,
           std::ostream& out, std::ostream& err);

// Writes `text` to `path` through a temporary file, so a failure never leaves half a file.
bool WriteFile(const std::string& path, const std::string& text, std::ostream& err);
// Everything stored for the local profile; nullopt after printing the error.
std::optional<DataSet> LocalData(Store& store, std::ostream& err);
// Writes `text` to stdout (`output` empty or "-") or to the file `output`, saying so ("Wrote
// `what` to FILE").
int Emit(const std::string& output, const std::string& text, const std::string& what,
         std::ostream& out, std::ostream& err);

// After `hipcoach assess`: stores the assessment and its programme.
int SaveAssessment(const KnowledgeBase& kb, Store& store, tracking::Clock& clock,
                   const Answers& answers, const Assessment& assessment, std::ostream& note);

// Prints what new data led to: escalations and programme changes (checkin, log, session).
void ShowUpdates(const KnowledgeBase& kb, const tracking::Updates& updates, std::ostream& out);

// Prints the programme changes among `decisions` under `heading`, if there are any.
void ShowChanges(const std::vector<tracking::ItemDecision>& decisions, const std::string& heading,
                 std::ostream& out);

}  // namespace hipcoach::cli
