// bench/rehab_course: simulated 12-week courses of tracking for case files, printed as Markdown
// week-by-week tables, and checked against the timeline every pathway must keep.
//
//   hipcoach_rehab_course [--scenario NAME] [--weeks N] CASE.toml...
//
// Exits 1 when a course breaks its timeline (course.hpp, TimelineBreaches).
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "course.hpp"
#include "hipcoach/app.hpp"

int main(int argc, char** argv) {
  using namespace hipcoach;
  std::vector<std::string> files;
  std::vector<course::Scenario> scenarios = course::AllScenarios();
  int weeks = 12;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--scenario" && i + 1 < argc) {
      const std::string name = argv[++i];
      scenarios.clear();
      for (course::Scenario s : course::AllScenarios()) {
        if (course::ScenarioName(s) == name) scenarios.push_back(s);
      }
      if (scenarios.empty()) {
        std::cerr << "unknown scenario '" << name << "': improving, flaring, stalling or holiday\n";
        return 2;
      }
    } else if (arg == "--weeks" && i + 1 < argc) {
      weeks = std::atoi(argv[++i]);
      if (weeks < 1 || weeks > 52) {
        std::cerr << "--weeks takes 1-52\n";
        return 2;
      }
    } else if (arg.rfind("--", 0) == 0) {
      std::cerr << "usage: hipcoach_rehab_course [--scenario NAME] [--weeks N] CASE.toml...\n";
      return 2;
    } else {
      files.push_back(arg);
    }
  }
  if (files.empty()) {
    std::cerr << "usage: hipcoach_rehab_course [--scenario NAME] [--weeks N] CASE.toml...\n";
    return 2;
  }
  const char* dir = std::getenv("HIPCOACH_KNOWLEDGE");
  LoadOutcome loaded = app::LoadKnowledgeFrom(dir != nullptr ? dir : "");
  if (!loaded.kb) {
    for (const auto& d : loaded.diagnostics) std::cerr << d.Format() << "\n";
    return 2;
  }
  const KnowledgeBase* kb = &*loaded.kb;
  int breaches = 0;
  for (const std::string& file : files) {
    auto answers = course::CaseAnswers(*kb, file);
    if (!answers) {
      std::cerr << answers.error().message << "\n";
      return 2;
    }
    for (course::Scenario scenario : scenarios) {
      auto c = course::Simulate(*kb, *answers, scenario, weeks);
      if (!c) {
        std::cerr << file << ": " << c.error().message << "\n";
        return 2;
      }
      const std::string name = std::filesystem::path(file).stem().string();
      std::cout << fmt::format("\n#### {} ({}), {}\n\n", name, c->top_cause,
                               course::ScenarioName(scenario))
                << course::Markdown(*c);
      for (const std::string& b : course::TimelineBreaches(*kb, *c)) {
        std::cerr << fmt::format("{} ({}): {}\n", name, course::ScenarioName(scenario), b);
        ++breaches;
      }
    }
  }
  return breaches == 0 ? 0 : 1;
}
