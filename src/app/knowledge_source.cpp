#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "hipcoach/app.hpp"
#include "hipcoach/embedded.hpp"

namespace hipcoach::app {

Result<std::vector<KnowledgeFile>> ReadKnowledgeDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return MakeError(ErrorCode::kNotFound,
                     fmt::format("{}: not a directory (expected a knowledge directory of *.toml "
                                 "files)",
                                 dir));
  }
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".toml") paths.push_back(entry.path().string());
  }
  if (error) return MakeError(ErrorCode::kIoError, fmt::format("{}: {}", dir, error.message()));
  if (paths.empty()) {
    return MakeError(ErrorCode::kNotFound, fmt::format("{}: no *.toml files", dir));
  }
  std::sort(paths.begin(), paths.end());
  std::vector<KnowledgeFile> files;
  for (const std::string& path : paths) {
    auto text = ReadFile(path, kMaxKnowledgeFileBytes);
    if (!text) return tl::unexpected(text.error());
    files.push_back(KnowledgeFile{fs::path(path).filename().string(), std::move(*text)});
  }
  return files;
}

std::vector<KnowledgeFile> EmbeddedKnowledgeFiles() {
  std::vector<KnowledgeFile> files;
  for (const EmbeddedFile& file : EmbeddedKnowledge()) {
    files.push_back(KnowledgeFile{std::string(file.name), std::string(file.data)});
  }
  return files;
}

LoadOutcome LoadKnowledgeFrom(const std::string& dir) {
  if (dir.empty()) {
    const std::vector<KnowledgeFile> files = EmbeddedKnowledgeFiles();
    return LoadKnowledge(files);
  }
  auto files = ReadKnowledgeDir(dir);
  if (!files) {
    LoadOutcome outcome;
    outcome.diagnostics.push_back(Diagnostic{"", 0, 0, files.error().message});
    return outcome;
  }
  return LoadKnowledge(*files);
}

}  // namespace hipcoach::app
