// hipcoach's own compact model format: the model (bodies, joints, coordinates, muscles,
// residual actuators) plus one gait cycle of coordinates (with their first and second
// derivatives) and ground reaction loads, resampled to a fixed number of points. JSON, produced
// by the importer from OpenSim files; the built-in default is embedded in the binary.
#pragma once

#include <string>
#include <string_view>

#include "hipcoach/model/model.hpp"
#include "hipcoach/model/trial.hpp"
#include "tl/expected.hpp"

namespace hipcoach::model {

inline constexpr std::string_view kCompactFormat = "hipcoach-model/1";

struct Dataset {
  Model model;
  Trial trial;  // one gait cycle
  std::string source;
  std::string credit;  // shown with every result; empty: ModelCredit(model)
  double cycle_start = 0.0;
  double cycle_end = 0.0;
};

tl::expected<Dataset, std::string> ParseCompact(std::string_view json, const std::string& source);
std::string WriteCompact(const Dataset& dataset);

// The gait2392 walking cycle shipped inside hipcoach (parsed once).
tl::expected<Dataset, std::string> LoadBuiltin();
tl::expected<Dataset, std::string> LoadDatasetFile(const std::string& path);
// The credit to show with results computed from `dataset`.
std::string DatasetCredit(const Dataset& dataset);

struct ImportOptions {
  std::string osim;
  std::string kinematics;  // .sto / .mot coordinates
  std::string grf;         // .mot loads data
  std::string loads;       // ExternalLoads .xml
  std::string actuators;   // optional residual actuators .xml
  int points = 101;
  double cycle_start = -1.0;  // < 0: detect right heel strikes from the calcn_r vertical force
  double cycle_end = -1.0;
  double contact_threshold_n = 20.0;
  // The credit to store with the data. Empty: the model file's own <credits> and
  // <publications> (ModelCredit), or a note that it states none.
  std::string credit;
};

// Reads OpenSim files and produces a dataset of one right-leg gait cycle.
tl::expected<Dataset, std::string> ImportOpenSim(const ImportOptions& options);

}  // namespace hipcoach::model
