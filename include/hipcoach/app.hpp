// The outside world for the front ends: reading files, and choosing the knowledge base (the
// embedded one, or a directory given with --knowledge).
#pragma once

#include <string>
#include <vector>

#include "hipcoach/knowledge.hpp"
#include "hipcoach/status.hpp"

namespace hipcoach::app {

// Reads a whole file; the error names the file and the reason.
Result<std::string> ReadFile(const std::string& path);

// Every *.toml file of a directory, sorted by name.
Result<std::vector<KnowledgeFile>> ReadKnowledgeDir(const std::string& dir);

// The knowledge files compiled into the binary.
std::vector<KnowledgeFile> EmbeddedKnowledgeFiles();

// Loads from `dir`, or the embedded files when `dir` is empty. Diagnostics name files relative to
// the directory.
LoadOutcome LoadKnowledgeFrom(const std::string& dir);

}  // namespace hipcoach::app
