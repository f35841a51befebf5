// Fuzzes the import reader: any bytes as an export file (tracking::ParseExport), then what a
// parsed file goes through before it is written: the checks of its programmes against the
// knowledge base (programme_check.hpp), the import into an in-memory database, and the export
// of it again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string_view>

#include "hipcoach/app.hpp"
#include "hipcoach/programme_check.hpp"
#include "hipcoach/store.hpp"
#include "hipcoach/tracking_export.hpp"

namespace {
const hipcoach::KnowledgeBase& Kb() {
  static const hipcoach::KnowledgeBase kb = [] {
    hipcoach::LoadOutcome outcome = hipcoach::app::LoadKnowledgeFrom("");
    if (!outcome.kb) std::abort();
    return std::move(*outcome.kb);
  }();
  return kb;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = hipcoach::tracking::ParseExport(text);
  if (!parsed) return 0;
  if (!hipcoach::tracking::CheckProgrammes(Kb(), *parsed)) return 0;
  auto store = hipcoach::OpenSqliteStore(":memory:");
  if (!store) std::abort();
  if ((*store)->Import(*parsed, false)) {
    auto again = (*store)->Export(parsed->profile.person_id);
    if (!again) std::abort();
    (void)hipcoach::tracking::ExportJson(*again).dump();
    (void)hipcoach::tracking::ExportCsv(*again);
  }
  return 0;
}
