// The outside world for the front ends: reading files, and choosing the knowledge base (the
// embedded one, or a directory given with --knowledge).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "hipcoach/knowledge.hpp"
#include "hipcoach/status.hpp"

namespace hipcoach::app {

// Reads a whole file of at most `max_bytes`; the error names the file and the reason. It stops
// reading past the limit, so a device or pipe that never ends (/dev/zero) is refused, not
// swallowed (kInvalidInput "...: larger than N MiB...").
Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes);

// Limits for the files the front ends read.
inline constexpr std::size_t kMaxAnswersFileBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMaxFhirFileBytes = std::size_t{4} << 20;
inline constexpr std::size_t kMaxImportFileBytes = std::size_t{64} << 20;
inline constexpr std::size_t kMaxKnowledgeFileBytes = std::size_t{16} << 20;
inline constexpr std::size_t kMaxKeyFileBytes = 4096;

// Every *.toml file of a directory, sorted by name.
Result<std::vector<KnowledgeFile>> ReadKnowledgeDir(const std::string& dir);

// The knowledge files compiled into the binary.
std::vector<KnowledgeFile> EmbeddedKnowledgeFiles();

// Loads from `dir`, or the embedded files when `dir` is empty. Diagnostics name files relative to
// the directory.
LoadOutcome LoadKnowledgeFrom(const std::string& dir);

// Where the secret key of the FHIR export's pseudonym lives (docs/fhir.md): beside a SQLite
// database file ("<db>.fhir-key"); for a database given as a URL, "fhir-pseudonym.key" in the
// directory of `default_db_path`.
std::string PseudonymKeyPath(const std::string& db_path, const std::string& default_db_path);

// The key in `path` (64 hex digits); created with 32 random bytes (mode 0600) when the file does
// not exist yet. Safe when several processes or threads do it at once.
Result<std::string> LoadOrCreatePseudonymKey(const std::string& path);

}  // namespace hipcoach::app
