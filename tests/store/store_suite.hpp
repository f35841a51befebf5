// The Store test suite, written against the Store interface only. An implementation runs it by
// instantiating it with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreSuite, ::testing::Values(SqliteFactory()));
//
// The PostgreSQL implementation (a later issue) adds its own instantiation and runs it unchanged.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "hipcoach/store.hpp"

namespace hipcoach::testing {

struct StoreFactory {
  std::string name;
  // Opens the store named `key` (a fresh, empty one the first time; the same data when called
  // again with the same key in the same test). `scratch` is a directory private to the test.
  std::function<Result<std::unique_ptr<Store>>(const std::string& scratch, const std::string& key)>
      open;
};

inline std::string PrintToString(const StoreFactory& factory) { return factory.name; }

class StoreSuite : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;
  void TearDown() override;
  std::unique_ptr<Store> Open(const std::string& key = "main");
  std::string scratch_;
};

}  // namespace hipcoach::testing
