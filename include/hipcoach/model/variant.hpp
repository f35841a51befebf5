// Prescribed motion variants. Static optimisation keeps the motion fixed, so a compensation such
// as leaning the trunk over the stance leg cannot emerge from it; here it is imposed on the
// measured motion instead, and inverse dynamics + static optimisation are run again.
#pragma once

#include <string>

#include "hipcoach/model/engine.hpp"
#include "tl/expected.hpp"

namespace hipcoach::model {

struct TrunkLeanOptions {
  // Lateral lean of the trunk, degrees, toward the side of `stance_joint` (negative: away from
  // it), added to the lumbar_bending coordinate and held through the whole cycle.
  double degrees = 0.0;
  std::string stance_joint = "hip_r";
  std::string stance_body = "calcn_r";  // the body the stance leg's ground reaction acts on
  double contact_threshold_n = 20.0;    // a foot is loaded above this vertical force, N
};

struct TrunkLean {
  Engine engine;  // the upright engine's dataset with the leaning motion, prepared again
  double lumbar_bending_offset_deg = 0.0;  // signed offset applied to lumbar_bending (full lean)
  double toe_off_s = 0.0;        // end of stance of the stance leg (cycle from its heel strike)
  double max_cop_shift_m = 0.0;  // largest shift of the centres of pressure
  // Largest |inverse-dynamics generalized force| of the stance hip's adduction coordinate in
  // the first half of stance (the early-stance abduction moment), upright and leaning, N m.
  double upright_early_stance_adduction_nm = 0.0;
  double lean_early_stance_adduction_nm = 0.0;
  std::string description;  // e.g. "trunk held leaning 10 deg toward the right side"
};

// Adds the lean to the kinematics (a constant offset of lumbar_bending), keeps the measured ground
// reaction forces but moves the centres of pressure of the loaded feet by one horizontal shift
// per frame, chosen by least squares so that the pelvis' rotational residuals keep their values
// from the upright motion (the body stays balanced: leaning the trunk over the stance foot moves
// the centre of pressure toward it). Then inverse dynamics, moment arms and muscle capacities
// are recomputed for the whole cycle.
tl::expected<TrunkLean, std::string> MakeTrunkLean(const Engine& upright,
                                                   const TrunkLeanOptions& options);

}  // namespace hipcoach::model
