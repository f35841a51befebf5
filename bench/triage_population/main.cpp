// bench/triage_population: the simulated population's triage figures (docs/clinical-safety.md).
//
//   hipcoach_triage_population [--people N] [--seed S] [--cautious] [--rates FILE]
//
// Prints Markdown tables: reference level against the level given, over- and under-triage per
// level, danger patterns missed, the person's cause in the first one and three, and questions
// asked.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "hipcoach/app.hpp"
#include "population.hpp"

int main(int argc, char** argv) {
  using namespace hipcoach;  // NOLINT(google-build-using-namespace): a small program
  population::Options options;
  std::string rates_path = HIPCOACH_DOUBT_RATES;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "hipcoach_triage_population: " << arg << " needs a value\n";
        std::exit(2);
      }
      return argv[++i];
    };
    if (arg == "--people") {
      options.people_per_cause = std::atoi(value().c_str());
    } else if (arg == "--seed") {
      options.seed = std::strtoull(value().c_str(), nullptr, 10);
    } else if (arg == "--cautious") {
      options.cautious = true;
    } else if (arg == "--rates") {
      rates_path = value();
    } else {
      std::cerr << "usage: hipcoach_triage_population [--people N] [--seed S] [--cautious] "
                   "[--rates FILE]\n";
      return 2;
    }
  }
  if (options.people_per_cause < 1) {
    std::cerr << "hipcoach_triage_population: --people must be at least 1\n";
    return 2;
  }
  const char* dir = std::getenv("HIPCOACH_KNOWLEDGE");
  LoadOutcome kb = app::LoadKnowledgeFrom(dir != nullptr ? dir : "");
  if (!kb.kb) {
    for (const auto& d : kb.diagnostics) std::cerr << d.Format() << "\n";
    return 1;
  }
  std::ifstream in(rates_path);
  if (!in) {
    std::cerr << "hipcoach_triage_population: cannot read " << rates_path << "\n";
    return 2;
  }
  std::stringstream text;
  text << in.rdbuf();
  auto rates = population::ParseDoubtRates(*kb.kb, text.str(), rates_path);
  if (!rates) {
    std::cerr << "hipcoach_triage_population: " << rates.error().message << "\n";
    return 2;
  }
  const population::Summary summary = population::Run(*kb.kb, *rates, options);
  std::cout << population::Report(*kb.kb, summary, options);
  return summary.said_danger_below == 0 ? 0 : 1;
}
