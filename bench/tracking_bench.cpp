// Tracking figures (docs/performance.md, "Tracking"): a year of daily entries for one person.
//   BM_ProgressYear  - what `hipcoach progress` computes (load, summarise, text)
//   BM_ReportYear    - what `hipcoach report` computes (load, summarise, HTML with SVG)
//   BM_DurableLog    - one exercise log entry committed to disk (WAL, synchronous=FULL)
// HIPCOACH_BENCH_DB=path keeps the year's database (for hyperfine on the real binary).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "hipcoach/app.hpp"
#include "hipcoach/assessment.hpp"
#include "hipcoach/tracking.hpp"
#include "hipcoach/tracking_report.hpp"

namespace {

using namespace hipcoach;
using namespace hipcoach::tracking;

constexpr TimeSeconds kStart = 1767571200;  // 2026-01-05T00:00:00Z

const KnowledgeBase& Kb() {
  static const KnowledgeBase kb = *app::LoadKnowledgeFrom("").kb;
  return kb;
}

// A desk worker with buttock and low back pain, with the whole danger screen answered "none".
Answers DeskWorker() {
  Answers a;
  a["pain_site"] = AnswerValue::Choices({"buttock", "lower_back"});
  a["rf_onset"] = AnswerValue::Choices({"gradual"});
  a["rf_weight_bearing"] = AnswerValue::Choice("normal");
  a["rf_tummy"] = AnswerValue::Choices({"none"});
  a["rf_nerve_signs"] = AnswerValue::Choices({"none"});
  a["rf_body_signs"] = AnswerValue::Choices({"none"});
  a["rf_background"] = AnswerValue::Choices({"none"});
  a["rf_serious_signs"] = AnswerValue::Choices({"none"});
  a["age"] = AnswerValue::Number(34);
  a["painful_side"] = AnswerValue::Choice("left");
  a["activities"] = AnswerValue::Choices({"desk_work"});
  a["pain_days"] = AnswerValue::Number(10);
  a["pain_trend"] = AnswerValue::Choice("same");
  a["habits"] = AnswerValue::Choices({"sit_8h", "weak_core"});
  auto valid = ValidateAnswers(Kb(), a);
  if (!valid) {
    std::fprintf(stderr, "bench answers: %s\n", valid.error().message.c_str());
    std::abort();
  }
  return *valid;
}

// A year: two check-ins a day (with regions and activity), six exercise entries a day, a weekly
// PSFS, the programme updated as the person goes.
std::string YearDatabase() {
  static std::string path;
  if (!path.empty()) return path;
  const char* keep = std::getenv("HIPCOACH_BENCH_DB");
  path = keep != nullptr ? keep : "/tmp/hipcoach-bench-year.db";
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  auto store = std::move(*OpenSqliteStore(path));
  FakeClock clock(kStart + 8 * 3600);
  Tracker tracker(Kb(), *store, clock);
  const Answers answers = DeskWorker();
  auto assessment = Assess(Kb(), answers);
  if (!assessment) {
    std::fprintf(stderr, "bench answers: %s\n", assessment.error().message.c_str());
    std::abort();
  }
  (void)tracker.SaveAssessment(answers, *assessment);
  const std::vector<std::string> exercises = {"glute_bridge",       "sit_to_stand",
                                              "dead_bug",           "isometric_abduction_lying",
                                              "hip_flexor_stretch", "cat_cow"};
  for (int day = 0; day < 365; ++day) {
    const TimeSeconds midnight = kStart + day * 86400;
    const int pain = std::max(0, 6 - day / 30);
    (void)store->Transaction(1, [&]() -> Result<void> {
      for (int hour : {8, 20}) {
        CheckIn c;
        c.person_id = 1;
        c.at = midnight + hour * 3600;
        c.pain_now = pain;
        c.pain_worst = std::min(10, pain + 2);
        c.regions = {{"buttock", "left", pain}, {"lateral_hip", "left", std::max(0, pain - 1)}};
        c.running_km = day % 3 == 0 ? 5.0 : 0.0;
        c.cycling_minutes = 20;
        c.sitting_hours = 7;
        c.danger_check = hour == 8 && day % 7 == 0;
        (void)store->AddCheckIn(c);
      }
      for (const std::string& id : exercises) {
        ExerciseLog log;
        log.person_id = 1;
        log.at = midnight + 18 * 3600;
        log.exercise = id;
        log.sets = 2;
        log.reps = 12;
        log.pain = std::min(pain, 3);
        log.effort = 5;
        (void)store->AddExerciseLog(log);
      }
      if (day % 7 == 0) {
        (void)store->AddOutcome({0,
                                 1,
                                 midnight + 9 * 3600,
                                 "psfs",
                                 5,
                                 {{"stairs", 5}, {"running", 4}, {"sitting", 6}}});
      }
      return {};
    });
    if (day % 7 == 0) {
      clock = FakeClock(midnight + 19 * 3600);
      (void)tracker.UpdateProgramme();
    }
  }
  return path;
}

void BM_ProgressYear(benchmark::State& state) {
  auto store = std::move(*OpenSqliteStore(YearDatabase()));
  FakeClock clock(kStart + 365 * 86400 + 9 * 3600);
  Tracker tracker(Kb(), *store, clock);
  for (auto _ : state) {
    auto s = tracker.Load();
    auto data = store->Export(1);
    const Summary summary = Summarise(Kb(), *data, *s->plan, clock.Now());
    benchmark::DoNotOptimize(ProgressText(Kb(), summary, *s));
  }
}
BENCHMARK(BM_ProgressYear)->Unit(benchmark::kMillisecond);

void BM_ReportYear(benchmark::State& state) {
  auto store = std::move(*OpenSqliteStore(YearDatabase()));
  FakeClock clock(kStart + 365 * 86400 + 9 * 3600);
  Tracker tracker(Kb(), *store, clock);
  for (auto _ : state) {
    auto s = tracker.Load();
    auto data = store->Export(1);
    const Summary summary = Summarise(Kb(), *data, *s->plan, clock.Now());
    benchmark::DoNotOptimize(ReportHtml(Kb(), *data, *s, summary, clock.Now()));
  }
}
BENCHMARK(BM_ReportYear)->Unit(benchmark::kMillisecond);

void BM_DurableLog(benchmark::State& state) {
  const char* dir_env = std::getenv("HIPCOACH_BENCH_DIR");
  const std::string path =
      std::string(dir_env != nullptr ? dir_env : "/var/tmp") + "/hipcoach-bench-durable.db";
  std::filesystem::remove(path);
  auto store = std::move(*OpenSqliteStore(path));
  (void)store->LocalProfile();
  ExerciseLog log;
  log.person_id = 1;
  log.at = kStart;
  log.exercise = "glute_bridge";
  log.sets = 2;
  log.reps = 12;
  log.pain = 2;
  for (auto _ : state) {
    benchmark::DoNotOptimize(store->AddExerciseLog(log));
  }
  store.reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
}
BENCHMARK(BM_DurableLog)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
