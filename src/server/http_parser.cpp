#include "http_parser.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace hipcoach::http {
namespace {

using State = ParseResult::State;

ParseResult Error(int status, std::string message) {
  ParseResult r;
  r.state = State::kError;
  r.status = status;
  r.message = std::move(message);
  return r;
}

// RFC 9110 5.6.2: token characters.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

bool IsToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsTokenChar);
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string LowerCase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A comma-separated header value holds `token` (case-insensitive), e.g. Connection: close.
bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const std::size_t comma = value.find(',');
    if (EqualsNoCase(Trim(value.substr(0, comma)), token)) return true;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  return false;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParseQuery(std::string_view query, Request& request) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      std::string key, value;
      if (!PercentDecode(pair.substr(0, eq), true, key)) return false;
      if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, value)) {
        return false;
      }
      request.query.emplace_back(std::move(key), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return true;
}

}  // namespace

bool PercentDecode(std::string_view text, bool plus_is_space, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return false;
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return false;
      const char decoded = static_cast<char>(high * 16 + low);
      if (decoded == '\0') return false;
      out += decoded;
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

ParseResult ParseRequest(std::string_view bytes, const ParseLimits& limits) {
  // Line ends: CRLF only. A bare LF or CR anywhere in the head is refused rather than guessed at.
  const std::size_t scan = std::min(bytes.size(), limits.max_head_bytes + 4);
  std::size_t head_end = std::string_view::npos;
  for (std::size_t i = 0; i < scan; ++i) {
    if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) {
      return Error(400, "Lines of a request must end with CRLF.");
    }
    if (bytes[i] == '\r' && i + 1 < bytes.size() && bytes[i + 1] != '\n') {
      return Error(400, "Lines of a request must end with CRLF.");
    }
    if (i >= 3 && bytes.compare(i - 3, 4, "\r\n\r\n") == 0) {
      head_end = i + 1;
      break;
    }
  }
  if (head_end == std::string_view::npos) {
    if (bytes.size() > limits.max_head_bytes) {
      return Error(431, "The request's headers are too large.");
    }
    return {};
  }
  if (head_end > limits.max_head_bytes) return Error(431, "The request's headers are too large.");
  const std::string_view head = bytes.substr(0, head_end - 4);

  // The request line: method SP request-target SP HTTP-version.
  const std::size_t line_end = head.find("\r\n");
  const std::string_view line = head.substr(0, line_end);
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Error(400, "The request line is not 'METHOD /path HTTP/1.1'.");
  }
  const std::string_view method = line.substr(0, sp1);
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::string_view version = line.substr(sp2 + 1);
  if (!IsToken(method) || method.size() > 20) return Error(400, "The method is not valid.");
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    if (version.rfind("HTTP/", 0) == 0) return Error(505, "Use HTTP/1.1.");
    return Error(400, "The request line is not 'METHOD /path HTTP/1.1'.");
  }
  if (target.size() > limits.max_target_bytes) return Error(414, "The address is too long.");
  if (target.empty() || target.front() != '/') {
    return Error(400, "The address must be a path starting with '/'.");
  }
  for (char c : target) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f || c == '#') {
      return Error(400, "The address holds a character that is not allowed.");
    }
  }

  ParseResult result;
  Request& request = result.request;
  request.method = std::string(method);
  const std::size_t question = target.find('?');
  if (!PercentDecode(target.substr(0, question), false, request.path)) {
    return Error(400, "The address has a malformed %-escape.");
  }
  if (question != std::string_view::npos && !ParseQuery(target.substr(question + 1), request)) {
    return Error(400, "The query has a malformed %-escape.");
  }

  // Header fields: name ":" OWS value OWS, one per line.
  int hosts = 0;
  int content_lengths = 0;
  std::uint64_t content_length = 0;
  bool transfer_encoding = false;
  std::string connection;
  std::string_view rest =
      line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
  while (!rest.empty()) {
    const std::size_t end = rest.find("\r\n");
    const std::string_view field = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
    if (field.empty()) return Error(400, "A header line is empty.");
    if (field.front() == ' ' || field.front() == '\t') {
      return Error(400, "Folded header lines are not accepted.");
    }
    const std::size_t colon = field.find(':');
    if (colon == std::string_view::npos) return Error(400, "A header line has no ':'.");
    const std::string_view name = field.substr(0, colon);
    if (!IsToken(name)) {
      return Error(400, name.find_first_of(" \t") != std::string_view::npos
                            ? "A header name is followed by whitespace before its ':'."
                            : "A header name is not valid.");
    }
    const std::string_view value = Trim(field.substr(colon + 1));
    for (char c : value) {
      const auto byte = static_cast<unsigned char>(c);
      if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
        return Error(400, "A header value holds a control character.");
      }
    }
    if (request.headers.size() >= limits.max_headers) {
      return Error(431, "The request has too many headers.");
    }
    std::string lower = LowerCase(name);
    if (lower == "host") {
      ++hosts;
    } else if (lower == "content-length") {
      ++content_lengths;
      if (value.empty() || value.size() > 15 ||
          !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return Error(400, "Content-Length must be a number of digits only.");
      }
      content_length = 0;
      for (char c : value) content_length = content_length * 10 + static_cast<unsigned>(c - '0');
    } else if (lower == "transfer-encoding") {
      transfer_encoding = true;
    } else if (lower == "connection") {
      connection += std::string(value) + ",";
    } else if (lower == "expect") {
      if (!EqualsNoCase(value, "100-continue")) return Error(417, "Only 100-continue is expected.");
      result.expect_continue = true;
    }
    request.headers.emplace_back(std::move(lower), std::string(value));
  }
  if (content_lengths > 1) return Error(400, "The request has more than one Content-Length.");
  if (transfer_encoding) {
    return Error(content_lengths > 0 ? 400 : 411,
                 content_lengths > 0
                     ? "The request has both Transfer-Encoding and Content-Length."
                     : "Send the request body with a Content-Length, not Transfer-Encoding.");
  }
  if (hosts > 1) return Error(400, "The request has more than one Host header.");
  if (hosts == 0 && version == "HTTP/1.1") return Error(400, "The request has no Host header.");
  if (content_length > limits.max_body_bytes) return Error(413, "The request is too large.");
  if (!request.Header("content-encoding").empty()) {
    return Error(415, "Send the request body uncompressed.");
  }
  result.keep_alive =
      version == "HTTP/1.1" ? !HasToken(connection, "close") : HasToken(connection, "keep-alive");

  const auto body_length = static_cast<std::size_t>(content_length);
  if (bytes.size() - head_end < body_length) {
    ParseResult waiting;
    waiting.head_complete = true;
    waiting.expect_continue = result.expect_continue;
    return waiting;
  }
  request.body = std::string(bytes.substr(head_end, body_length));
  result.state = State::kComplete;
  result.consumed = head_end + body_length;
  result.expect_continue = false;
  return result;
}

const char* ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 417:
      return "Expectation Failed";
    case 421:
      return "Misdirected Request";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

}  // namespace hipcoach::http
