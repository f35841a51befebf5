// A schema layer over toml++: typed field access that records a diagnostic with file:line:col for
// every problem (wrong type, missing key, unknown key with a "did you mean" hint) and carries on,
// so that one run of `hipcoach kb check` reports every problem at once.
#pragma once

#include <toml++/toml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hipcoach/knowledge.hpp"

namespace hipcoach::detail {

class TomlReader {
 public:
  TomlReader(std::string file, std::vector<Diagnostic>& diagnostics)
      : file_(std::move(file)), diagnostics_(diagnostics) {}

  const std::string& file() const { return file_; }
  SourceLocation Where(const toml::node& node) const;
  void Report(const toml::node& node, std::string message) const;
  void Report(const SourceLocation& where, std::string message) const;

  // Reports keys of `table` that are not in `allowed`, with the closest allowed key as a hint.
  void CheckKeys(const toml::table& table, std::string_view what,
                 std::initializer_list<std::string_view> allowed) const;

  std::string String(const toml::table& table, std::string_view key, bool required = true) const;
  std::optional<double> Number(const toml::table& table, std::string_view key,
                               bool required = false) const;
  std::optional<int> Integer(const toml::table& table, std::string_view key,
                             bool required = false) const;
  std::optional<bool> Bool(const toml::table& table, std::string_view key) const;
  std::vector<std::string> Strings(const toml::table& table, std::string_view key,
                                   bool required = false) const;
  // The array of tables at `key` (e.g. [[question]]); reports a non-table element.
  std::vector<const toml::table*> Tables(const toml::table& table, std::string_view key) const;
  std::optional<Expr> Expression(const toml::table& table, std::string_view key,
                                 bool required) const;
  Cited Citation(const toml::table& table) const;

 private:
  std::optional<Expr> ParseExpr(const toml::node& node) const;
  std::string file_;
  std::vector<Diagnostic>& diagnostics_;
};

}  // namespace hipcoach::detail
