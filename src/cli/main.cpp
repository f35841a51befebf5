// hipcoach: the command-line front end. CLI11 is included here only (it is slow to compile).
#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "fhir_commands.hpp"
#include "hipcoach/app.hpp"
#include "hipcoach/server.hpp"
#include "tracking_commands.hpp"
#ifdef HIPCOACH_HAVE_MODEL
#include "hipcoach/model/cli.hpp"
#endif

namespace {

using hipcoach::cli::kExitBadInput;
using hipcoach::cli::kExitFailure;

// Loads the knowledge base for a command; prints why not and returns nullopt on failure.
std::optional<hipcoach::KnowledgeBase> Knowledge(const std::string& dir) {
  hipcoach::LoadOutcome outcome = hipcoach::app::LoadKnowledgeFrom(dir);
  if (!outcome.kb) {
    for (const auto& d : outcome.diagnostics) {
      std::cerr << (dir.empty() || d.file.empty() ? "" : dir + "/") << d.Format() << "\n";
    }
    std::cerr << "hipcoach: the knowledge base did not load; run 'hipcoach kb check"
              << (dir.empty() ? "" : " " + dir) << "' for details\n";
    return std::nullopt;
  }
  return std::move(outcome.kb);
}

}  // namespace

int Run(int argc, char** argv) {
  CLI::App app{
      "hipcoach: self-care guidance for hip and buttock pain from the glutes.\n"
      "It screens for danger signs, ranks likely causes and builds a programme.\n"
      "It is not a diagnosis.",
      "hipcoach"};
  app.require_subcommand(0, 1);
  std::string knowledge_dir;
  app.add_option("--knowledge", knowledge_dir,
                 "Use the knowledge base in DIR instead of the built-in one")
      ->type_name("DIR");

  auto* assess = app.add_subcommand("assess", "Answer the interview and get your result");
  std::string answers_file;
  bool assess_json = false;
  assess->add_option("--answers", answers_file, "Read answers from a JSON file instead of asking")
      ->type_name("FILE");
  assess->add_flag("--json", assess_json, "Print the result as one JSON document");
  std::string fhir_file;
  assess
      ->add_option("--fhir", fhir_file,
                   "Read the answers from a FHIR QuestionnaireResponse (JSON, docs/fhir.md)")
      ->type_name("FILE")
      ->excludes("--answers");
  bool assess_no_save = false;
  bool assess_save = false;
  assess->add_flag("--no-save", assess_no_save, "Do not save the result to your diary");
  assess->add_flag("--save", assess_save,
                   "Save the result even with --answers FILE --json (which does not by default)");

  // Tracking over weeks: every command takes --db PATH.
  std::string db_path;
  auto add_db = [&db_path](CLI::App* command) {
    command
        ->add_option("--db", db_path,
                     "The database: an SQLite file (default: "
                     "$XDG_DATA_HOME/hipcoach/hipcoach.db) or a PostgreSQL URL "
                     "postgresql://USER@HOST/DB (docs/postgresql.md)")
        ->type_name("PATH|URL");
  };
  add_db(assess);
  auto* checkin =
      app.add_subcommand("checkin", "Daily check-in; weekly it asks about danger signs");
  hipcoach::cli::CheckinOptions checkin_options;
  checkin->add_flag("--weekly", checkin_options.weekly, "Ask the weekly questions now");
  checkin->add_flag(
      "--resume", checkin_options.resume,
      "Resume a paused programme (after a doctor or physiotherapist said it is safe)");
  add_db(checkin);
  auto* session = app.add_subcommand("session", "A guided session with timers, logged as you go");
  hipcoach::cli::SessionOptions session_options;
  session->add_flag("--fast", session_options.fast, "Timers do not wait (for trying it out)");
  session->add_flag("--restart", session_options.restart,
                    "Start today's session again instead of carrying on");
  add_db(session);
  auto* log = app.add_subcommand("log", "Quick entries: log pain 4, log exercise ID --sets ...");
  hipcoach::cli::LogOptions log_options;
  log->add_option("WHAT", log_options.what, "pain | exercise | psfs")->required();
  log->add_option("VALUES", log_options.values,
                  "pain: 0-10; exercise: its id; psfs: \"activity=score\" (3 to 5)");
  log->add_option("--at", log_options.at, "When (2026-01-05T18:30, local time); default now");
  log->add_option("--sets", log_options.sets, "Sets done");
  log->add_option("--reps", log_options.reps, "Reps done on every set (your weakest set)");
  log->add_option("--hold", log_options.hold, "Hold in seconds");
  log->add_option("--pain", log_options.pain, "Highest pain during it, 0-10");
  log->add_option("--effort", log_options.effort, "How hard it felt, 0-10");
  log->add_option("--side", log_options.side, "left | right | both");
  log->add_option("--worst", log_options.worst, "Worst pain in the last 24 hours, 0-10");
  log->add_option("--running-km", log_options.running_km, "Running today, km");
  log->add_option("--cycling-min", log_options.cycling_minutes, "Cycling today, minutes");
  log->add_option("--sitting-hours", log_options.sitting_hours, "Sitting today, hours");
  add_db(log);
  auto* plan = app.add_subcommand("plan", "This week's plan, with any changes and why");
  add_db(plan);
  auto* progress = app.add_subcommand("progress", "Your pain trend, adherence and what changed");
  add_db(progress);
  auto* export_cmd = app.add_subcommand("export", "All your data as JSON (or the logs as CSV)");
  std::string export_output, export_csv;
  export_cmd->add_option("-o,--output", export_output, "Write to FILE instead of the screen")
      ->type_name("FILE");
  export_cmd->add_option("--csv", export_csv, "Write the logs as CSV files into DIR")
      ->type_name("DIR");
  bool export_fhir = false;
  export_cmd->add_flag("--fhir", export_fhir, "As a FHIR R4 Bundle (docs/fhir.md)")
      ->excludes("--csv");
  add_db(export_cmd);
  auto* import_cmd = app.add_subcommand("import", "Import an export (all or nothing)");
  std::string import_file;
  bool import_replace = false;
  import_cmd->add_option("FILE", import_file, "A file written by 'hipcoach export'")->required();
  import_cmd->add_flag("--replace", import_replace, "Replace the data already in the database");
  add_db(import_cmd);
  auto* calendar = app.add_subcommand("calendar", "Sessions and sitting-break reminders (.ics)");
  hipcoach::tracking::CalendarOptions calendar_options;
  std::string calendar_output, session_time = "18:00";
  int work_start = 9, work_end = 17;
  bool no_breaks = false;
  calendar->add_option("-o,--output", calendar_output, "Write to FILE (e.g. hipcoach.ics)")
      ->type_name("FILE");
  calendar->add_option("--session-time", session_time, "Time of day for sessions (HH:MM)");
  calendar->add_option("--work-start", work_start, "Sitting breaks from this hour")
      ->check(CLI::Range(0, 23));
  calendar->add_option("--work-end", work_end, "...until this hour")->check(CLI::Range(1, 24));
  calendar->add_flag("--no-sitting-breaks", no_breaks, "Leave out the sitting-break reminders");
  add_db(calendar);
  auto* report = app.add_subcommand("report", "A printable HTML report for your physiotherapist");
  std::string report_output;
  report->add_option("-o,--output", report_output, "Write to FILE (e.g. report.html)")
      ->type_name("FILE");
  add_db(report);

  auto* interview = app.add_subcommand(
      "interview", "The interview as a line protocol for other programs (JSON lines)");
  bool jsonl = false;
  interview->add_flag("--jsonl", jsonl, "JSON lines on stdin and stdout")->required();

  auto* questions = app.add_subcommand("questions", "List every question");
  bool questions_json = false;
  questions->add_flag("--json", questions_json, "As JSON");
  bool questions_fhir = false;
  questions->add_flag("--fhir", questions_fhir, "As a FHIR R4 Questionnaire")->excludes("--json");

  auto* explain = app.add_subcommand("explain", "Explain a cause, exercise, red flag or topic");
  std::string explain_id;
  explain->add_option("ID", explain_id, "What to explain")->required();

  auto* kb = app.add_subcommand("kb", "Knowledge base tools");
  auto* check =
      kb->add_subcommand("check", "Validate a knowledge base (default: the built-in one)");
  std::string check_dir;
  check->add_option("DIR", check_dir, "Knowledge directory");
  kb->require_subcommand(1);

  auto* model = app.add_subcommand("model", "The hip model: what weak glutes do to the hip");
  model->prefix_command();

  auto* serve = app.add_subcommand("serve", "The web app, in your browser (http://127.0.0.1:8080)");
  hipcoach::server::Options serve_options;
  serve->add_option("--host", serve_options.host,
                    "Address to listen on (default 127.0.0.1; personal mode needs --lan-access "
                    "for any other)");
  serve->add_option("--port", serve_options.port, "Port (default 8080; 0 picks a free one)")
      ->check(CLI::Range(0, 65535));
  serve->add_flag("--multi-user", serve_options.multi_user,
                  "Accounts for several people (default: one local person, no account)");
  serve->add_flag("--lan-access", serve_options.lan_access,
                  "Personal mode on a network address (--host 0.0.0.0): prints a link that lets "
                  "one other device in, once; every other device is refused");
  serve->add_flag("--secure-cookies", serve_options.secure_cookies,
                  "Mark cookies Secure (when a TLS proxy such as nginx is in front)");
  serve
      ->add_option("--trusted-proxy", serve_options.trusted_proxies,
                   "Address of a reverse proxy in front (repeatable): its X-Real-IP header "
                   "names the client (docs/deploy.md)")
      ->type_name("ADDR");
  serve
      ->add_option("--threads", serve_options.threads,
                   "Worker threads (default 128; each open connection holds one)")
      ->check(CLI::Range(2, 1024));
  serve
      ->add_option("--assets-dir", serve_options.assets_dir,
                   "Serve the web UI from DIR instead of the built-in copy (development)")
      ->type_name("DIR");
  add_db(serve);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "hipcoach: " << e.what() << "\n";
    return kExitBadInput;
  }

  if (kb->parsed()) {
    return hipcoach::cli::KbCheck(check_dir.empty() ? knowledge_dir : check_dir, std::cout,
                                  std::cerr);
  }
  if (model->parsed()) {
#ifdef HIPCOACH_HAVE_MODEL
    return hipcoach::model::RunCommand(model->remaining(), std::cout, std::cerr);
#else
    std::cerr << "hipcoach: this build has no hip model\n";
    return kExitFailure;
#endif
  }
  const bool tracking_command = checkin->parsed() || session->parsed() || log->parsed() ||
                                plan->parsed() || progress->parsed() || export_cmd->parsed() ||
                                import_cmd->parsed() || calendar->parsed() || report->parsed();
  if (export_cmd->parsed() && export_fhir) {
    auto knowledge = Knowledge(knowledge_dir);
    if (!knowledge) return kExitFailure;
    auto store = hipcoach::cli::OpenTrackingStore(db_path, std::cerr);
    if (!store) return kExitFailure;
    return hipcoach::cli::ExportFhir(*knowledge, *store, db_path, export_output, std::cout,
                                     std::cerr);
  }
  if (export_cmd->parsed()) {
    auto store = hipcoach::cli::OpenTrackingStore(db_path, std::cerr);
    if (!store) return kExitFailure;
    return hipcoach::cli::Export(*store, export_output, export_csv, std::cout, std::cerr);
  }
  if (import_cmd->parsed()) {
    // The knowledge base checks the file's programmes (programme_check.hpp).
    auto knowledge = Knowledge(knowledge_dir);
    if (!knowledge) return kExitFailure;
    auto store = hipcoach::cli::OpenTrackingStore(db_path, std::cerr);
    if (!store) return kExitFailure;
    return hipcoach::cli::Import(*knowledge, *store, import_file, import_replace, std::cout,
                                 std::cerr);
  }
  if (!assess->parsed() && !interview->parsed() && !questions->parsed() && !explain->parsed() &&
      !tracking_command && !serve->parsed()) {
    std::cout << app.help();
    return 0;
  }
  auto knowledge = Knowledge(knowledge_dir);
  if (!knowledge) return kExitFailure;
  if (serve->parsed()) {
    serve_options.db_path = db_path;
    return hipcoach::server::Serve(*knowledge, serve_options, std::cout, std::cerr);
  }
  hipcoach::tracking::SystemClock clock;
  if (tracking_command) {
    auto store = hipcoach::cli::OpenTrackingStore(db_path, std::cerr);
    if (!store) return kExitFailure;
    using hipcoach::cli::Calendar;
    using hipcoach::cli::Checkin;
    using hipcoach::cli::Log;
    using hipcoach::cli::Plan;
    using hipcoach::cli::Progress;
    using hipcoach::cli::Report;
    using hipcoach::cli::Session;
    if (checkin->parsed()) {
      return Checkin(*knowledge, *store, clock, checkin_options, std::cin, std::cout, std::cerr);
    }
    if (session->parsed()) {
      hipcoach::tracking::FakeClock fast_clock(clock.Now());
      hipcoach::tracking::Clock& used =
          session_options.fast ? static_cast<hipcoach::tracking::Clock&>(fast_clock) : clock;
      return Session(*knowledge, *store, used, session_options, std::cin, std::cout, std::cerr);
    }
    if (log->parsed()) return Log(*knowledge, *store, clock, log_options, std::cout, std::cerr);
    if (plan->parsed()) return Plan(*knowledge, *store, clock, std::cout, std::cerr);
    if (progress->parsed()) return Progress(*knowledge, *store, clock, std::cout, std::cerr);
    if (calendar->parsed()) {
      int hour = 0, minute = 0;
      char colon = 0;
      std::istringstream time(session_time);
      if (!(time >> hour >> colon >> minute) || colon != ':' || hour < 0 || hour > 23 ||
          minute < 0 || minute > 59) {
        std::cerr << "hipcoach: --session-time must look like 18:00\n";
        return kExitBadInput;
      }
      calendar_options.session_hour = hour;
      calendar_options.session_minute = minute;
      calendar_options.work_start_hour = work_start;
      calendar_options.work_end_hour = work_end;
      calendar_options.sitting_breaks = !no_breaks;
      return Calendar(*knowledge, *store, clock, calendar_options, calendar_output, std::cout,
                      std::cerr);
    }
    return Report(*knowledge, *store, clock, report_output, std::cout, std::cerr);
  }
  if (assess->parsed()) {
    // Saved at the end, unless --no-save; --answers FILE --json only with --save (so that other
    // programs calling it do not write to a diary by surprise).
    const bool from_file = !answers_file.empty() || !fhir_file.empty();
    const bool save = !assess_no_save && (assess_save || !(assess_json && from_file));
    std::unique_ptr<hipcoach::Store> store;
    hipcoach::cli::AssessmentSink sink;
    if (save) {
      sink = [&](const hipcoach::Answers& answers, const hipcoach::Assessment& assessment) {
        store = hipcoach::cli::OpenTrackingStore(db_path, std::cerr);
        if (store) {
          hipcoach::cli::SaveAssessment(*knowledge, *store, clock, answers, assessment,
                                        assess_json ? std::cerr : std::cout);
        }
      };
    }
    if (!fhir_file.empty()) {
      return hipcoach::cli::AssessFromFhir(*knowledge, fhir_file, assess_json, std::cout, std::cerr,
                                           sink);
    }
    if (!answers_file.empty()) {
      return hipcoach::cli::AssessFromFile(*knowledge, answers_file, assess_json, std::cout,
                                           std::cerr, sink);
    }
    if (assess_json) {
      std::cerr << "hipcoach: --json needs --answers FILE (use 'hipcoach interview --jsonl' to "
                   "drive the interview from a program)\n";
      return kExitBadInput;
    }
    return hipcoach::cli::AssessInteractive(*knowledge, std::cin, std::cout, sink);
  }
  if (interview->parsed()) {
    return hipcoach::cli::InterviewJsonl(*knowledge, std::cin, std::cout, std::cerr);
  }
  if (questions->parsed() && questions_fhir) {
    return hipcoach::cli::QuestionnaireFhir(*knowledge, std::cout);
  }
  if (questions->parsed()) return hipcoach::cli::Questions(*knowledge, questions_json, std::cout);
  return hipcoach::cli::Explain(*knowledge, explain_id, std::cout, std::cerr);
}

int main(int argc, char** argv) {
  // Every expected failure is handled where it happens; this only keeps an unexpected one (out of
  // memory, a bug) from ending the program without a word.
  try {
    return Run(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "hipcoach: internal error: " << error.what() << "\n";
  } catch (...) {
    std::cerr << "hipcoach: internal error\n";
  }
  return kExitFailure;
}
