#include "toml_reader.hpp"

#include <fmt/format.h>

namespace hipcoach::detail {

SourceLocation TomlReader::Where(const toml::node& node) const {
  const auto& region = node.source();
  return SourceLocation{file_, static_cast<int>(region.begin.line),
                        static_cast<int>(region.begin.column)};
}

void TomlReader::Report(const toml::node& node, std::string message) const {
  Report(Where(node), std::move(message));
}

void TomlReader::Report(const SourceLocation& where, std::string message) const {
  diagnostics_.push_back(Diagnostic{where.file.empty() ? file_ : where.file, where.line,
                                    where.column, std::move(message)});
}

void TomlReader::CheckKeys(const toml::table& table, std::string_view what,
                           std::initializer_list<std::string_view> allowed) const {
  std::vector<std::string> names(allowed.begin(), allowed.end());
  for (const auto& [key, node] : table) {
    bool known = false;
    for (std::string_view name : allowed) known = known || name == key.str();
    if (known) continue;
    std::string hint = ClosestMatch(key.str(), names);
    Report(node, fmt::format("unknown key '{}' in {}{}", key.str(), what,
                             hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }
}

std::string TomlReader::String(const toml::table& table, std::string_view key,
                               bool required) const {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required) Report(table, fmt::format("missing required key '{}'", key));
    return {};
  }
  if (const auto* value = node->as_string()) return value->get();
  Report(*node, fmt::format("'{}' must be a string", key));
  return {};
}

std::optional<double> TomlReader::Number(const toml::table& table, std::string_view key,
                                         bool required) const {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required) Report(table, fmt::format("missing required key '{}'", key));
    return std::nullopt;
  }
  if (const auto* value = node->as_floating_point()) return value->get();
  if (const auto* value = node->as_integer()) return static_cast<double>(value->get());
  Report(*node, fmt::format("'{}' must be a number", key));
  return std::nullopt;
}

std::optional<int> TomlReader::Integer(const toml::table& table, std::string_view key,
                                       bool required) const {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required) Report(table, fmt::format("missing required key '{}'", key));
    return std::nullopt;
  }
  if (const auto* value = node->as_integer()) {
    const std::int64_t raw = value->get();
    if (raw < -1000000 || raw > 1000000) {
      Report(*node, fmt::format("'{}' is out of range ({})", key, raw));
      return std::nullopt;
    }
    return static_cast<int>(raw);
  }
  Report(*node, fmt::format("'{}' must be a whole number", key));
  return std::nullopt;
}

std::optional<bool> TomlReader::Bool(const toml::table& table, std::string_view key) const {
  const toml::node* node = table.get(key);
  if (node == nullptr) return std::nullopt;
  if (const auto* value = node->as_boolean()) return value->get();
  Report(*node, fmt::format("'{}' must be true or false", key));
  return std::nullopt;
}

std::vector<std::string> TomlReader::Strings(const toml::table& table, std::string_view key,
                                             bool required) const {
  std::vector<std::string> out;
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required) Report(table, fmt::format("missing required key '{}'", key));
    return out;
  }
  const auto* array = node->as_array();
  if (array == nullptr) {
    Report(*node, fmt::format("'{}' must be a list of strings", key));
    return out;
  }
  for (const toml::node& element : *array) {
    if (const auto* text = element.as_string()) {
      out.push_back(text->get());
    } else {
      Report(element, fmt::format("'{}' must contain only strings", key));
    }
  }
  return out;
}

std::vector<const toml::table*> TomlReader::Tables(const toml::table& table,
                                                   std::string_view key) const {
  std::vector<const toml::table*> out;
  const toml::node* node = table.get(key);
  if (node == nullptr) return out;
  if (const auto* array = node->as_array()) {
    for (const toml::node& element : *array) {
      if (const auto* t = element.as_table()) {
        out.push_back(t);
      } else {
        Report(element, fmt::format("'{}' must be an array of tables ([[{}]])", key, key));
      }
    }
    return out;
  }
  if (const auto* t = node->as_table()) {
    out.push_back(t);
    return out;
  }
  Report(*node, fmt::format("'{}' must be an array of tables ([[{}]])", key, key));
  return out;
}

std::optional<Expr> TomlReader::Expression(const toml::table& table, std::string_view key,
                                           bool required) const {
  const toml::node* node = table.get(key);
  if (node == nullptr) {
    if (required) Report(table, fmt::format("missing required key '{}'", key));
    return std::nullopt;
  }
  return ParseExpr(*node);
}

std::optional<Expr> TomlReader::ParseExpr(const toml::node& node) const {
  if (const auto* text = node.as_string()) {
    Expr expr;
    const std::string& value = text->get();
    if (value.rfind("cause:", 0) == 0) {
      expr.kind = Expr::Kind::kCause;
      expr.id = value.substr(6);
    } else {
      expr.kind = Expr::Kind::kFinding;
      expr.id = value;
    }
    expr.line = static_cast<int>(node.source().begin.line);
    expr.column = static_cast<int>(node.source().begin.column);
    if (expr.id.empty()) {
      Report(node, "an expression names an empty id");
      return std::nullopt;
    }
    return expr;
  }
  const auto* table = node.as_table();
  if (table == nullptr || table->size() != 1) {
    Report(node,
           "an expression must be a finding id, \"cause:<id>\", or a table with exactly one of "
           "all, any or not");
    return std::nullopt;
  }
  const auto entry = table->cbegin();
  const toml::key& key = entry->first;
  const toml::node& child = entry->second;
  Expr expr;
  if (key.str() == "not") {
    expr.kind = Expr::Kind::kNot;
    auto inner = ParseExpr(child);
    if (!inner) return std::nullopt;
    expr.children.push_back(std::move(*inner));
    return expr;
  }
  if (key.str() != "all" && key.str() != "any") {
    std::string hint = ClosestMatch(key.str(), {"all", "any", "not"});
    Report(child, fmt::format("unknown operator '{}' in expression{}", key.str(),
                              hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
    return std::nullopt;
  }
  expr.kind = key.str() == "all" ? Expr::Kind::kAll : Expr::Kind::kAny;
  const auto* array = child.as_array();
  if (array == nullptr || array->empty()) {
    Report(child, fmt::format("'{}' needs a non-empty list of expressions", key.str()));
    return std::nullopt;
  }
  for (const toml::node& element : *array) {
    auto inner = ParseExpr(element);
    if (!inner) return std::nullopt;
    expr.children.push_back(std::move(*inner));
  }
  return expr;
}

Cited TomlReader::Citation(const toml::table& table) const {
  Cited cited;
  cited.sources = Strings(table, "sources", true);
  const std::string evidence = String(table, "evidence", false);
  if (evidence.empty() || evidence == "verified") {
    cited.evidence = Evidence::kVerified;
  } else if (evidence == "unverified") {
    cited.evidence = Evidence::kUnverified;
  } else if (evidence == "computed") {
    cited.evidence = Evidence::kComputed;
  } else if (evidence == "estimate") {
    cited.evidence = Evidence::kEstimate;
  } else {
    std::string hint = ClosestMatch(evidence, {"verified", "unverified", "computed", "estimate"});
    Report(*table.get("evidence"),
           fmt::format("evidence must be verified, unverified, computed or estimate, not '{}'{}",
                       evidence, hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }
  return cited;
}

}  // namespace hipcoach::detail
