// A dataset made ready for repeated weakness runs: reserve actuators added, kinematics, inverse
// dynamics, moment arms and muscle capacities computed once.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "hipcoach/model/dataset.hpp"
#include "hipcoach/model/mechanics.hpp"
#include "hipcoach/model/weakness.hpp"
#include "tl/expected.hpp"

namespace hipcoach::model {

// Optimal force of the weak reserve torques added to every non-pelvis coordinate; like OpenSim's
// weak reserves they cost so much per newton metre that muscles are used whenever they can.
inline constexpr double kReserveOptimalForce = 1.0;

struct Engine {
  Dataset dataset;
  Model model;  // dataset.model plus reserves
  PreparedTrial prepared;
};

tl::expected<Engine, std::string> MakeEngine(Dataset dataset);
// The built-in gait2392 cycle, prepared once per process.
tl::expected<std::shared_ptr<const Engine>, std::string> BuiltinEngine();

struct SweepPoint {
  double fraction = 0.0;
  WeaknessSummary summary;
};

// The credit to show with the engine's results (DatasetCredit of its dataset).
std::string EngineCredit(const Engine& engine);

// Weakens `group` by each fraction in turn and summarises the first reaction joint (hip_r when
// the model has one); summaries carry EngineCredit.
tl::expected<std::vector<SweepPoint>, std::string> Sweep(
    const Engine& engine, const std::string& group, Side side, const std::vector<double>& fractions,
    std::size_t n_compensators = 5, CompensatorScope scope = CompensatorScope::kJointMuscles);

}  // namespace hipcoach::model
