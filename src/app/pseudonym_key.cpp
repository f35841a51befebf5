// The secret key behind the FHIR export's pseudonym (docs/fhir.md), kept in a file beside the
// database. Created once, atomically: a complete temporary file is hard-linked into place, so a
// reader never sees half a key and two processes creating it at once end up with the same one.
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "hipcoach/app.hpp"

namespace hipcoach::app {
namespace {

constexpr std::size_t kKeyBytes = 32;

bool IsHexKey(const std::string& text) {
  if (text.size() != kKeyBytes * 2) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::string> RandomHexKey() {
  std::ifstream random("/dev/urandom", std::ios::binary);
  unsigned char bytes[kKeyBytes] = {};
  random.read(reinterpret_cast<char*>(bytes), sizeof bytes);
  if (!random) return MakeError(ErrorCode::kIoError, "could not read /dev/urandom");
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : bytes) {
    hex.push_back(kDigits[b >> 4]);
    hex.push_back(kDigits[b & 0x0f]);
  }
  return hex;
}

Result<std::string> ReadKey(const std::string& path) {
  auto text = ReadFile(path, kMaxKeyFileBytes);
  if (!text) return text;
  std::string key = *text;
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r' || key.back() == ' ')) {
    key.pop_back();
  }
  if (!IsHexKey(key)) {
    return MakeError(
        ErrorCode::kDataError,
        fmt::format("{}: this is not a hipcoach pseudonym key (64 hex digits). Restore "
                    "it from a backup, or delete it to make a new one (the FHIR "
                    "pseudonym will then change).",
                    path));
  }
  return key;
}

}  // namespace

std::string PseudonymKeyPath(const std::string& db_path, const std::string& default_db_path) {
  const std::string db = db_path.empty() ? default_db_path : db_path;
  if (db.find("://") == std::string::npos) return db + ".fhir-key";
  const std::filesystem::path dir = std::filesystem::path(default_db_path).parent_path();
  return (dir / "fhir-pseudonym.key").string();
}

Result<std::string> LoadOrCreatePseudonymKey(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return ReadKey(path);
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto key = RandomHexKey();
  if (!key) return key;
  static std::atomic<unsigned> counter{0};
  const std::string temp =
      fmt::format("{}.tmp-{}-{}", path, static_cast<long>(getpid()), counter.fetch_add(1));
  const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) {
    return MakeError(ErrorCode::kIoError, fmt::format("{}: cannot create the pseudonym key: {}",
                                                      path, std::strerror(errno)));
  }
  const std::string line = *key + "\n";
  int error = 0;
  if (write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()) || fsync(fd) != 0) {
    error = errno != 0 ? errno : EIO;
  }
  close(fd);
  if (error == 0 && link(temp.c_str(), path.c_str()) != 0 && errno != EEXIST) error = errno;
  unlink(temp.c_str());
  if (error != 0) {
    return MakeError(ErrorCode::kIoError, fmt::format("{}: cannot write the pseudonym key: {}",
                                                      path, std::strerror(error)));
  }
  // Whoever linked first won; everyone reads the same key.
  return ReadKey(path);
}

}  // namespace hipcoach::app
