// Shared by the Store implementations (not part of the public interface).
#pragma once

#include "hipcoach/store.hpp"

namespace hipcoach {

// Writes every record of `data` (not its profile) through `store`'s own Add calls, in the order
// references need: assessments, programme versions, sessions, then the rest. Stops at the first
// error. Import runs it inside its transaction.
Result<void> AddRecords(Store& store, const DataSet& data);

}  // namespace hipcoach
