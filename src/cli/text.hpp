// Small text helpers for what people type in the terminal.
#pragma once

#include <algorithm>
#include <string>

namespace hipcoach::cli {

// Without leading and trailing blanks.
inline std::string Trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// In lower case (ASCII).
inline std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace hipcoach::cli
