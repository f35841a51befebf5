// A strict HTTP/1.1 request parser (RFC 9112), a pure function over the bytes received so far.
// Strict where leniency lets two parsers read one message two ways (request smuggling): one
// Content-Length of digits only, no Transfer-Encoding (request bodies are never chunked here), no
// whitespace between a header's name and its colon, no folded lines, CRLF line ends only, exactly
// one Host. Private to src/server; fuzzed by fuzz/http_fuzzer.cpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "hipcoach/http.hpp"

namespace hipcoach::http {

struct ParseLimits {
  std::size_t max_head_bytes = 16 * 1024;  // request line and headers
  std::size_t max_headers = 100;
  std::size_t max_target_bytes = 8 * 1024;
  std::size_t max_body_bytes = std::size_t{2} << 20;
};

struct ParseResult {
  enum class State {
    kIncomplete,  // more bytes are needed
    kComplete,    // `request` holds a whole request of `consumed` bytes
    kError,       // answer `status` with `message`, then close the connection
  };
  State state = State::kIncomplete;
  // kIncomplete: whether the head has been read (so the body's length is known) and the client
  // waits for "100 Continue" before sending it.
  bool head_complete = false;
  bool expect_continue = false;
  // kComplete.
  Request request;
  std::size_t consumed = 0;
  bool keep_alive = true;
  // kError.
  int status = 400;
  std::string message;
};

// Parses the request at the start of `bytes` (pipelined requests follow it).
ParseResult ParseRequest(std::string_view bytes, const ParseLimits& limits);

// The reason phrase of a status code ("Not Found").
const char* ReasonPhrase(int status);

// `path` with %XX decoded; false when an escape is malformed or decodes to NUL.
bool PercentDecode(std::string_view text, bool plus_is_space, std::string& out);

}  // namespace hipcoach::http
