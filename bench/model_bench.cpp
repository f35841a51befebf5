// Hip model figures (docs/performance.md, "Hip model"):
//   build/model/src/model/hipcoach_model_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <utility>

#include "hipcoach/model/dataset.hpp"
#include "hipcoach/model/engine.hpp"
#include "hipcoach/model/io.hpp"
#include "hipcoach/model/mechanics.hpp"

namespace {

using namespace hipcoach::model;

const std::string kDir = std::string(HIPCOACH_OPENSIM_DATA_DIR) + "/";

struct Reference {
  Model model;
  Storage kinematics;
  Storage grf;
  ExternalLoadsSpec loads;
  TrialOptions options;
  bool ok = false;
};

const Reference& LoadReference() {
  static const Reference r = [] {
    Reference x;
    auto model = ReadOsimFile(kDir + "subject01_simbody_adjusted_StaticOp.osim");
    if (!model) {
      return x;
    }
    auto acts = ReadActuatorsFile(kDir + "gait2392_SO_weak_Residual_Actuators.xml", *model);
    auto kin = ReadStorageFile(kDir + "subject01_walk1_Kinematics.sto");
    auto grf = ReadStorageFile(kDir + "subject01_walk1_grf.mot");
    auto loads = ReadExternalLoadsFile(kDir + "foot_floor_loads.xml");
    if (!acts || !kin || !grf || !loads) {
      return x;
    }
    model->actuators = *acts;
    x.model = std::move(*model);
    x.kinematics = std::move(*kin);
    x.grf = std::move(*grf);
    x.loads = std::move(*loads);
    for (int i = 0; i < 151; ++i) {
      x.options.times.push_back(0.5 + 0.01 * i);
    }
    x.ok = true;
    return x;
  }();
  return r;
}

// The reference run end to end from parsed files: splines and accelerations, kinematics,
// inverse dynamics, moment arms, static optimisation and the hip joint reaction, 151 frames.
void BM_ReferenceRun151Frames(benchmark::State& state) {
  const Reference& r = LoadReference();
  if (!r.ok) {
    state.SkipWithError("the OpenSim reference data are missing from data/opensim-gait2392");
    return;
  }
  for (auto _ : state) {
    auto trial = BuildTrial(r.model, r.kinematics, r.grf, r.loads, r.options);
    auto prepared = Prepare(r.model, *trial);
    auto so = SolveStaticOptimization(r.model, *prepared);
    benchmark::DoNotOptimize(so.frames.back().reaction[0][1]);
  }
}
BENCHMARK(BM_ReferenceRun151Frames)->Unit(benchmark::kMillisecond);

// Static optimisation + joint reaction only (what a new weakness level costs), 151 frames.
void BM_SolveOnly151Frames(benchmark::State& state) {
  const Reference& r = LoadReference();
  if (!r.ok) {
    state.SkipWithError("the OpenSim reference data are missing from data/opensim-gait2392");
    return;
  }
  auto trial = BuildTrial(r.model, r.kinematics, r.grf, r.loads, r.options);
  auto prepared = Prepare(r.model, *trial);
  for (auto _ : state) {
    auto so = SolveStaticOptimization(r.model, *prepared);
    benchmark::DoNotOptimize(so.frames.back().reaction[0][1]);
  }
}
BENCHMARK(BM_SolveOnly151Frames)->Unit(benchmark::kMillisecond);

// `hipcoach model sweep`: built-in cycle (101 frames), baseline + 10 weakness levels, including
// parsing the embedded data and preparing the model (cold), as one CLI call does.
void BM_Sweep10StepsCold(benchmark::State& state) {
  std::vector<double> fractions;
  for (int k = 0; k < 10; ++k) {
    fractions.push_back(0.1 * k);
  }
  for (auto _ : state) {
    auto d = LoadBuiltin();
    auto e = MakeEngine(std::move(*d));
    auto points = Sweep(*e, "hip_abductors", Side::kBoth, fractions);
    benchmark::DoNotOptimize(points->back().summary.peak_bw);
  }
}
BENCHMARK(BM_Sweep10StepsCold)->Unit(benchmark::kMillisecond);

void BM_Sweep10StepsWarm(benchmark::State& state) {
  std::vector<double> fractions;
  for (int k = 0; k < 10; ++k) {
    fractions.push_back(0.1 * k);
  }
  auto engine = BuiltinEngine();
  for (auto _ : state) {
    auto points = Sweep(**engine, "hip_abductors", Side::kBoth, fractions);
    benchmark::DoNotOptimize(points->back().summary.peak_bw);
  }
}
BENCHMARK(BM_Sweep10StepsWarm)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
