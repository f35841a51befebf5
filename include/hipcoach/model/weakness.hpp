// The weakness experiment: scale the maximum isometric force of a muscle group, re-solve static
// optimisation over the gait cycle and report what happens to the hip contact force and which
// muscles take over. Pure computation on a prepared trial.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hipcoach/model/mechanics.hpp"
#include "hipcoach/model/model.hpp"
#include "tl/expected.hpp"

namespace hipcoach::model {

enum class Side { kBoth, kRight, kLeft };

// Group names: glute_max, glute_med, glute_min, glutes (all three), hip_abductors (as OpenSim
// Moco's weak-hip-abductor example defines them: glut_med1-3, glut_min1-3, tfl).
const std::vector<std::string>& WeaknessGroupNames();
tl::expected<std::vector<int>, std::string> GroupMuscles(const Model& model, std::string_view group,
                                                         Side side);

struct Weakening {
  std::string group;
  double fraction = 0.0;  // 0 = normal strength, 0.9 = 90 % weaker (10 % of max force left)
};

// Per-muscle strength factors for a set of weakenings (factors multiply when groups overlap).
tl::expected<std::vector<double>, std::string> StrengthFactors(const Model& model,
                                                               const std::vector<Weakening>& w,
                                                               Side side);

// Hip contact force at one frame, the force the femoral head exerts on the acetabulum (the
// opposite of the joint reaction on the femur), expressed in the femur frame, in body weights.
struct HipLoadFrame {
  double time = 0.0;
  double cycle_percent = 0.0;
  double magnitude_bw = 0.0;
  double anterior_bw = 0.0;  // + anterior (femur +x)
  double superior_bw = 0.0;  // + superior (femur +y)
  double medial_bw = 0.0;    // + medial (femur -z on the right, +z on the left)
  double reserve_nm = 0.0;   // sum of |reserve torques| at this frame
  bool converged = true;
};

// Muscles that cross `joint` (e.g. hip_r): a moment arm of at least `min_moment_arm_m` about one
// of the joint's coordinates (hip_flexion_r, hip_adduction_r, hip_rotation_r) at some frame of the
// prepared trial. Computed from the model's muscle paths, not from a list of names.
std::vector<int> JointCrossingMuscles(const Model& model, const PreparedTrial& prepared,
                                      std::string_view joint, double min_moment_arm_m = 1e-4);

// Which muscles the compensator list ranks.
enum class CompensatorScope {
  kJointMuscles,  // muscles crossing the reported joint (same side), the weakened group excluded
  kAllMuscles,  // every muscle of the model (both legs and the trunk), the weakened group excluded
};

struct Compensator {
  std::string muscle;
  double baseline_mean_n = 0.0;
  double weak_mean_n = 0.0;
  double increase_n = 0.0;
  // Activation = the muscle's force as a fraction of the most it could produce at that frame's
  // length and speed (static optimisation's control, 0.01..1). Means over the cycle and the
  // largest value of the weakened run: how close to its limit the muscle works.
  double baseline_mean_activation = 0.0;
  double weak_mean_activation = 0.0;
  double activation_rise = 0.0;  // weak_mean_activation - baseline_mean_activation
  double baseline_peak_activation = 0.0;
  double weak_peak_activation = 0.0;
};

struct Analysis {
  std::vector<Weakening> weakening;
  std::string joint;  // e.g. hip_r
  double body_weight_n = 0.0;
  std::vector<HipLoadFrame> frames;
  SoResult so;
  std::vector<int> joint_muscles;  // JointCrossingMuscles of `joint`
  std::string motion;              // empty: the measured motion; else a prescribed variant
};

struct WeaknessSummary {
  std::vector<Weakening> weakening;
  std::string joint;
  double peak_bw = 0.0;
  double peak_time = 0.0;
  double baseline_peak_bw = 0.0;
  double change_bw = 0.0;       // peak - baseline peak
  double change_percent = 0.0;  // relative to the baseline peak
  // Components at the weakened peak and at the baseline peak (body weights).
  double anterior_bw = 0.0;
  double medial_bw = 0.0;
  double superior_bw = 0.0;
  double baseline_anterior_bw = 0.0;
  double baseline_medial_bw = 0.0;
  double baseline_superior_bw = 0.0;
  double mean_anterior_change_bw = 0.0;  // cycle mean of (weak - baseline) anterior component
  double peak_reserve_nm = 0.0;          // largest total reserve torque over the cycle
  // Muscles whose mean force over the cycle rose most, largest rise first (only rises).
  std::vector<Compensator> compensators;
  // The same candidates ranked by the rise of their mean activation (how much harder they work
  // for their size), largest rise first (only rises).
  std::vector<Compensator> working_harder;
  CompensatorScope compensator_scope = CompensatorScope::kJointMuscles;
  bool all_converged = true;
  std::string credit;
};

// Runs static optimisation with the given strengths and extracts the hip load of `joint`.
tl::expected<Analysis, std::string> Analyse(const Model& model, const PreparedTrial& prepared,
                                            const std::vector<Weakening>& weakening, Side side,
                                            const std::string& joint = "hip_r");

// Compares a weakened run with the baseline. Compensators are ranked by the rise of their mean
// force over the cycle among the muscles `scope` selects, `working_harder` by the rise of their
// mean activation; the weakened group's muscles (both sides) are never listed; each list holds
// at most n_compensators. `credit` is ModelCredit(model); callers that know the dataset's
// credit (DatasetCredit) replace it.
WeaknessSummary Summarise(const Model& model, const Analysis& baseline, const Analysis& weak,
                          std::size_t n_compensators = 5,
                          CompensatorScope scope = CompensatorScope::kJointMuscles);

// "right hip" for hip_r, "left hip" for hip_l, else the joint's name.
std::string JointLabel(std::string_view joint);

}  // namespace hipcoach::model
