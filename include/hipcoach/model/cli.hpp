// `hipcoach model ...`: run the hip model, sweep a weakness, import OpenSim files.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hipcoach::model {

// `args` are the words after `hipcoach model`, e.g. {"run", "--weaken", "glute_med=0.5",
// "--json"}. Returns 0 on success, 2 on bad input (message on `err`, nothing on `out`), 1 on an
// internal failure.
int RunCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace hipcoach::model
