// Readers for OpenSim 4 files: models (.osim), storage/motion files (.sto, .mot), external loads
// and actuator sets (XML). Anything hipcoach cannot compute faithfully (wrapping surfaces, joint,
// function, force or muscle types it does not know) is rejected with a message naming the element
// and its line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hipcoach/model/model.hpp"
#include "hipcoach/model/trial.hpp"
#include "tl/expected.hpp"

namespace hipcoach::model {

tl::expected<std::string, std::string> ReadTextFile(const std::string& path);

tl::expected<Model, std::string> ParseOsim(std::string_view xml, const std::string& source);
tl::expected<Model, std::string> ReadOsimFile(const std::string& path);

tl::expected<Storage, std::string> ParseStorage(std::string_view text, const std::string& source);
tl::expected<Storage, std::string> ReadStorageFile(const std::string& path);

tl::expected<ExternalLoadsSpec, std::string> ParseExternalLoads(std::string_view xml,
                                                                const std::string& source);
tl::expected<ExternalLoadsSpec, std::string> ReadExternalLoadsFile(const std::string& path);

// Residual / reserve actuators (PointActuator, TorqueActuator, CoordinateActuator) for `model`.
tl::expected<std::vector<Actuator>, std::string> ParseActuators(std::string_view xml,
                                                                const std::string& source,
                                                                const Model& model);
tl::expected<std::vector<Actuator>, std::string> ReadActuatorsFile(const std::string& path,
                                                                   const Model& model);

}  // namespace hipcoach::model
