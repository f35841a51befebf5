// Regenerates data/model/gait2392_walk.json from the reference files:
//   hipcoach_model_import_tool SHARED_DIR OUT.json
// The credit stored is hipcoach's full gait2392 credit (with its CC BY 3.0 licence, which the
// .osim file itself does not state), not the file's shorter <credits>.
#include <iostream>
#include <string>
#include <vector>

#include "hipcoach/model/cli.hpp"
#include "hipcoach/model/model.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: hipcoach_model_import_tool SHARED_DIR OUT.json\n";
    return 2;
  }
  const std::string d = std::string(argv[1]) + "/data/opensim-gait2392/";
  const std::vector<std::string> args = {
      "import",       d + "subject01_simbody_adjusted_StaticOp.osim",
      "--kinematics", d + "subject01_walk1_Kinematics.sto",
      "--grf",        d + "subject01_walk1_grf.mot",
      "--loads",      d + "foot_floor_loads.xml",
      "--actuators",  d + "gait2392_SO_weak_Residual_Actuators.xml",
      "--credit",     std::string(hipcoach::model::Gait2392Credit()),
      "--out",        argv[2]};
  return hipcoach::model::RunCommand(args, std::cout, std::cerr);
}
