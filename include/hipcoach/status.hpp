// Errors as values. Every fallible call in the core returns Result<T>: either the value or an Error
// with a code and a message written for the person who has to fix the input.
#pragma once

#include <string>
#include <tl/expected.hpp>
#include <utility>

namespace hipcoach {

enum class ErrorCode {
  kInvalidInput,  // the caller's input is malformed or out of range
  kNotFound,      // an id or file that does not exist
  kDataError,     // a knowledge file or stored record is inconsistent
  kIoError,       // reading or writing failed
};

struct Error {
  ErrorCode code = ErrorCode::kInvalidInput;
  std::string message;
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

}  // namespace hipcoach
