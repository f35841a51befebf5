// Export and import of everything stored for a person: one JSON document (all of it) and CSV files
// (the logs), for the person, their physiotherapist, or another hipcoach.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "hipcoach/store.hpp"

namespace hipcoach::tracking {

inline constexpr int kExportFormatVersion = 1;

// {"format": "hipcoach-export", "format_version": 1, "profile": ..., "assessments": [...], ...}.
// Times are UTC (2026-01-05T08:00:00Z); stored JSON (answers, results, programmes) is nested.
nlohmann::json ExportJson(const DataSet& data);

// One record in the export's form (also what the HTTP API returns for it).
nlohmann::json ExerciseLogJson(const ExerciseLog& log);
nlohmann::json CheckInJson(const CheckIn& checkin);

// Reads an export strictly: every field's type and range, times, unknown keys. The error names
// the place ("checkins[3].pain_now: ..."). Nothing is written here; Store::Import writes.
Result<DataSet> ParseExport(std::string_view text);

// CSV files (RFC 4180) by file name: exercise_logs.csv, checkins.csv, outcomes.csv, events.csv.
std::map<std::string, std::string> ExportCsv(const DataSet& data);

}  // namespace hipcoach::tracking
