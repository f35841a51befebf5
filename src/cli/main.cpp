// hipcoach: the command-line front end. CLI11 is included here only (it is slow to compile).
#include <CLI/CLI.hpp>
#include <iostream>

#include "commands.hpp"
#include "hipcoach/app.hpp"
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

int main(int argc, char** argv) {
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

  auto* interview = app.add_subcommand(
      "interview", "The interview as a line protocol for other programs (JSON lines)");
  bool jsonl = false;
  interview->add_flag("--jsonl", jsonl, "JSON lines on stdin and stdout")->required();

  auto* questions = app.add_subcommand("questions", "List every question");
  bool questions_json = false;
  questions->add_flag("--json", questions_json, "As JSON");

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
  if (!assess->parsed() && !interview->parsed() && !questions->parsed() && !explain->parsed()) {
    std::cout << app.help();
    return 0;
  }
  auto knowledge = Knowledge(knowledge_dir);
  if (!knowledge) return kExitFailure;
  if (assess->parsed()) {
    if (!answers_file.empty()) {
      return hipcoach::cli::AssessFromFile(*knowledge, answers_file, assess_json, std::cout,
                                           std::cerr);
    }
    if (assess_json) {
      std::cerr << "hipcoach: --json needs --answers FILE (use 'hipcoach interview --jsonl' to "
                   "drive the interview from a program)\n";
      return kExitBadInput;
    }
    return hipcoach::cli::AssessInteractive(*knowledge, std::cin, std::cout);
  }
  if (interview->parsed())
    return hipcoach::cli::InterviewJsonl(*knowledge, std::cin, std::cout, std::cerr);
  if (questions->parsed()) return hipcoach::cli::Questions(*knowledge, questions_json, std::cout);
  return hipcoach::cli::Explain(*knowledge, explain_id, std::cout, std::cerr);
}
