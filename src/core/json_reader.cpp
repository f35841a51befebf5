#include "hipcoach/json_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace hipcoach {
namespace {

// Printable ASCII only, at most `max` characters: safe to show and to embed in JSON.
std::string Printable(std::string_view text, std::size_t max = 40) {
  std::string out;
  for (char c : text) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    const auto byte = static_cast<unsigned char>(c);
    out += byte >= 0x20 && byte < 0x7f ? c : '?';
  }
  return out;
}

// nlohmann's message without its "[json.exception...] parse error at line 1, column 2: " prefix
// (we give our own position), made printable.
std::string Reason(const std::string& what) {
  std::string reason = what;
  if (const auto column = reason.find("column "); column != std::string::npos) {
    if (const auto colon = reason.find(": ", column); colon != std::string::npos) {
      reason = reason.substr(colon + 2);
    }
  } else if (const auto bracket = reason.find("] "); bracket != std::string::npos) {
    reason = reason.substr(bracket + 2);
  }
  return Printable(reason, 200);
}

// Builds the tree from SAX events with an explicit stack (json_sax_dom_parser does the same; this
// one also enforces the limits and refuses duplicate keys).
template <typename Json>
class Builder {
 public:
  using number_integer_t = typename Json::number_integer_t;
  using number_unsigned_t = typename Json::number_unsigned_t;
  using number_float_t = typename Json::number_float_t;
  using string_t = typename Json::string_t;
  using binary_t = typename Json::binary_t;

  Builder(std::string_view text, const JsonLimits& limits, const std::size_t* consumed)
      : text_(text), limits_(limits), consumed_(consumed) {}

  bool null() { return Value(Json(nullptr)); }
  bool boolean(bool value) { return Value(Json(value)); }
  bool number_integer(number_integer_t value) { return Value(Json(value)); }
  bool number_unsigned(number_unsigned_t value) { return Value(Json(value)); }
  bool number_float(number_float_t value, const string_t&) { return Value(Json(value)); }
  bool string(string_t& value) {
    if (!StringFits(value)) return false;
    return Value(Json(std::move(value)));
  }
  bool binary(binary_t&) { return Fail("binary values are not JSON"); }

  bool start_object(std::size_t) {
    if (!Deeper()) return false;
    Json* made = Place(Json(nlohmann::json::value_t::object));
    if (made == nullptr) return false;
    stack_.push_back(made);
    keys_.emplace_back();
    return true;
  }
  bool key(string_t& name) {
    if (!StringFits(name)) return false;
    if (!keys_.back().insert(name).second) {
      return Fail(fmt::format("the key \"{}\" appears twice in one object", Printable(name)));
    }
    slot_ = &(*stack_.back())[name];
    return true;
  }
  bool end_object() {
    stack_.pop_back();
    keys_.pop_back();
    return true;
  }
  bool start_array(std::size_t) {
    if (!Deeper()) return false;
    Json* made = Place(Json(nlohmann::json::value_t::array));
    if (made == nullptr) return false;
    stack_.push_back(made);
    keys_.emplace_back();
    return true;
  }
  bool end_array() {
    stack_.pop_back();
    keys_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& error) {
    position_ = position;
    if (error.id == 406) {
      // out_of_range.406: a number too large for a double (1e999).
      error_ = "a number is too large";
    } else {
      error_ = "malformed JSON: " + Reason(error.what());
    }
    return false;
  }

  bool failed() const { return !error_.empty(); }
  Json Take() { return std::move(root_); }
  JsonError Error() const {
    JsonError e;
    e.what = error_;
    // The byte where reading stopped (nlohmann counts the byte read last).
    const std::size_t at = std::min(position_ > 0 ? position_ - 1 : 0, text_.size());
    e.line = 1;
    e.column = 1;
    for (std::size_t i = 0; i < at; ++i) {
      if (text_[i] == '\n') {
        ++e.line;
        e.column = 1;
      } else {
        ++e.column;
      }
    }
    return e;
  }

 private:
  // A limit was hit: SAX callbacks carry no position, so use how far the parser has read.
  bool Fail(std::string what) {
    error_ = std::move(what);
    position_ = *consumed_;
    return false;
  }
  bool Deeper() {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      return Fail(
          fmt::format("arrays and objects are nested more than {} deep", limits_.max_depth));
    }
    return true;
  }
  bool StringFits(const string_t& text) {
    if (text.size() > limits_.max_string_bytes) {
      return Fail(fmt::format("a text of {} bytes is longer than the {} allowed", text.size(),
                              limits_.max_string_bytes));
    }
    return true;
  }
  bool Value(Json value) { return Place(std::move(value)) != nullptr; }
  // Puts a value where the document expects the next one; nullptr when a limit is hit.
  Json* Place(Json value) {
    if (++values_ > limits_.max_values) {
      Fail(fmt::format("more than {} values", limits_.max_values));
      return nullptr;
    }
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    *slot_ = std::move(value);
    return slot_;
  }

  std::string_view text_;
  JsonLimits limits_;
  const std::size_t* consumed_;
  Json root_;
  std::vector<Json*> stack_;
  std::vector<std::unordered_set<std::string>> keys_;
  Json* slot_ = nullptr;
  std::size_t values_ = 0;
  std::size_t position_ = 0;
  std::string error_;
};

// A pointer over the text that records how many bytes the parser has taken.
struct CountingIterator {
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* at = nullptr;
  const char* begin = nullptr;
  std::size_t* consumed = nullptr;

  reference operator*() const { return *at; }
  CountingIterator& operator++() {
    ++at;
    *consumed = static_cast<std::size_t>(at - begin);
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& other) const { return at == other.at; }
  bool operator!=(const CountingIterator& other) const { return at != other.at; }
};

template <typename Json>
tl::expected<Json, JsonError> Read(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return tl::unexpected(JsonError{
        0, 0, fmt::format("{} bytes is more than the {} allowed", text.size(), limits.max_bytes)});
  }
  std::size_t consumed = 0;
  Builder<Json> builder(text, limits, &consumed);
  const CountingIterator first{text.data(), text.data(), &consumed};
  const CountingIterator last{text.data() + text.size(), text.data(), &consumed};
  bool ok = false;
  try {
    ok = Json::sax_parse(first, last, &builder, nlohmann::json::input_format_t::json,
                         /*strict=*/true, /*ignore_comments=*/false);
  } catch (const nlohmann::json::exception& error) {
    // Not expected: the SAX parser reports problems through parse_error().
    return tl::unexpected(JsonError{0, 0, "malformed JSON: " + Reason(error.what())});
  }
  if (!ok || builder.failed()) {
    JsonError error = builder.Error();
    if (error.what.empty()) error.what = "malformed JSON";
    return tl::unexpected(std::move(error));
  }
  return builder.Take();
}

}  // namespace

std::string JsonError::Format(std::string_view name) const {
  if (line == 0) return fmt::format("{}: {}", name, what);
  return fmt::format("{}:{}:{}: {}", name, line, column, what);
}

std::string JsonError::Describe() const {
  if (line == 0) return what;
  return fmt::format("line {}, column {}: {}", line, column, what);
}

tl::expected<nlohmann::json, JsonError> ReadUntrustedJson(std::string_view text,
                                                          const JsonLimits& limits) {
  return Read<nlohmann::json>(text, limits);
}

tl::expected<nlohmann::ordered_json, JsonError> ReadUntrustedOrderedJson(std::string_view text,
                                                                         const JsonLimits& limits) {
  return Read<nlohmann::ordered_json>(text, limits);
}

}  // namespace hipcoach
