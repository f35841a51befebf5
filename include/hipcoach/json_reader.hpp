// The one reader of untrusted JSON: HTTP request bodies, answers files, interview lines, imports
// and FHIR resources all come through here. It enforces limits on size, nesting depth, string
// length and the number of values, and refuses duplicate keys, so that no input can build a value
// that later code (serialising, copying, comparing) would walk recursively past the stack, and so
// that `{"pain": 1, "pain": 9}` cannot mean two things to two readers. Nothing it does is
// recursive: nlohmann's SAX parser is iterative and the tree is built with an explicit stack.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace hipcoach {

struct JsonLimits {
  std::size_t max_bytes = std::size_t{2} << 20;         // the whole text
  int max_depth = 64;                                   // arrays and objects inside each other
  std::size_t max_string_bytes = std::size_t{1} << 16;  // one string or key, in UTF-8 bytes
  std::size_t max_values = 1000000;                     // every value, containers included
};

// What was wrong and where (1-based line and column of the byte where reading stopped; 0 when the
// problem is the whole text, such as its size). `what` never contains bytes of the input that are
// not printable ASCII, so it is always safe to show and to put into a JSON error response.
struct JsonError {
  std::size_t line = 0;
  std::size_t column = 0;
  std::string what;
  // "name:line:column: what", or "name: what" without a position.
  std::string Format(std::string_view name) const;
  // "line 3, column 7: what", or "what" without a position.
  std::string Describe() const;
};

tl::expected<nlohmann::json, JsonError> ReadUntrustedJson(std::string_view text,
                                                          const JsonLimits& limits = {});
tl::expected<nlohmann::ordered_json, JsonError> ReadUntrustedOrderedJson(
    std::string_view text, const JsonLimits& limits = {});

// Fields of an object that came from outside (a stored record, an imported file), read without
// trusting its shape: the value when it has the expected type (and range), otherwise `fallback`.
// They never throw, whatever `object` holds; nlohmann's value() throws on a wrong type.
template <typename Json>
std::string TextField(const Json& object, std::string_view key, std::string_view fallback = {}) {
  if (!object.is_object()) return std::string(fallback);
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::string(fallback);
  return it->template get<std::string>();
}
template <typename Json>
double NumberField(const Json& object, std::string_view key, double fallback) {
  if (!object.is_object()) return fallback;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return fallback;
  return it->template get<double>();
}
template <typename Json>
long long IntField(const Json& object, std::string_view key, long long fallback, long long low,
                   long long high) {
  const double value = NumberField(object, key, static_cast<double>(fallback));
  if (!(value >= static_cast<double>(low) && value <= static_cast<double>(high))) return fallback;
  return static_cast<long long>(value);
}
template <typename Json>
bool BoolField(const Json& object, std::string_view key, bool fallback) {
  if (!object.is_object()) return fallback;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) return fallback;
  return it->template get<bool>();
}
// An array or object member as it is, or an empty value of `type` when it is missing or another
// type.
template <typename Json>
Json MemberOf(const Json& object, std::string_view key, nlohmann::json::value_t type) {
  if (!object.is_object()) return Json(type);
  const auto it = object.find(key);
  if (it == object.end() || it->type() != type) return Json(type);
  return *it;
}

// Limits for each kind of input, in one place (docs/security.md lists them).
namespace json_limits {
// An HTTP request body (the server refuses bodies over 2 MiB before they are read).
inline JsonLimits HttpBody() { return {}; }
// An answers file or one interview line: a few kilobytes in practice.
inline JsonLimits Answers() {
  JsonLimits limits;
  limits.max_bytes = std::size_t{1} << 20;
  return limits;
}
// An export file read by `hipcoach import` (years of entries).
inline JsonLimits ImportFile() {
  JsonLimits limits;
  limits.max_bytes = std::size_t{64} << 20;
  limits.max_values = 4000000;
  return limits;
}
// A FHIR QuestionnaireResponse read from a file.
inline JsonLimits FhirFile() {
  JsonLimits limits;
  limits.max_bytes = std::size_t{4} << 20;
  return limits;
}
// JSON text held in a stored record (answers, results, programmes, session state, event details).
inline JsonLimits Stored() {
  JsonLimits limits;
  limits.max_bytes = std::size_t{8} << 20;
  return limits;
}
}  // namespace json_limits

}  // namespace hipcoach
