// Help for tests against the throwaway PostgreSQL cluster of the "postgres" CTest fixture
// (cmake/HipcoachPostgres.cmake). Each test works in a schema of its own in the cluster's
// database, so tests can run in parallel and never see each other's tables.
#pragma once

#include <string>

#include "hipcoach/status.hpp"

namespace hipcoach::testing {

// The cluster's URL, read from the file named by HIPCOACH_TEST_PG_URL_FILE. An error (which the
// test must report as a failure) when the variable is unset or the file is missing or empty.
Result<std::string> TestClusterUrl();

// `url` with `key=value` added to its query.
std::string WithParameter(const std::string& url, const std::string& key, const std::string& value);

// Creates the schema `name` ([a-z0-9_], at most 63 bytes) if it does not exist and returns a URL
// whose connections use it (search_path). The same name gives the same schema.
Result<std::string> SchemaUrl(const std::string& name);

// A schema name no other test (or run) uses: prefix_<pid>_<counter>_<random>.
std::string UniqueSchemaName(const std::string& prefix);

}  // namespace hipcoach::testing
