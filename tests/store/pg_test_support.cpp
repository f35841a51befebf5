#include "pg_test_support.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>

#include "store/pg_db.hpp"

namespace hipcoach::testing {

Result<std::string> TestClusterUrl() {
  const char* file = std::getenv("HIPCOACH_TEST_PG_URL_FILE");
  if (file == nullptr || *file == '\0') {
    return MakeError(ErrorCode::kNotFound,
                     "HIPCOACH_TEST_PG_URL_FILE is not set: run this test through ctest, which "
                     "starts a PostgreSQL cluster first (fixture 'postgres')");
  }
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  if (!in || url.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     std::string("no PostgreSQL test cluster: '") + file +
                         "' is missing or empty (did the test postgres_cluster_start fail?)");
  }
  return url;
}

std::string WithParameter(const std::string& url, const std::string& key,
                          const std::string& value) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + key + "=" + value;
}

Result<std::string> SchemaUrl(const std::string& name) {
  if (name.empty() || name.size() > 63 ||
      name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
    return MakeError(ErrorCode::kInvalidInput, "bad schema name '" + name + "'");
  }
  auto base = TestClusterUrl();
  if (!base) return base;
  auto conn = pg::Connection::Open(*base);
  if (!conn) return tl::unexpected(conn.error());
  if (auto made = conn->Exec("CREATE SCHEMA IF NOT EXISTS " + name); !made) {
    // Two connections creating the same schema at once: one wins, the other sees it exist.
    if (!pg::IsUniqueViolation(made.error())) return tl::unexpected(made.error());
  }
  // libpq decodes %3D to '=': the server gets the option -csearch_path=<name>.
  return WithParameter(*base, "options", "-csearch_path%3D" + name);
}

std::string UniqueSchemaName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  static const unsigned seed = std::random_device{}();
  return prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(seed % 100000);
}

}  // namespace hipcoach::testing
