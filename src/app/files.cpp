#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "hipcoach/app.hpp"

namespace hipcoach::app {
namespace {

std::string Size(std::size_t bytes) {
  if (bytes >= (std::size_t{1} << 20)) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= 1024) return fmt::format("{} KiB", bytes >> 10);
  return fmt::format("{} bytes", bytes);
}

}  // namespace

Result<std::string> ReadFile(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kIoError,
                     fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  std::string text;
  std::vector<char> chunk(std::size_t{64} * 1024);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (text.size() + got > max_bytes) {
      return MakeError(ErrorCode::kInvalidInput,
                       fmt::format("{}: larger than {} (the most hipcoach reads from such a file)",
                                   path, Size(max_bytes)));
    }
    text.append(chunk.data(), got);
  }
  if (in.bad()) return MakeError(ErrorCode::kIoError, fmt::format("{}: read failed", path));
  return text;
}

}  // namespace hipcoach::app
